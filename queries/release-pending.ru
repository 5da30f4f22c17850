# Answers: removes a reconcile's run graph from the registry of runs being written
#          (a failed run's graph is dropped beside it).
# Parameters: ?graph (required) the run graph's IRI.
# Used by: kg.reconcile.pending (release).
DELETE { GRAPH <https://w3id.org/kg-compute/run/reconciliation-pending> { ?graph ?p ?o } }
WHERE { BIND (<https://w3id.org/kg-compute/run/reconciliation-pending> AS ?pendingGraph) GRAPH ?pendingGraph { ?graph ?p ?o } }
