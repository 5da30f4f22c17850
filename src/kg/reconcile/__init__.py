"""Reconcile: claims grouped into statements, sources weighed, disagreements found and explained.
"""
