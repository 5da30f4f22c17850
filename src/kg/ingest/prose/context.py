"""What prose extraction carries from the document into each sentence (Context), and the entity
kinds its rules tell apart (a product, an organisation, a name that is never a subject)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kg.core.vocab import UNIT
from kg.ingest.cues import Vocabulary
from kg.ingest.names import Choice, EntityBook, Mention

USD = UNIT + "CCY_USD"


@dataclass
class Context:
    """What prose extraction needs from the document around it."""

    vocab: Vocabulary
    book: EntityBook
    main: Choice | None
    document_dates: set[str]
    locate: Callable[[str, int], int]     # (figure text, block line) -> source line
    # the model the text last made its subject (or the product of the organisation it made its
    # subject: "the lab released its model X"), for "the model" in a sentence that names none
    recent_model: Mention | None = None
    # the model of each developer (kg:developer) the text last named, for a sentence whose
    # subject is the lab ("the lab charges $0.43 per million tokens": its model's price)
    by_developer: dict[str, Mention] = field(default_factory=dict)
    # the one technique the previous sentence named, for "introduced it" in the next
    recent_technique: Mention | None = None
    # entities whose labels name a month ("US export controls, October 2022"), by "YYYY-MM":
    # (IRI, label, the stems of their other label words); built on first use
    dated: dict[str, list[tuple[str, str, frozenset[str]]]] | None = None


NEVER_SUBJECTS = {"Technique", "Licence"}
PRODUCTS = {"Model", "ModelFamily", "Chip", "System"}
ORGANISATION = "Organisation"
