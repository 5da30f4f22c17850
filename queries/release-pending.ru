# Answers: removes a reconcile's scratch graph from the registry of scratch graphs being written
#          (the graph itself is dropped beside it).
# Parameters: ?graph (required) the scratch graph's IRI.
# Used by: kg.reconcile.pending (release).
DELETE { GRAPH <https://w3id.org/kg-compute/run/reconciliation-pending> { ?graph ?p ?o } }
WHERE { GRAPH <https://w3id.org/kg-compute/run/reconciliation-pending> { ?graph ?p ?o } }
