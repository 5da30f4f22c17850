"""The words extraction reads figures with, read from the ontology (queries/extraction-vocabulary.rq).

Which words say that a figure is a parameter count, a rate or a release date, and which say the
text only relays it, is domain knowledge a curator should be able to change without touching
Python. So it lives in Turtle: each figure property's `rdfs:label` and `skos:altLabel` are the
names a table row or column gives it, `kg:cue` the words that mark it near a figure in prose,
`kg:rateCue` the words right after a figure that make it a rate of the property; each hedge has
its own `kg:cue` words; each dimension names the property a figure of that kind falls back to.
This module compiles them once into patterns and answers the questions the extractor asks.

Cue syntax: a phrase matched case-insensitively at word boundaries, a hyphen or space matching
either (and the masks the extractor puts over entity names); a trailing `*` on a word matches
any ending ("activat*" matches "activates" and "activated").
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from kg.core.vocab import KG, RDFS, SKOS
from kg.store.protocol import Store
from kg.store.queries import named_query

_SEP = r"[\s#\-]*"


def cue_pattern(text: str) -> re.Pattern[str]:
    """The regular expression one cue phrase stands for (see the module docstring)."""
    words = text.strip().lower().split()
    parts = []
    for word in words:
        star = word.endswith("*")
        core = re.escape(word.rstrip("*")).replace(r"\-", _SEP)
        parts.append(core + (r"\w*" if star else ""))
    body = r"[\s#\-]+".join(parts)
    start = r"(?<![\w@])" if text[:1].isalnum() else ""
    end = r"(?![\w@])" if text[-1:].isalnum() else ""
    return re.compile(start + body + end, re.I)


def label_key(text: str) -> str:
    """A table label folded for comparison with aliases: lower case, markup and punctuation gone."""
    return " ".join(re.sub(r"[^a-z0-9@%]+", " ", text.lower()).split())


def strip_parenthesis(text: str) -> str:
    """The label without trailing parentheses ("Training Time (GPU hours)" -> "Training Time")."""
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"\s*\([^()]*\)\s*$", "", text).strip()
    return text


@dataclass(frozen=True)
class Cue:
    """One cue phrase of one property or hedge."""

    text: str
    node: str
    pattern: re.Pattern[str]

    @property
    def prefix(self) -> str:
        """Letters every match starts with (lower case), to skip texts that cannot hold it."""
        return re.split(r"[\s\-*]", self.text.strip().lower(), maxsplit=1)[0]


@dataclass
class PropertyWords:
    """What the ontology says about one figure property that extraction uses."""

    iri: str
    label: str = ""
    aliases: set[str] = field(default_factory=set)   # label keys, the rdfs:label's included
    cues: list[Cue] = field(default_factory=list)
    rate_cues: list[Cue] = field(default_factory=list)
    dimension: str | None = None                    # local name: "Count", "Money", ...
    default_unit: str | None = None
    typical_subject: str | None = None              # a class IRI
    multi_valued: bool = False
    reduced_as: str | None = None                   # the reduction it is read as after a verb of reducing
    total_counterpart: str | None = None            # the whole's property (active -> total parameters)
    narrows: str | None = None                      # the sibling it is a narrower reading of
    clause_cues: list[Cue] = field(default_factory=list)  # words in the clause that make it so
    head_cues: list[Cue] = field(default_factory=list)    # nouns naming it right after a figure
    as_condition: bool = False                      # "... at 1M context": qualifies another figure

    @property
    def local(self) -> str:
        return self.iri.rsplit("/", 1)[-1]


@dataclass
class Vocabulary:
    """Every cue word, alias and fallback, compiled once per extraction run."""

    properties: dict[str, PropertyWords] = field(default_factory=dict)
    hedge_cues: list[Cue] = field(default_factory=list)
    reduction_cues: list[Cue] = field(default_factory=list)
    fallback: dict[str, str] = field(default_factory=dict)          # dimension -> property IRI
    unit_dimensions: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_store(cls, store: Store) -> Vocabulary:
        vocab = cls()
        by_kind: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
        for row in store.select(named_query("extraction-vocabulary").text):
            by_kind[row["kind"].value][row["node"].value].append(
                (row["relation"].value, row["value"].value))
        for iri, facts in by_kind["property"].items():
            words = vocab.properties.setdefault(iri, PropertyWords(iri))
            for relation, value in facts:
                if relation == RDFS + "label":
                    words.label = value
                    words.aliases.add(label_key(value))
                elif relation == SKOS + "altLabel":
                    words.aliases.add(label_key(value))
                elif relation == KG + "cue":
                    words.cues.append(Cue(value, iri, cue_pattern(value)))
                elif relation == KG + "rateCue":
                    words.rate_cues.append(Cue(value, iri, cue_pattern(value)))
                elif relation == KG + "dimension":
                    words.dimension = value.rsplit("#", 1)[-1]
                elif relation == KG + "defaultUnit":
                    words.default_unit = value
                elif relation == KG + "typicalSubject":
                    words.typical_subject = value
                elif relation == KG + "reducedAs":
                    words.reduced_as = value
                elif relation == KG + "reductionCue":
                    vocab.reduction_cues.append(Cue(value, iri, cue_pattern(value)))
                elif relation == KG + "totalCounterpart":
                    words.total_counterpart = value
                elif relation == KG + "narrows":
                    words.narrows = value
                elif relation == KG + "clauseCue":
                    words.clause_cues.append(Cue(value, iri, cue_pattern(value)))
                elif relation == KG + "asCondition":
                    words.as_condition = value in ("true", "1")
                elif relation == KG + "headCue":
                    words.head_cues.append(Cue(value, iri, cue_pattern(value)))
                elif relation == KG + "multiValued":
                    words.multi_valued = value in ("true", "1")  # "1": Virtuoso
        for iri, facts in by_kind["hedge"].items():
            vocab.hedge_cues += [Cue(v, iri, cue_pattern(v)) for r, v in facts if r == KG + "cue"]
        for iri, facts in by_kind["dimension"].items():
            for relation, value in facts:
                if relation == KG + "fallbackProperty":
                    vocab.fallback[iri.rsplit("#", 1)[-1]] = value
        for iri, facts in by_kind["unit"].items():
            vocab.unit_dimensions[iri] = {v.rsplit("#", 1)[-1] for r, v in facts
                                          if r == KG + "dimension"}
        return vocab

    @classmethod
    def from_ontology(cls) -> Vocabulary:
        """The vocabulary of the shipped ontology alone (for callers without a store at hand)."""
        from kg.core.resources import ONTOLOGY
        from kg.load.turtle import parse_file
        from kg.store.embedded import OxigraphStore

        store = OxigraphStore()
        for path in sorted(ONTOLOGY.glob("*.ttl")):
            store.load(list(parse_file(path)))
        return cls.from_store(store)

    # ------------------------------------------------------------------ questions
    def get(self, iri: str) -> PropertyWords:
        return self.properties.get(iri) or PropertyWords(iri)

    def dimension_of(self, iri: str) -> str | None:
        return self.get(iri).dimension

    def by_alias(self, label: str) -> list[PropertyWords]:
        """Properties a table label names outright: the whole label, or the label without its
        trailing parenthesis, is one of the property's names."""
        keys = [label_key(label), label_key(strip_parenthesis(label))]
        for key in keys:
            found = [p for p in self.properties.values() if key and key in p.aliases]
            if found:
                return sorted(found, key=lambda p: p.iri)
        return []

    def cues_in(self, text: str, *, rate: bool = False) -> list[tuple[int, int, Cue]]:
        """Every property cue (or rate cue) in `text`, as (start, end, cue). A cue whose first
        letters the text lacks is not searched for (the extractor asks this for every figure, and
        the ontology holds hundreds of cues)."""
        low = text.lower()
        out = []
        for cue in (self._rate_cues if rate else self._cues):
            prefix = self._prefix[cue]
            if prefix and prefix not in low:
                continue
            out += [(m.start(), m.end(), cue) for m in cue.pattern.finditer(text)]
        return sorted(out, key=lambda x: (x[0], -(x[1] - x[0])))

    @functools.cached_property
    def _cues(self) -> list[Cue]:
        return [cue for words in self.properties.values() for cue in words.cues]

    @functools.cached_property
    def _rate_cues(self) -> list[Cue]:
        return [cue for words in self.properties.values() for cue in words.rate_cues]

    @functools.cached_property
    def _prefix(self) -> dict[Cue, str]:
        return {cue: cue.prefix for cue in self._cues + self._rate_cues}

    def head_cues_at(self, after: str) -> list[tuple[int, int, Cue]]:
        """The head-noun cues (`kg:headCue`) that open `after`, the words right after a figure
        (a blank or '#' mask between), as (start, end, cue)."""
        lead = len(after) - len(after.lstrip(" #"))
        out = []
        for words in self.properties.values():
            for cue in words.head_cues:
                m = cue.pattern.match(after, lead)
                if m:
                    out.append((m.start(), m.end(), cue))
        return out

    def narrower_in(self, prop: str, clause: str) -> tuple[str, str] | None:
        """(property, cue text) of a narrower sibling of `prop` (`kg:narrows`) whose clause cue
        (`kg:clauseCue`) stands in `clause`, the words around the figure in its own clause; None
        when none does (the first in property order when several would)."""
        for words in sorted(self.properties.values(), key=lambda w: w.iri):
            if words.narrows != prop:
                continue
            for cue in words.clause_cues:
                if cue.pattern.search(clause):
                    return words.iri, cue.text
        return None

    def reductions_in(self, text: str) -> list[tuple[int, int, Cue]]:
        """Every verb of reducing (`kg:reductionCue`) in `text`, as (start, end, cue)."""
        out = []
        for cue in self.reduction_cues:
            out += [(m.start(), m.end(), cue) for m in cue.pattern.finditer(text)]
        return sorted(out, key=lambda x: x[0])

    def hedges_in(self, text: str) -> list[tuple[int, int, Cue]]:
        out = []
        for cue in self.hedge_cues:
            out += [(m.start(), m.end(), cue) for m in cue.pattern.finditer(text)]
        return sorted(out, key=lambda x: x[0])

    def fits(self, iri: str, unit: str | None) -> bool:
        """True when a figure read in `unit` can be a value of the property (its dimension)."""
        dim = self.dimension_of(iri)
        if unit is None or dim is None:
            return True
        return dim in self.unit_dimensions.get(unit, set())
