"""Differences of basis: figures measured against different things (dense vs sparse peak, FP16 vs
FP8, list price vs a launch discount) that a known factor relates.

The scheme is data (`ontology/bases.ttl`, read through `queries/bases.rq`); this module only
evaluates it for a pair of candidate values:
  * both state a basis on an axis and the bases differ: the difference is explained (kind scope,
    resolution explained), with the factor when a conversion relates them;
  * neither difference is stated, but the ratio of the two values matches a known factor on an
    axis where at least one of them states nothing: the likely cause is named ("exactly 2x:
    dense vs sparse?") and the statement is ambiguous, never a contradiction with a winner;
  * both state the same basis on every axis the property converts on: the values are compared
    as they are, so a real 2x contradiction stays a conflict;
  * no factor relates two bases (a checkpoint with extra modules against the main model), but
    the graph holds the same two figures stated on those two bases for one model: a figure whose
    basis is not stated is then likely the other basis, not another model's figure or a wrong
    value (ambiguous, naming the model whose sources state the pair). The pairs are learned from
    the claims, `BasisScheme.note`, while the sources' record is read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from kg.reconcile.model import Candidate
from kg.store.protocol import Store
from kg.store.queries import named_query

RATIO_SLACK = 0.01  # a factor matches when it lies within the ratio's band, widened by 1 %
PAIR_SLACK = 0.002  # two figures of a learned pair are the same when within 0.2 %


@dataclass(frozen=True)
class Conversion:
    """value on `to` = factor x value on `source`, for figures of one property."""

    iri: str
    source: str
    to: str
    factor: float
    cue: str


@dataclass
class BasisScheme:
    axis: dict[str, str] = field(default_factory=dict)    # basis -> its axis
    labels: dict[str, str] = field(default_factory=dict)  # basis -> label
    conversions: dict[str, list[Conversion]] = field(default_factory=dict)  # property -> ...
    # (property, unit) -> subject -> the (basis, amount) of each figure stated with a basis; dicts
    # as ordered sets, so the model an explanation names does not depend on hashing
    stated: dict[tuple[str, str], dict[str, dict[tuple[str, float], None]]] = field(
        default_factory=dict)

    def note(self, claims) -> None:
        """Remember each figure stated with a basis (what `known_pair` looks the pairs up in)."""
        for c in claims:
            v = c.value
            if not c.basis or v is None or v.amount is None:
                continue
            low, high = v.band()
            if low <= 0 or math.isinf(high):
                continue
            figures = self.stated.setdefault((c.property, v.unit), {}).setdefault(c.subject, {})
            for b in c.basis:
                figures[(b, v.amount)] = None

    def label(self, basis: str) -> str:
        return self.labels.get(basis) or basis.rsplit("#", 1)[-1]

    def by_axis(self, bases: list[str] | frozenset[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for b in bases:
            out.setdefault(self.axis.get(b, b), set()).add(b)
        return out

    def describe(self, bases: list[str]) -> str:
        return " ".join(self.label(b) for b in sorted(bases, key=self.label)) or "basis not stated"


def load_bases(store: Store) -> BasisScheme:
    scheme = BasisScheme()
    for row in store.select(named_query("bases").text):
        if "basis" in row:
            basis = row["basis"].value
            scheme.axis[basis] = row["axis"].value
            if "label" in row:
                scheme.labels[basis] = row["label"].value
        elif "conversion" in row:
            conv = Conversion(row["conversion"].value, row["from"].value, row["to"].value,
                              float(row["factor"].value),
                              row["cue"].value if "cue" in row else "")
            scheme.conversions.setdefault(row["property"].value, []).append(conv)
    return scheme


@dataclass(frozen=True)
class BasisFinding:
    """How two candidate values relate by basis."""

    resolution: str           # "explained" (stated bases differ), "ambiguous" (likely cause),
                              # "contradicts" (stated bases whose known factor does not fit)
    factor: float | None      # loser = factor x winner, when a conversion accounts for it
    text: str                 # one clause for the explanation

    @property
    def explained(self) -> bool:
        return self.resolution == "explained"


def compare(win: Candidate, loser: Candidate, prop: str, scheme: BasisScheme) -> BasisFinding | None:
    """What the bases say about two values of one statement (see the module docstring); None
    when they say nothing (same bases, or no basis and no matching factor)."""
    if win.value is None or loser.value is None or win.value.unit != loser.value.unit:
        return None
    mine, theirs = scheme.by_axis(win.basis), scheme.by_axis(loser.basis)
    differing = [axis for axis in mine.keys() & theirs.keys() if not (mine[axis] & theirs[axis])]
    band = _ratio_band(win, loser)
    conversions = scheme.conversions.get(prop, [])
    if differing:
        factors = [1.0]
        for axis in differing:
            options = [f for c in conversions for f in _factor(c, mine[axis], theirs[axis])]
            if not options:
                factors = []
                break
            factors = [a * b for a in factors for b in options]
        fits = [f for f in factors if band and _within(f, band)]
        bases = f"{scheme.describe(loser.basis)} vs {scheme.describe(win.basis)}"
        if fits:
            return BasisFinding("explained", fits[0],
                                f"{bases}, a factor of {_ratio_text(fits[0])}")
        if not factors:  # no conversion between them: two measures, not two values
            return BasisFinding("explained", None, f"{bases}: different measures, not compared")
        return BasisFinding("contradicts", None, (
            f"{bases}, but the known factor ({' or '.join(_ratio_text(f) for f in factors)}) "
            f"does not account for a ratio of {_ratio_text(_mid(band))}"))
    if band is None:
        return None
    causes: list[tuple[float, str]] = []
    for conv in conversions:
        source_axis = scheme.axis.get(conv.source)
        if source_axis in mine and source_axis in theirs:
            continue  # both say: the same basis, so this factor cannot be the cause
        for factor in _factor(conv, mine.get(source_axis or ""), theirs.get(source_axis or "")):
            if _within(factor, band) and conv.cue not in [c for _, c in causes]:
                causes.append((factor, conv.cue))
    if not causes:
        return None
    factor = causes[0][0]
    return BasisFinding("ambiguous", factor, f"exactly {_ratio_text(factor)}: "
                        + " or ".join(c for _, c in causes) + "?")


def known_pair(win: Candidate, loser: Candidate, prop: str, scheme: BasisScheme,
                label=str) -> BasisFinding | None:
    """Ambiguous when some model's sources state these two figures on two bases of one axis and
    the two candidates do not both state theirs (see the module docstring); None otherwise."""
    if win.value is None or loser.value is None or win.value.unit != loser.value.unit:
        return None
    entries = scheme.stated.get((prop, win.value.unit))
    if not entries:
        return None
    mine, theirs = scheme.by_axis(win.basis), scheme.by_axis(loser.basis)
    w, lo = win.value.amount, loser.value.amount
    if w is None or lo is None:
        return None
    for subject, figures in entries.items():
        for a, al in figures:
            axis = scheme.axis.get(a)
            if not _same(w, al) or axis is None or (axis in mine and axis in theirs) \
                    or (axis in mine and a not in mine[axis]):
                continue
            for b, bl in figures:
                if b != a and scheme.axis.get(b) == axis and _same(lo, bl) \
                        and not (axis in theirs and b not in theirs[axis]):
                    return BasisFinding("ambiguous", None, (
                        f"{label(subject)}'s sources state the same two figures as "
                        f"{scheme.label(b)} vs {scheme.label(a)}: the same difference here?"))
    return None


def _same(x: float, y: float) -> bool:
    """The same figure as written (685B and 685 billion), not one a rounding band admits: a
    pair is evidence only when both figures recur exactly (420B is not 412B)."""
    return abs(x - y) <= PAIR_SLACK * max(abs(x), abs(y))


def _factor(conv: Conversion, mine: set[str] | None, theirs: set[str] | None) -> list[float]:
    """loser / winner as this conversion would have it, consistent with what each states."""
    out = []
    if (not mine or conv.source in mine) and (not theirs or conv.to in theirs):
        out.append(conv.factor)
    if (not mine or conv.to in mine) and (not theirs or conv.source in theirs):
        out.append(1 / conv.factor)
    return out


def _ratio_band(win: Candidate, loser: Candidate) -> tuple[float, float] | None:
    """loser / winner, as far as the two values' precision allows (None for open bounds)."""
    if win.value is None or loser.value is None:  # compare() asks only about numbers
        return None
    wl, wh = win.value.band()
    ll, lh = loser.value.band()
    if min(wl, ll) <= 0 or math.isinf(wh) or math.isinf(lh):
        return None
    return ll / wh, lh / wl


def _within(factor: float, band: tuple[float, float]) -> bool:
    return band[0] * (1 - RATIO_SLACK) <= factor <= band[1] * (1 + RATIO_SLACK)


def _mid(band: tuple[float, float] | None) -> float:
    return (band[0] + band[1]) / 2 if band else float("nan")


def _ratio_text(factor: float) -> str:
    """2.0 -> '2x', 0.25 -> 'a quarter (0.25x)', 0.5 -> 'a half (0.5x)'."""
    if factor >= 1:
        return f"{factor:.3g}x"
    frac = Fraction(factor).limit_denominator(8)
    name = {Fraction(1, 2): "a half", Fraction(1, 4): "a quarter", Fraction(1, 3): "a third"}.get(frac)
    return f"{name} ({factor:.3g}x)" if name and abs(float(frac) - factor) < 1e-9 else f"{factor:.3g}x"
