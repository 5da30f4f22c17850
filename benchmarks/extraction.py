"""How well `kg extract` proposes the claims a curator wrote: precision and recall per document.

For each corpus document, extract candidates and compare them with the curated claims of that
document (graph/corpus/<file>.ttl) that carry a figure (a number or a date; entity, yes/no and
text values are not something the extractor proposes). Two matchings, each one-to-one and on
the same line:
  - figure: the candidate's value agrees with the claim's (kg.core.quantity bands overlap; dates
    agree at the coarser precision);
  - figure + subject + property: additionally the same subject and property.
Precision = matched candidates / candidates; recall = matched claims / figure-bearing claims.

Run: .venv/bin/python benchmarks/extraction.py  (writes benchmarks/results/extraction.md)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
RESULT = ROOT / "benchmarks" / "results" / "extraction.md"

CURATED = """
PREFIX kg: <https://w3id.org/kg-compute/ontology#>
SELECT ?claim ?subject ?property ?line ?stated ?amount ?low ?high ?unit ?date ?file WHERE {
  ?claim a kg:Claim ; kg:subject ?subject ; kg:property ?property ; kg:line ?line ;
         kg:stated ?stated ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?doc .
  ?doc kg:corpusFile ?file .
  OPTIONAL { ?claim kg:amount ?amount } OPTIONAL { ?claim kg:lowerBound ?low }
  OPTIONAL { ?claim kg:upperBound ?high } OPTIONAL { ?claim kg:unit ?unit }
  OPTIONAL { ?claim kg:valueDate ?date }
  FILTER(BOUND(?unit) || BOUND(?date))
}
"""


def _curated(eg, file_name: str) -> list[dict]:
    from kg.core import quantity
    from kg.store.results import to_python

    rows = eg.store.select(CURATED, {"file": file_name})
    out = []
    for r in rows:
        get = {k: to_python(r.get(k)) for k in r}
        q = None
        if get.get("unit"):
            q = quantity.Quantity(get.get("amount"), get.get("low"), get.get("high"),
                                  get["unit"], "point")
        out.append({"subject": get["subject"], "property": get["property"],
                    "line": int(get["line"]), "value": q, "date": get.get("date") and str(get["date"])})
    return out


def _value_agrees(cand, claim) -> bool:
    from kg.core import quantity

    if claim["date"] is not None:
        if not cand.value_date:
            return False
        return cand.value_date.startswith(claim["date"][:7]) or claim["date"].startswith(cand.value_date)
    if cand.value_date or claim["value"] is None:
        return False
    try:
        q = quantity.parse(cand.stated, claim["value"].unit)
    except Exception:
        q = cand.value
    if q is None:
        return False
    return q.agrees(claim["value"]) or (
        claim["value"].amount is not None and q.amount is not None and q.unit == claim["value"].unit
        and abs(q.amount - claim["value"].amount) <= 1e-6 * max(abs(q.amount), 1.0))


def _match(cands, claims, full: bool) -> int:
    used: set[int] = set()
    hits = 0
    for c in cands:
        for i, k in enumerate(claims):
            if i in used or k["line"] != c.line or not _value_agrees(c, k):
                continue
            if full and (c.subject != k["subject"] or c.property != k["property"]):
                continue
            used.add(i)
            hits += 1
            break
    return hits


def run() -> str:
    from kg.graph import EvidenceGraph
    from kg.ingest.extract import Linker, extract_lines, read_text
    from kg.ingest.resolve import Resolver

    if not CORPUS.is_dir():
        sys.exit(f"the corpus is not at {CORPUS}")
    eg = EvidenceGraph()
    resolver = Resolver.from_store(eg.store)
    linker = Linker(resolver)
    lines = ["# Extraction benchmark", "",
             "`kg extract` on each corpus document against the curated claims of that document that "
             "carry a figure (number or date). One-to-one matches on the same line. "
             "P = precision, R = recall.", "",
             "| document | candidates | curated | figure P | figure R | fig+subj+prop P | fig+subj+prop R |",
             "|---|---|---|---|---|---|---|"]
    tot = [0, 0, 0, 0]
    started = time.perf_counter()
    for path in sorted(CORPUS.glob("*.txt")):
        cands = extract_lines(read_text(path), resolver, linker)
        claims = _curated(eg, path.name)
        fig = _match(cands, claims, False)
        full = _match(cands, claims, True)
        tot = [tot[0] + len(cands), tot[1] + len(claims), tot[2] + fig, tot[3] + full]
        lines.append(f"| {path.stem} | {len(cands)} | {len(claims)} | {_pct(fig, len(cands))} | "
                     f"{_pct(fig, len(claims))} | {_pct(full, len(cands))} | {_pct(full, len(claims))} |")
    lines.append(f"| **all** | {tot[0]} | {tot[1]} | {_pct(tot[2], tot[0])} | {_pct(tot[2], tot[1])} | "
                 f"{_pct(tot[3], tot[0])} | {_pct(tot[3], tot[1])} |")
    lines += ["", f"Matched figures: {tot[2]}; matched figure+subject+property: {tot[3]}. "
              f"Extraction time: {time.perf_counter() - started:.1f} s for {len(list(CORPUS.glob('*.txt')))} "
              "documents.", ""]
    return "\n".join(lines)


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "n/a"


if __name__ == "__main__":
    text = run()
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(text, encoding="utf-8")
    print(text)
