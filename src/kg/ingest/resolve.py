"""Names to entity IRIs: the one place kg decides that "Llama 3.1-405B" is `kge:llama-3-1-405b`.

Importers and the extractor meet names the graph spells differently. Attaching a figure to the
wrong node is worse than minting a twin (a twin is visible in the match report and can be merged
by an alias; a wrong attachment silently corrupts a statement), so matching is conservative and
explained. Methods, tried in order:

1. ``exact``: the name equals a skos:prefLabel or skos:altLabel, spelt exactly so, or else
   ignoring case;
2. ``normalised``: equal after folding punctuation, spacing and letter-digit boundaries
   ("Qwen 2.5-72B" = "Qwen2.5-72B");
3. ``fuzzy``: rapidfuzz's token-sort ratio on normalised names, at or above a threshold (92 by
   default), and only when both names carry the same version numbers and the same short tokens
   ("DeepSeek-V3" never matches "DeepSeek-V3.2", "DeepSeek-V2" or "DeepSeek-R3").

A name that two different entities claim at the same step is ambiguous and left unmatched. Every
decision is a `Match` row, so the caller can write the report a reviewer reads.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.core.vocab import KG
from kg.store.protocol import Store
from kg.store.queries import named_query

FUZZY_THRESHOLD = 92.0



@dataclass(frozen=True)
class Match:
    """One resolution decision, as the match report shows it."""

    name: str
    iri: str | None
    method: str          # exact | normalised | fuzzy | minted | ambiguous | none
    score: float
    label: str | None = None
    note: str = ""

    @property
    def matched(self) -> bool:
        return self.method in ("exact", "normalised", "fuzzy")


@dataclass
class _Entry:
    iri: str
    label: str
    classes: frozenset[str]


def normalise(name: str) -> str:
    """Fold a name to comparable tokens: case, accents, punctuation, letter-digit boundaries."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"(?<=\d)\.(?=\d)", "\0", text)          # keep version dots: 3.1, 2.5
    text = text.replace("++", " plusplus ").replace("+", " plus ")  # PointNet++ is not PointNet
    text = re.sub(r"[^a-z0-9\0]+", " ", text)
    text = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", text)
    return " ".join(text.replace("\0", ".").split())


def guard_tokens(key: str) -> Counter:
    """Tokens that must agree exactly for a fuzzy match: numbers and one- or two-letter marks."""
    return Counter(t for t in key.split() if t[0].isdigit() or len(t) <= 2)


def _spelling_only(a: str, b: str) -> bool:
    """Names that differ only by order or by the spelling of long words (organisation/organization).

    Short words that differ are different names (Turbo/TurboS, MNIST/NIST, Trento/Toronto)."""
    from rapidfuzz import fuzz

    ta, tb = Counter(a.split()), Counter(b.split())
    only_a, only_b = sorted((ta - tb).elements()), sorted((tb - ta).elements())
    if len(only_a) != len(only_b):
        return False
    return all(min(len(x), len(y)) >= 6 and fuzz.ratio(x, y) >= 85
               for x, y in zip(only_a, only_b, strict=True))


