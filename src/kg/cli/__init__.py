"""The `kg` command: click commands, each a few lines over the library (kg.graph.EvidenceGraph).
"""

from kg.cli.main import main, run

__all__ = ["main", "run"]
