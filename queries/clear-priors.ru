# Answers: removes the scoring priors in force (every source kind's kg:prior and every hedge's or
#          factor's kg:weight), so a user's priors file replaces them whole.
# Parameters: none.
# Used by: kg.graph (EvidenceGraph.use_priors, `kg reconcile --priors FILE`).
PREFIX kg: <https://w3id.org/kg-compute/ontology#>
DELETE WHERE { ?n kg:prior ?p } ;
DELETE WHERE { ?n kg:weight ?w }
