"""One query interface, several stores: in memory, on disk, or a SPARQL 1.1 server.

Every stage above speaks SPARQL through `Store`; named queries and bindings live here too.
"""
