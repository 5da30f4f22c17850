"""Ingest: the ways the graph grows, with entity resolution (resolve, names).

- epoch: Epoch AI's five tables as claims of one source per table and snapshot;
- extract: proposed claims from a document (documents/ parses it; tablefigures reads its tables,
  texttables the tables flattened into plain text, prose its sentences, cues the ontology's words,
  modelcard its YAML front matter; proposal is the ProposedClaim they all make);
- review: proposals read back, corrected, accepted or rejected, written as reviewed Turtle;
- add: the one safe writer of graph/, which refuses anything unreviewed.
"""
