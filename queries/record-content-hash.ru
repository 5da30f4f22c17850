# Answers: sets the store's content hash (?hash, bound as a VALUES block) in the control graph,
#          replacing the one before in one update, so it is never half-set.
# Parameters: ?hash (required) the new hash, "sha256:<hex>".
# Used by: kg.load.content (after every load, and when `--priors` replaces the priors).
PREFIX kg: <https://w3id.org/kg-compute/ontology#>
PREFIX kgr: <https://w3id.org/kg-compute/run/>
DELETE { GRAPH kgr:control { kgr:control kg:contentHash ?old } }
INSERT { GRAPH kgr:control { kgr:control kg:contentHash ?hash } }
WHERE { OPTIONAL { BIND (kgr:control AS ?controlGraph)
                   GRAPH ?controlGraph { kgr:control kg:contentHash ?old } } }
