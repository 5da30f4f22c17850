"""What validation found, in the shape an analyst fixes things: by shape, node and file.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field

from kg.core.errors import BRIEF, brief
from kg.core.vocab import shorten

# ontology/shapes.ttl writes its shapes as kgsh:<name>; reports use the same spelling so a reader
# can search the shapes file for the name printed.
SHAPES_NS = "https://w3id.org/kg-compute/shape/"


def shape_name(iri: str) -> str:
    """A shape IRI as ontology/shapes.ttl spells it (kgsh:claim-source)."""
    return shorten(iri)


@dataclass(frozen=True)
class Finding:
    """One failed constraint: IRIs are full here (JSON is for machines); the text report shortens."""

    severity: str  # "Violation" | "Warning" | "Info"
    shape: str
    focus: str
    label: str | None
    path: str | None
    message: str
    value: str | None = None
    file: str | None = None
    line: int | None = None

    def __post_init__(self) -> None:
        # a finding repeats values from data: a 10 MB literal is shown by its start and length
        for name, limit in (("value", BRIEF), ("label", BRIEF), ("message", 4 * BRIEF)):
            text = getattr(self, name)
            if text is not None and len(text) > limit + 40:  # slack: brief's own suffix
                object.__setattr__(self, name, brief(text, limit))

    @property
    def where(self) -> str | None:
        """file:line when the line is known, for a person to open in an editor."""
        if not self.file:
            return None
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class ValidationReport:
    findings: list[Finding] = field(default_factory=list)
    triples: int = 0
    files: int = 0

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def by_shape(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = defaultdict(list)
        for f in sorted(self.findings, key=lambda f: (f.severity != "Violation", f.shape, f.focus)):
            grouped[f.shape].append(f)
        return dict(grouped)

    def to_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "triples": self.triples,
            "files": self.files,
            "findings": [asdict(f) for f in self.findings],
        }


ENGINES = ("sparql", "pyshacl")
