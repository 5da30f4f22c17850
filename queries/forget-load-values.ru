# Answers: removes the load record's values of the given predicates (its status, times and
#          sources), before `kg load` writes new ones.
# Parameters: ?p (required) rows of predicate IRIs.
# Used by: kg.load.state (begin, finish).
DELETE { GRAPH <https://w3id.org/kg-compute/run/load> { <https://w3id.org/kg-compute/run/load/run> ?p ?v } }
WHERE { BIND (<https://w3id.org/kg-compute/run/load> AS ?loadGraph)
        GRAPH ?loadGraph { <https://w3id.org/kg-compute/run/load/run> ?p ?v } }
