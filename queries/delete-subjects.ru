# Answers: removes every triple of the given subjects from the default graph, so `kg load --sync`
#          can describe them again from the files that describe them now.
# Parameters: ?s (required) rows of subject IRIs, a few hundred per update.
# Used by: kg.load.bulk (sync_files).
DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }
