"""Truth discovery: sources' reliabilities and chosen values from plain observations (no RDF).
"""
