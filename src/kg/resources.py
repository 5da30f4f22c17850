"""Where the shipped ontology, graph and queries live, so a checkout works without configuration.

`KG_HOME` points kg at another checkout (a notebook outside the repository, a CI job).
"""

from __future__ import annotations

import os
from pathlib import Path

HOME = Path(os.environ.get("KG_HOME") or Path(__file__).resolve().parents[2])
ONTOLOGY = HOME / "ontology"
GRAPH = HOME / "graph"
QUERIES = HOME / "queries"
