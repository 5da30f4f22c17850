"""Validate: the SHACL shapes (as SPARQL, or through pySHACL) plus the domain checks, as one report.
"""
