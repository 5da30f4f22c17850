# Answers: points the table and the verdict queries at the run ?run (bound as a VALUES block):
#          the one pointer in the control graph, moved in one update after the run is complete,
#          so readers see the previous run or the new one, never a half-written one.
# Parameters: ?run (required) the run's IRI (kgr:run-ID).
# Used by: kg.reconcile.runs (EvidenceGraph.reconcile).
PREFIX kg: <https://w3id.org/kg-compute/ontology#>
PREFIX kgr: <https://w3id.org/kg-compute/run/>
DELETE { GRAPH kgr:control { kgr:control kg:currentRun ?old } }
INSERT { GRAPH kgr:control { kgr:control kg:currentRun ?run } }
WHERE { OPTIONAL { BIND (kgr:control AS ?controlGraph)
                   GRAPH ?controlGraph { kgr:control kg:currentRun ?old } } }
