"""Ingest: the ways the graph grows (Epoch tables, extraction from documents, reviewed adds), with
entity resolution.
"""
