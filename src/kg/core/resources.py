"""Where the shipped ontology, graph and queries live, in a checkout and in an installed wheel.

The repository keeps them at its top (`ontology/`, `graph/`, `queries/`), where curators edit
them; the wheel ships copies as package data under `kg/_data/`. A checkout (an editable
install, or running from the source tree) is preferred, so edits take effect at once;
otherwise the wheel's copy is used through importlib.resources. `KG_HOME` points kg at another
checkout (a notebook outside the repository, a CI job).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path


def _home() -> Path:
    if os.environ.get("KG_HOME"):
        return Path(os.environ["KG_HOME"])
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "pyproject.toml").is_file() and (checkout / "ontology").is_dir():
        return checkout
    return Path(str(resources.files("kg") / "_data"))


HOME = _home()
ONTOLOGY = HOME / "ontology"
GRAPH = HOME / "graph"
QUERIES = HOME / "queries"