def slug(name: str) -> str:
    """The IRI local name kg mints for a label (lower case, dots and spaces become hyphens)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or "unnamed"


@dataclass
class Resolver:
    """Label index over one graph; `resolve` answers with a `Match` and never guesses silently."""

    entries: list[_Entry] = field(default_factory=list)
    threshold: float = FUZZY_THRESHOLD

    def __post_init__(self) -> None:
        self._case: dict[str, set[int]] = defaultdict(set)
        self._exact: dict[str, set[int]] = defaultdict(set)
        self._norm: dict[str, set[int]] = defaultdict(set)
        self._pref: dict[str, str] = {}
        self._iris: set[str] = set()
        self.minted_from: dict[str, str] = {}   # entity -> the import source that minted it
        # entity -> relation local name ("developer", "country") -> targets (queries/entity-links.rq)
        self.links: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for i, e in enumerate(self.entries):
            self._case[e.label].add(i)
            self._exact[e.label.casefold()].add(i)
            self._norm[normalise(e.label)].add(i)
            self._iris.add(e.iri)

    @classmethod
    def from_store(cls, store: Store, *, threshold: float = FUZZY_THRESHOLD) -> Resolver:
        classes: dict[str, set[str]] = defaultdict(set)
        origins: dict[str, str] = {}
        labels: list[tuple[str, str, str]] = []
        for row in store.select(named_query("entity-labels").text):
            iri = row["entity"].value
            if "class" in row:
                classes[iri].add(row["class"].value)
            if "origin" in row:
                origins[iri] = row["origin"].value
            labels.append((iri, row["label"].value, row["kind"].value))
        seen: set[tuple[str, str]] = set()
        entries: list[_Entry] = []
        for iri, label, _kind in labels:
            if (iri, label) in seen:
                continue
            seen.add((iri, label))
            entries.append(_Entry(iri, label, frozenset(classes.get(iri, ()))))
        resolver = cls(entries, threshold)
        resolver.minted_from = origins
        for row in store.select(named_query("entity-links").text):
            relation = row["relation"].value.rsplit("#", 1)[-1]
            resolver.links[row["entity"].value][relation].add(row["target"].value)
        for iri, label, kind in labels:
            if kind == "pref":
                resolver._pref[iri] = label
        return resolver

    def without_minted_by(self, *origins: str) -> Resolver:
        """The same index without the entities an importer minted (their dcterms:source starts
        with one of `origins`): an import resolves against the curated graph only, so what it
        mints does not depend on which other imports the graph already holds."""
        keep = [e for e in self.entries
                if not any(self.minted_from.get(e.iri, "").startswith(o) for o in origins)]
        other = Resolver(keep, self.threshold)
        kept = {e.iri for e in keep}
        other._pref = {iri: label for iri, label in self._pref.items() if iri in kept}
        other.minted_from = {iri: o for iri, o in self.minted_from.items() if iri in kept}
        other.links = self.links
        return other

    def label(self, iri: str) -> str | None:
        return self._pref.get(iri)

    def linked(self, iri: str, relation: str) -> set[str]:
        """The entities `iri` points to by a structural relation ("developer", "country")."""
        found = self.links.get(iri)
        return set(found.get(relation, ())) if found else set()

    def taken(self, iri: str) -> bool:
        return iri in self._iris

    def resolve(self, name: str, *, classes: Sequence[str] = (KG + "Model",)) -> Match:
        """The entity `name` denotes among entities of one of `classes` (local names or IRIs)."""
        wanted = {c if c.startswith("http") else KG + c for c in classes}

        def fits(i: int) -> bool:
            return not wanted or bool(self.entries[i].classes & wanted)

        exact_case = {self.entries[i].iri for i in self._case.get(name, ()) if fits(i)}
        if len(exact_case) == 1:  # "CaLM" and "CALM" are two models; the exact spelling decides
            iri = exact_case.pop()
            return Match(name, iri, "exact", 100.0, self.label(iri))
        for method, index, key in (("exact", self._exact, name.casefold()),
                                   ("normalised", self._norm, normalise(name))):
            hits = {self.entries[i].iri for i in index.get(key, ()) if fits(i)}
            if len(hits) == 1:
                iri = hits.pop()
                return Match(name, iri, method, 100.0, self.label(iri))
            if len(hits) > 1:
                return Match(name, None, "ambiguous", 100.0, None,
                             "named by " + ", ".join(sorted(hits)))
        return self._fuzzy(name, fits)

    def _fuzzy(self, name: str, fits) -> Match:
        from rapidfuzz import fuzz, process

        key = normalise(name)
        if not key:
            return Match(name, None, "none", 0.0)
        guard = guard_tokens(key)
        choices = {i: normalise(e.label) for i, e in enumerate(self.entries) if fits(i)}
        best: dict[str, tuple[float, int]] = {}
        for _choice, score, i in process.extract(key, choices, scorer=fuzz.token_sort_ratio,
                                                 score_cutoff=self.threshold, limit=20):
            if guard_tokens(choices[i]) != guard or not _spelling_only(key, choices[i]):
                continue
            iri = self.entries[i].iri
            if score > best.get(iri, (-1.0, 0))[0]:
                best[iri] = (score, i)
        if not best:
            near = process.extractOne(key, choices, scorer=fuzz.token_sort_ratio)
            note = (f"nearest: {self.entries[near[2]].label} ({near[1]:.0f})" if near else "")
            return Match(name, None, "none", float(near[1]) if near else 0.0, None, note)
        ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
        if len(ranked) > 1 and ranked[0][1][0] == ranked[1][1][0]:
            return Match(name, None, "ambiguous", ranked[0][1][0], None,
                         "tied: " + ", ".join(iri for iri, _ in ranked[:3]))
        iri, (score, i) = ranked[0]
        return Match(name, iri, "fuzzy", round(score, 1), self.label(iri),
                     f"via label {self.entries[i].label!r}")


def summary(matches: Sequence[Match]) -> str:
    """One line a person reads after an import: how many names matched, and how."""
    counts = Counter(m.method for m in matches)
    order = ("exact", "normalised", "fuzzy", "minted", "ambiguous", "none")
    parts = [f"{counts[k]} {k}" for k in order if counts.get(k)]
    return f"{len(matches)} names resolved: " + ", ".join(parts)


def write_report(matches: Sequence[Match], path: Path) -> None:
    """The reviewable match report: CSV for a spreadsheet, Markdown (.md) for a pull request."""
    from kg.core.files import write_atomic
    from kg.core.tabular import write_records

    columns = ["name", "matched_iri", "label", "method", "score", "note"]
    records = [[m.name, m.iri or "", m.label or "", m.method, f"{m.score:.1f}", m.note]
               for m in matches]
    fmt = "md" if Path(path).suffix.lower() in (".md", ".markdown") else "csv"
    write_atomic(Path(path), write_records(columns, records, fmt))
