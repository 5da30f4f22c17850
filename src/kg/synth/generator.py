"""A synthetic evidence graph whose true values are known, so the reconciler can be scored at any size.

The curated corpus has hundreds of claims and no answer key; this generator writes N claims
about invented labs, chips and models, from documents whose hidden reliability is drawn per
document, and records the true value of every statement beside the Turtle. It reproduces the
corpus's hard cases so a score measures judgement, not luck:

- rounding that must agree ("671B", "~670B", "0.67 trillion" for a true 671.2B);
- scope variants that are not conflicts (final-run vs all-in training cost);
- projections stated before a release (kg:Projected, document dated before the release date);
- sources that copy one another (a rumour relayed with prov:hadPrimarySource, so a majority
  vote is fooled while counting independent origins is not);
- unit slips (284M for 284B);
- identity near-misses (a model and its "Mini" variant, kg:variantOf / kg:flagshipVariant:
  the family's figure stated for the flagship, or the variant's parameter count put on it).

With `analyst_cases=True` (issue 13; drawn from a second random stream, so the default graph
stays byte-identical) it adds what an analyst must not be fooled by:
- basis variants: a chip's peak throughput stated dense (the truth), sparse (2x, basis
  stated), or 2x with no basis stated; a launch-discount price (half the list price, stated);
- snapshot revisions: an earlier snapshot of a curated database with a wrong figure that the
  later snapshot corrects, and snapshots that agree (one origin, not two); both snapshots are
  dated after the model's release;
- constant dollars: a final-run cost stated in 2023 dollars (kgu:USD-2023), deflated from the
  nominal truth with the price index in ontology/deflators.ttl, in a database row that also
  states the release date it was deflated from.

truth.tsv's `knowable` column says whether any claim states the true value on the statement's
own basis (a launch-discount price alone does not say the list price; when every source is wrong
no reconciler can find the truth): the calibration benchmark reports accuracy on both.

Values are written already normalised (kg:amount, bounds, unit, shape, as kg.load.value_quads
would derive them) and kg:stated is kept, so loading a large graph parses no quantities. Output
is plain string formatting, not rdflib: a million claims take about a minute. Same seed, same
bytes.
"""

from __future__ import annotations

import itertools
import json
import random
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from kg.core.vocab import KGE, KGP, KGS, KGU
from kg.synth.figures import UNITS, Value, recorded, written, wrong_value

CLAIMS_PER_FILE = 100_000
NORMALISED_BY = "kg.synth"

# kind -> (share of documents, mean hidden reliability): the priors' ordering, with noise per document
KINDS = {
    "PrimaryReport": (0.05, 0.97), "OfficialRecord": (0.03, 0.96), "CuratedDatabase": (0.05, 0.90),
    "AnalystFirm": (0.10, 0.80), "News": (0.25, 0.72), "Newsletter": (0.22, 0.62),
    "ResearchNote": (0.10, 0.58), "SocialPost": (0.12, 0.42), "AISynthesis": (0.08, 0.38),
}
LOW_KINDS = ("SocialPost", "AISynthesis", "Newsletter")
RELAY_KINDS = ("Newsletter", "News", "AISynthesis", "SocialPost")

HEADER = """@prefix kg:      <https://w3id.org/kg-compute/ontology#> .
@prefix kgp:     <https://w3id.org/kg-compute/prop/> .
@prefix kge:     <https://w3id.org/kg-compute/entity/> .
@prefix kgs:     <https://w3id.org/kg-compute/source/> .
@prefix kgc:     <https://w3id.org/kg-compute/claim/> .
@prefix kgu:     <https://w3id.org/kg-compute/unit/> .
@prefix unit:    <http://qudt.org/vocab/unit/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .

"""

SYLLABLES = ("ka", "lo", "ri", "ven", "tar", "mi", "zo", "qua", "nel", "dor", "sy", "phe", "ul",
             "bra", "cen", "vox", "ia", "ter", "mon", "ax")


@dataclass
class Statement:
    sid: str
    subject: str
    prop: str
    unit: str | None
    true: float | str
    scope: str | None = None
    chip: str | None = None
    benchmark: str | None = None
    release: str | None = None   # the subject's release date (ISO), for projections
    cases: set[str] = field(default_factory=set)


@dataclass
class Doc:
    iri: str
    kind: str
    reliability: float
    day: str
    lines: int = 0
    refs: set[str] = field(default_factory=set)


