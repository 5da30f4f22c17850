# Answers: removes the load record of the given files (hash, size, time, subjects), before
#          `kg load --sync` reads them again or after they are gone.
# Parameters: ?file (required) rows of the record's file nodes.
# Used by: kg.load.state (forget_files).
PREFIX kg: <https://w3id.org/kg-compute/ontology#>
DELETE { GRAPH <https://w3id.org/kg-compute/run/load> {
  <https://w3id.org/kg-compute/run/load/run> kg:loadedFile ?file . ?file ?p ?o } }
WHERE { BIND (<https://w3id.org/kg-compute/run/load> AS ?loadGraph) GRAPH ?loadGraph { ?file ?p ?o } }