@dataclass
class SynthReport:
    out: Path
    claims: int
    statements: int
    models: int
    documents: int
    files: list[Path]
    cases: dict[str, int]

    def to_dict(self) -> dict:
        return {"out": str(self.out), "claims": self.claims, "statements": self.statements,
                "models": self.models, "documents": self.documents,
                "files": [p.name for p in self.files], "cases": self.cases}


# ---------------------------------------------------------------- writing numbers as a text would

# ---------------------------------------------------------------- the generator

class _Writer:
    """Streams claims into numbered Turtle files, CLAIMS_PER_FILE per file."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.files: list[Path] = []
        self.count = 0
        self._fh: TextIO | None = None

    def claim(self, text: str) -> None:
        if self._fh is None or self.count % CLAIMS_PER_FILE == 0:
            self._fh = self._next()
        self._fh.write(text)
        self.count += 1

    def _next(self) -> TextIO:
        """Close the current file and open the next, its prefix header written."""
        if self._fh:
            self._fh.close()
        path = self.out / f"claims-{len(self.files):04d}.ttl"
        self.files.append(path)
        fh = path.open("w", encoding="utf-8", newline="\n")
        fh.write(HEADER)
        return fh

    def close(self) -> None:
        if self._fh:
            self._fh.close()


class Generator:
    """Everything the generator decides from one seed; see generate() for the entry point."""

    def __init__(self, claims: int, seed: int, analyst_cases: bool = False) -> None:
        self.n = claims
        self.rng = random.Random(seed)
        self.seed = seed
        self.analyst = analyst_cases
        self.xrng = random.Random(f"analyst-{seed}")  # its own stream: the default graph is unchanged
        # snapshots of one database; every release (up to 2025-12) has two dated after it, so a
        # revision or a row is never in a snapshot published before the model it describes
        self.snapshots = [Doc(f"synth-db-{day}", "CuratedDatabase", 0.9, day)
                          for day in ("2024-06-01", "2025-06-01", "2026-01-01", "2026-06-01")] \
            if analyst_cases else []
        self.constant_rows: set[str] = set()  # models whose database row states constant dollars
        self.cpi = _price_index() if analyst_cases else {}
        # datasheet figures of chips of their own, so the default chips' statements are unchanged
        self.analyst_chips = [f"synth-achip-{i}" for i in range(max(10, claims // 100))] \
            if analyst_cases else []
        rng = self.rng
        self.labs = [f"synth-lab-{i}" for i in range(max(4, claims // 2000))]
        self.vendors = ["synth-vendor-0", "synth-vendor-1"]
        self.chips = [f"synth-chip-{i}" for i in range(max(4, claims // 20000))]
        self.benchmarks = [f"synth-bench-{i}" for i in range(8)]
        self.docs: list[Doc] = []
        kinds = list(KINDS)
        weights = [KINDS[k][0] for k in kinds]
        start = date(2022, 1, 1)
        for i in range(max(40, claims // 25)):
            kind = rng.choices(kinds, weights)[0]
            rel = min(0.99, max(0.05, rng.gauss(KINDS[kind][1], 0.05)))
            day = (start + timedelta(days=rng.randrange(4 * 365 + 150))).isoformat()
            self.docs.append(Doc(f"synth-doc-{i}", kind, rel, day))
        self.docs.sort(key=lambda d: (d.day, d.iri))
        self.doc_days = [d.day for d in self.docs]
        self.by_kind: dict[str, list[Doc]] = {}
        for d in self.docs:
            self.by_kind.setdefault(d.kind, []).append(d)
        self.kind_days = {k: [d.day for d in pool] for k, pool in self.by_kind.items()}
        self.lab_reports = {lab: f"synth-report-{lab}" for lab in self.labs}
        self.models: list[tuple[str, str, str, str | None, str | None]] = []  # iri, label, lab, rel, other
        self.statements: list[Statement] = []
        self.cases: dict[str, int] = {}

    # -------------------------------------------------------------- helpers
    def _name(self) -> str:
        rng = self.rng
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()

    def _doc(self, *, before: str | None = None, after: str | None = None,
             kinds: tuple[str, ...] | None = None) -> Doc | None:
        """A document of the given kinds, dated before a day (projections) or on or after it."""
        rng = self.rng
        pools = [self.by_kind.get(k, []) for k in kinds] if kinds else [self.docs]
        candidates: list[tuple[list[Doc], int, int]] = []
        for pool in pools:
            days = self.kind_days[pool[0].kind] if kinds and pool else self.doc_days
            lo = bisect_left(days, after) if after else 0
            hi = bisect_left(days, before) if before else len(pool)
            if hi > lo:
                candidates.append((pool, lo, hi))
        if not candidates:
            return None
        total = sum(hi - lo for _, lo, hi in candidates)
        pick = rng.randrange(total)
        for pool, lo, hi in candidates:
            if pick < hi - lo:
                return pool[lo + pick]
            pick -= hi - lo
        return None

    def _case(self, st: Statement, case: str) -> None:
        st.cases.add(case)
        self.cases[case] = self.cases.get(case, 0) + 1

    # -------------------------------------------------------------- entities and statements
    def _family(self, index: int) -> list[Statement]:
        """One release: a flagship model, sometimes a Mini variant, and their statements."""
        rng = self.rng
        name = f"{self._name()} {rng.randint(1, 9)}"
        lab = rng.choice(self.labs)
        base = f"synth-m{index}"
        release = (date(2023, 1, 1) + timedelta(days=rng.randrange(3 * 365))).isoformat()
        has_mini = rng.random() < 0.3
        out: list[Statement] = []
        params = float(f"{rng.uniform(7, 1800):.4g}") * 1e9
        if has_mini:
            family = f"synth-f{index}"
            mini = f"synth-m{index}-mini"
            self.models.append((family, name, lab, "family", base))
            self.models.append((base, f"{name} Pro", lab, "variant", family))
            self.models.append((mini, f"{name} Mini", lab, "variant", family))
            mini_params = float(f"{params / rng.uniform(5, 20):.4g}")
            out += self._model_statements(mini, lab, release, mini_params, None)
            out += self._model_statements(base, lab, release, params, mini_params)
        else:
            self.models.append((base, name, lab, None, None))
            out += self._model_statements(base, lab, release, params, None)
        return out

    def _model_statements(self, model: str, lab: str, release: str, params: float,
                          variant_params: float | None) -> list[Statement]:
        rng = self.rng
        sid = f"{model}"
        out = [Statement(f"{sid}-release", model, "releaseDate", None, release, release=release),
               Statement(f"{sid}-params", model, "totalParameters", UNITS["totalParameters"], params,
                         release=release)]
        if variant_params is not None:
            out[-1].cases.add("variant-of:" + repr(variant_params))
        gpu_hours = float(f"{rng.uniform(1.05, 60) * 1e6:.4g}")
        out.append(Statement(f"{sid}-gpuh", model, "trainingGpuHours", UNITS["trainingGpuHours"],
                             gpu_hours, chip=rng.choice(self.chips), release=release))
        cost = float(f"{gpu_hours * rng.uniform(1.5, 3.5):.4g}")
        out.append(Statement(f"{sid}-cost-final", model, "trainingCost", UNITS["trainingCost"], cost,
                             scope="FinalRunCompute", release=release))
        if rng.random() < 0.5:
            allin = float(f"{cost * rng.uniform(5, 20):.4g}")
            st = Statement(f"{sid}-cost-allin", model, "trainingCost", UNITS["trainingCost"], allin,
                           scope="AllInProgramme", release=release)
            self._case(st, "scope-variant")
            out.append(st)
        for bench in rng.sample(self.benchmarks, rng.randint(1, 2)):
            score = round(rng.uniform(0.2, 0.95), 3)
            out.append(Statement(f"{sid}-{bench}", model, "benchmarkScore", UNITS["benchmarkScore"],
                                 score, benchmark=bench, release=release))
        price = round(rng.uniform(0.1, 15), 2)
        out.append(Statement(f"{sid}-price-in", model, "apiPrice", UNITS["apiPrice"], price,
                             scope="InputPrice", release=release))
        out.append(Statement(f"{sid}-price-out", model, "apiPrice", UNITS["apiPrice"],
                             round(price * rng.uniform(2, 5), 2), scope="OutputPrice", release=release))
        return out

    # -------------------------------------------------------------- claims of one statement
    def _claims(self, st: Statement) -> Iterator[tuple[Doc, Value, str, str | None, bool, str]]:
        """(document, value, hedge, origin, correct, case) for each claim of the statement."""
        rng = self.rng
        k = 1 + min(int(rng.expovariate(1 / 2.2)), 12)
        variant_params = next((float(c.split(":", 1)[1]) for c in st.cases
                               if c.startswith("variant-of:")), None)
        st.cases = {c for c in st.cases if not c.startswith("variant-of:")}
        if st.prop != "releaseDate" and rng.random() < 0.12:
            # a rumour: one weak origin, relayed by several documents that cite it
            origin = self._doc(kinds=LOW_KINDS, after=st.release)
            wrong = wrong_value(float(st.true), rng, st.prop)
            sig = rng.randint(2, 3)
            if origin is not None:
                self._case(st, "copied-rumour")
                yield origin, written(st.prop, wrong, rng, sig), "kg:Stated", None, False, "rumour-origin"
                for _ in range(rng.randint(2, 4)):
                    relay = self._doc(kinds=RELAY_KINDS, after=origin.day)
                    if relay is None or relay is origin:
                        continue
                    relay.refs.add(origin.iri)
                    yield (relay, written(st.prop, wrong, rng, sig), "kg:Reported", origin.iri, False,
                           "rumour-relay")
                k = rng.randint(1, 2)
                for _ in range(k):
                    doc = self._doc(kinds=("PrimaryReport", "OfficialRecord", "CuratedDatabase",
                                           "AnalystFirm"), after=st.release) or self._doc(after=st.release) \
                    or self.docs[-1]
                    yield doc, self._true(st, rng), "kg:Stated", None, True, "independent"
                return
        if st.prop != "releaseDate" and st.release and rng.random() < 0.08:
            early = self._doc(before=st.release)
            if early is not None:
                self._case(st, "projection")
                yield early, self._false(st, rng), "kg:Projected", None, False, "projection"
        for _ in range(k):
            doc = self._doc(after=st.release) or self.docs[-1]
            if rng.random() < 0.35 and doc.kind not in ("PrimaryReport", "OfficialRecord"):
                # relaying the lab's own report: correct as long as the report is
                report = self.lab_reports[self._lab_of(st.subject)]
                doc.refs.add(report)
                yield doc, self._true(st, rng), "kg:Reported", report, True, "relay-primary"
                continue
            if rng.random() < doc.reliability:
                case = "plain"
                value = self._true(st, rng)
                if "~" in value.stated or "." in value.stated and st.prop != "apiPrice":
                    case = "rounded"
                yield doc, value, "kg:Stated", None, True, case
                continue
            roll = rng.random()
            if variant_params is not None and roll < 0.35:
                self._case(st, "identity-slip")
                yield doc, written(st.prop, variant_params, rng, 3), "kg:Stated", None, False, "identity"
            elif st.prop in ("totalParameters", "trainingGpuHours") and roll < 0.6:
                self._case(st, "unit-slip")
                yield doc, self._slip(st, rng), "kg:Stated", None, False, "unit-slip"
            else:
                yield doc, self._false(st, rng), "kg:Estimated", None, False, "wrong"

    def _analyst_claims(self, st: Statement) -> Iterator[tuple[Doc, Value, str, str | None, bool, str]]:
        """The analyst's cases (see the module docstring), from their own random stream."""
        rng = self.xrng
        good = ("PrimaryReport", "OfficialRecord", "CuratedDatabase", "AnalystFirm", "News")
        if st.prop == "peakThroughput":
            for _ in range(rng.randint(1, 2)):
                doc = self._doc(kinds=good) or self.docs[-1]
                yield doc, recorded(float(st.true), ("Dense",), st.unit), "kg:Stated", None, True, "dense"
            roll = rng.random()
            if roll < 0.4:
                self._case(st, "basis-stated")
                doc = self._doc(kinds=good) or self.docs[-1]
                yield (doc, recorded(2 * float(st.true), ("Sparse",), st.unit), "kg:Stated", None, True,
                       "basis-stated")
            elif roll < 0.7:
                self._case(st, "basis-unstated")
                doc = self._doc(kinds=LOW_KINDS) or self.docs[-1]
                yield (doc, recorded(2 * float(st.true), (), st.unit), "kg:Stated", None, False,
                       "basis-unstated")
            elif roll < 0.85:
                self._case(st, "basis-same-2x")  # a real 2x error on the same basis
                doc = self._doc(kinds=LOW_KINDS) or self.docs[-1]
                yield (doc, recorded(2 * float(st.true), ("Dense",), st.unit), "kg:Stated", None, False,
                       "basis-same-2x")
        elif st.prop == "apiPrice" and st.scope == "InputPrice" and rng.random() < 0.15:
            self._case(st, "basis-stated")
            doc = self._doc(after=st.release) or self.docs[-1]
            yield (doc, recorded(float(st.true) * 0.5, ("LaunchDiscount",), st.unit), "kg:Stated",
                   None, True, "basis-stated")
        elif st.prop == "releaseDate" and rng.random() < 0.3:
            # the database row that states the model's cost in constant dollars also states its
            # release date, the year the cost is deflated from (as Epoch's rows do): without it
            # the year, and so the nominal truth, would not be knowable from the claims
            self.constant_rows.add(st.subject)
            day = str(st.true)
            yield self.snapshots[-1], Value(day, date=day), "kg:Stated", None, True, "constant-dollars"
        elif st.prop == "trainingCost" and st.scope == "FinalRunCompute" and \
                st.subject in self.constant_rows:
            self._case(st, "constant-dollars")
            year = min(max(int((st.release or "")[:4]), min(self.cpi)), max(self.cpi))
            constant = float(st.true) * self.cpi[2023] / self.cpi[year]
            value = recorded(constant, (), st.unit, constant=KGU + "USD-2023")
            yield self.snapshots[-1], value, "kg:Stated", None, True, "constant-dollars"
        elif st.prop in ("totalParameters", "trainingGpuHours") and rng.random() < 0.2:
            after = [d for d in self.snapshots if d.day >= (st.release or "")]
            old, new = rng.choice(after[:-1]), after[-1]
            if rng.random() < 0.7:
                self._case(st, "snapshot-revision")
                wrong = wrong_value(float(st.true), rng, st.prop)
                yield old, recorded(wrong, (), st.unit), "kg:Stated", None, False, "snapshot-old"
            else:
                self._case(st, "snapshot-same")
                yield old, recorded(float(st.true), (), st.unit), "kg:Stated", None, True, "snapshot-old"
            yield new, recorded(float(st.true), (), st.unit), "kg:Stated", None, True, "snapshot-new"

    def _lab_of(self, model: str) -> str:
        return self._labs_by_model[model]

    def _true(self, st: Statement, rng: random.Random) -> Value:
        if st.prop == "releaseDate":
            day = str(st.true)  # ISO text for a date-valued statement
            if rng.random() < 0.3:
                return Value(day[:7], date=day[:7], date_type="gYearMonth")
            return Value(day, date=day)
        return written(st.prop, float(st.true), rng, rng.choice((2, 3, 3, 4)))

    def _false(self, st: Statement, rng: random.Random) -> Value:
        if st.prop == "releaseDate":
            shifted = date.fromisoformat(str(st.true)) + timedelta(
                days=rng.choice((-1, 1)) * rng.randint(60, 400))
            return Value(shifted.isoformat(), date=shifted.isoformat())
        return written(st.prop, wrong_value(float(st.true), rng, st.prop), rng, rng.choice((2, 3)))

    def _slip(self, st: Statement, rng: random.Random) -> Value:
        """The right digits with the wrong magnitude word: 284M for 284B."""
        right = written(st.prop, float(st.true), rng, 3)
        slips = (("B", "M", 1e-3), (" billion", " million", 1e-3), ("T", "B", 1e-3),
                 (" trillion", " billion", 1e-3), ("M", "B", 1e3), (" million", " billion", 1e3))
        for big, small, f in slips:
            if right.stated.endswith(big):
                return right.rewritten(right.stated[: -len(big)] + small, f)
        return self._false(st, rng)

    # -------------------------------------------------------------- output
    def run(self, out: Path) -> SynthReport:
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("claims-*.ttl"):
            old.unlink()
        writer = _Writer(out)
        truth = (out / "truth.tsv").open("w", encoding="utf-8", newline="\n")
        truth.write("statement\tsubject\tproperty\tscope\tbenchmark\tchip\tvalue\tunit\tcases\t"
                    "knowable\n")
        claims_truth = (out / "claims-truth.tsv").open("w", encoding="utf-8", newline="\n")
        claims_truth.write("claim\tstatement\tcorrect\tcase\tamount\tdate\n")
        self._labs_by_model: dict[str, str] = {}
        index = 0
        statements = 0
        chips = [Statement(f"{chip}-peak", chip, "peakThroughput", KGU + "FLOP-PER-SEC",
                           float(f"{self.xrng.uniform(50, 2500):.3g}") * 1e12)
                 for chip in self.analyst_chips]
        try:
            while writer.count < self.n:
                before = len(self.models)
                family = chips + self._family(index)
                chips = []
                for iri, _label, lab, _rel, _other in self.models[before:]:
                    self._labs_by_model[iri] = lab
                index += 1
                for st in family:
                    if writer.count >= self.n:
                        break
                    statements += 1
                    claims = self._claims(st) if st.prop != "peakThroughput" else iter(())
                    if self.analyst:
                        claims = itertools.chain(claims, self._analyst_claims(st))
                    knowable = False  # does a claim state the truth on the statement's own basis?
                    for written, (doc, value, hedge, origin, correct, case) in enumerate(claims):
                        if writer.count >= self.n:
                            break
                        knowable |= correct and not set(value.basis) - {"Dense"}
                        doc.lines += 1
                        claim_id = f"s-{st.sid}-{written}"
                        writer.claim(self._claim_ttl(claim_id, st, doc, value, hedge, origin))
                        claims_truth.write(f"https://w3id.org/kg-compute/claim/{claim_id}\t{st.sid}\t"
                                           f"{int(correct)}\t{case}\t"
                                           f"{'' if value.amount is None else repr(value.amount)}\t"
                                           f"{value.date or ''}\n")
                    truth.write("\t".join([
                        st.sid, KGE + st.subject, KGP + st.prop,
                        f"https://w3id.org/kg-compute/ontology#{st.scope}" if st.scope else "",
                        KGE + st.benchmark if st.benchmark else "", KGE + st.chip if st.chip else "",
                        str(st.true), st.unit or "", ",".join(sorted(st.cases)),
                        str(int(knowable))]) + "\n")
        finally:
            writer.close()
            truth.close()
            claims_truth.close()
        (out / "entities.ttl").write_text(self._entities_ttl(), encoding="utf-8")
        (out / "sources.ttl").write_text(self._sources_ttl(), encoding="utf-8")
        (out / "sources-truth.tsv").write_text(
            "document\tkind\treliability\n" + "".join(
                f"{KGS}{d.iri}\t{d.kind}\t{d.reliability:.3f}\n" for d in self.docs), encoding="utf-8")
        report = SynthReport(out, writer.count, statements, len(self.models), len(self.docs),
                             [out / "entities.ttl", out / "sources.ttl", *writer.files],
                             dict(sorted(self.cases.items())))
        (out / "synth.json").write_text(json.dumps({"seed": self.seed, **report.to_dict()}, indent=2)
                                        + "\n", encoding="utf-8")
        return report

    def _claim_ttl(self, claim_id: str, st: Statement, doc: Doc, value: Value, hedge: str,
                   origin: str | None) -> str:
        parts = [f"kgc:{claim_id} a kg:Claim ;\n"
                 f"    kg:subject kge:{st.subject} ; kg:property kgp:{st.prop} ;\n"
                 f"    kg:stated \"{value.stated}\" ; kg:hedge {hedge} ;\n"
                 f"    prov:wasDerivedFrom kgs:{doc.iri} ; kg:line {doc.lines} ; "
                 f"kg:locator \"line {doc.lines}\" ;\n"]
        if value.date is not None:
            parts.append(f"    kg:valueDate \"{value.date}\"^^xsd:{value.date_type} ;\n")
        else:
            parts.append(f"    kg:unit <{value.unit or st.unit}> ; kg:valueShape kg:Point ; "
                         f"kg:normalisedBy \"{NORMALISED_BY}\" ;\n"
                         f"    kg:amount \"{value.amount!r}\"^^xsd:double ; "
                         f"kg:lowerBound \"{value.low!r}\"^^xsd:double ; "
                         f"kg:upperBound \"{value.high!r}\"^^xsd:double ;\n")
            if value.approximate:
                parts.append("    kg:approximate true ;\n")
        if st.scope:
            parts.append(f"    kg:scope kg:{st.scope} ;\n")
        if st.chip:
            parts.append(f"    kg:chip kge:{st.chip} ;\n")
        if st.benchmark:
            parts.append(f"    kg:benchmark kge:{st.benchmark} ;\n")
        if origin:
            parts.append(f"    prov:hadPrimarySource kgs:{origin} ;\n")
        for b in value.basis:
            parts.append(f"    kg:basis kg:{b} ;\n")
        parts.append("    kg:evidence \"synthetic\" .\n")
        return "".join(parts)

    def _entities_ttl(self) -> str:
        out = [HEADER]
        for i, c in enumerate(("a", "b", "c")):
            out.append(f"kge:synth-country-{c} a kg:Country ; skos:prefLabel \"Synthland {i}\" .\n")
        for i, lab in enumerate(self.labs):
            out.append(f"kge:{lab} a kg:Lab ; skos:prefLabel \"Lab {i}\" ; "
                       f"kg:country kge:synth-country-{'abc'[i % 3]} .\n")
        for i, vendor in enumerate(self.vendors):
            out.append(f"kge:{vendor} a kg:ChipVendor ; skos:prefLabel \"Chipmaker {i}\" ; "
                       f"kg:country kge:synth-country-{'abc'[i % 3]} .\n")
        for i, chip in enumerate(self.chips):
            out.append(f"kge:{chip} a kg:Chip ; skos:prefLabel \"SX-{i}\" ; "
                       f"kg:developer kge:{self.vendors[i % 2]} .\n")
        for i, chip in enumerate(self.analyst_chips):
            out.append(f"kge:{chip} a kg:Chip ; skos:prefLabel \"AX-{i}\" ; "
                       f"kg:developer kge:{self.vendors[i % 2]} .\n")
        for i, bench in enumerate(self.benchmarks):
            out.append(f"kge:{bench} a kg:Benchmark ; skos:prefLabel \"Bench-{i}\" .\n")
        for iri, label, lab, rel, other in self.models:
            links = ""
            if rel == "family":
                links = f" ; kg:flagshipVariant kge:{other}"
            elif rel == "variant":
                links = f" ; kg:variantOf kge:{other}"
            out.append(f"kge:{iri} a kg:Model ; skos:prefLabel \"{label}\" ; "
                       f"kg:developer kge:{lab}{links} .\n")
        return "".join(out)

    def _sources_ttl(self) -> str:
        out = [HEADER]
        for lab, report in self.lab_reports.items():
            out.append(f"kgs:{report} a kg:Document ; dcterms:title \"(technical report of {lab})\" ; "
                       f"kg:sourceKind kg:PrimaryReport ; dcterms:date \"2023-01-01\"^^xsd:date ; "
                       f"dcterms:creator kge:{lab} .\n")
        if self.snapshots:
            out.append("kgs:synth-db a <http://purl.org/dc/dcmitype/Dataset> ; "
                       "dcterms:title \"(synthetic curated database)\" .\n")
        for d in self.snapshots:
            out.append(f"kgs:{d.iri} a kg:Document ; dcterms:title \"(synthetic database snapshot "
                       f"{d.day})\" ; kg:sourceKind kg:CuratedDatabase ; "
                       f"dcterms:date \"{d.day}\"^^xsd:date ; dcterms:isVersionOf kgs:synth-db .\n")
        for d in self.docs:
            refs = ""
            if d.refs:
                refs = " ;\n    dcterms:references " + ", ".join(f"kgs:{r}" for r in sorted(d.refs))
            out.append(f"kgs:{d.iri} a kg:Document ; dcterms:title \"(synthetic {d.kind} {d.iri})\" ; "
                       f"kg:sourceKind kg:{d.kind} ; dcterms:date \"{d.day}\"^^xsd:date{refs} .\n")
        return "".join(out)


def generate(claims: int, out: str | Path, *, seed: int = 0,
             analyst_cases: bool = False) -> SynthReport:
    """Write a synthetic graph of exactly `claims` claims, its truth files and a summary to `out`
    (with `analyst_cases`, also basis variants, snapshot revisions and constant dollars)."""
    if claims < 1:
        raise ValueError("claims must be at least 1")
    return Generator(claims, seed, analyst_cases).run(Path(out))


def _price_index() -> dict[int, float]:
    """The US CPI-U by year, from ontology/deflators.ttl, read with the reconciler's own query
    (queries/deflators.rq: a row per constant-dollar unit and year)."""
    from kg.core.resources import ONTOLOGY
    from kg.core.vocab import KG
    from kg.store.embedded import OxigraphStore
    from kg.store.queries import named_query

    store = OxigraphStore(timeout=None)
    store.load_file(ONTOLOGY / "deflators.ttl")
    rows = store.select(named_query("deflators").text)
    return {int(r["year"].value[:4]): float(r["value"].value) for r in rows
            if r["index"].value == KG + "UsCpiU"}
