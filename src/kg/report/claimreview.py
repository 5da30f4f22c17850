"""The reconciliation as schema.org ClaimReview: what fact-checking tools and search engines read.

One `ClaimReview` per claim the reconciler reviewed (a claim of a statement where a comparison
happened: several claims, or a finding on one; named query `claim-reviews`):

- `claimReviewed`: the stated figure, with what it is about ("DeepSeek-V3, total parameters: 671B");
- `itemReviewed`: a `Claim` (its `@id` the kg claim IRI) with its `appearance` (the document,
  a `CreativeWork` with name, url, date, identifier), its `author` (who wrote the document) and
  `datePublished`, `about` the entity and `text` the short evidence phrase;
- `reviewRating`: the claim's rank as a `Rating` from 1 to 3 (deprecated, normal, preferred),
  `alternateName` the rank's name and `ratingExplanation` why it was ranked so;
- `reviewBody`: the statement's explanation; `author`: kg's reconciliation.

A claim in two compared statements (its own and a scope finding) is reviewed once, from its own
statement. The document is JSON-LD with schema.org as its vocabulary (an inline `@vocab`, so no
processor has to fetch a context); the bytes repeat.
"""

from __future__ import annotations

from collections.abc import Callable

from kg.core.vocab import KG, WIKIBASE
from kg.report.evidence import address
from kg.store.queries import named_query
from kg.store.results import to_python

SCHEMA = "https://schema.org/"
RATINGS = {  # rank -> (ratingValue, alternateName)
    WIKIBASE + "PreferredRank": (3, "preferred"),
    WIKIBASE + "NormalRank": (2, "normal"),
    WIKIBASE + "DeprecatedRank": (1, "deprecated"),
}
REVIEWER = {"@type": "Organization", "name": "kg reconciliation",
            "description": "kg's reconciliation of conflicting claims in the evidence graph"}


def review_rows(eg, *, as_of: object = None) -> list[dict]:
    """One row per reviewed claim (named query `claim-reviews`), its own statement first; the
    current run's, or with `as_of` the run of the evidence known that day (its claims only)."""
    import pyoxigraph as ox

    from kg.reconcile.runs import run_iri
    from kg.store.bindings import with_table

    run = eg.ensure_reconciled(as_of)
    best: dict[str, dict] = {}
    query = with_table(named_query("claim-reviews").text, {"run": [ox.NamedNode(run_iri(run))]})
    for r in eg.store.select(query):
        v = {k: to_python(t) for k, t in r.items()}
        scope = v.get("kind") == KG + "ScopeConflict"
        claim = str(v["claim"])
        held = best.get(claim)
        if held is None or (held["_scope"] and not scope):
            v["_scope"] = scope
            best[claim] = v
    return [best[c] for c in sorted(best)]


def claim_reviews(eg, *, as_of: object = None) -> bytes:
    out: list[str] = []
    write_claim_reviews(eg, out.append, as_of=as_of)
    return "".join(out).encode("utf-8")


def write_claim_reviews(eg, write: Callable[[str], object], *, as_of: object = None) -> None:
    """claim_reviews' text given to `write` review by review as each is made (issue 19): one
    review per ranked claim is over a gigabyte of JSON at a million claims."""
    from kg.core.tabular import JsonItems, write_json_dumps

    reviews = JsonItems(map(review, review_rows(eg, as_of=as_of)))
    write_json_dumps({"@context": {"@vocab": SCHEMA}, "@graph": reviews}, write, indent=1,
                     ensure_ascii=False)
    write("\n")


def claim_text(v: dict) -> str:
    """What was claimed, readable alone: "DeepSeek-V3, training cost (final-run compute): $5.6M"."""
    about = [v.get("benchmarkLabel"), v.get("scopes") or None, v.get("chipLabel")]
    qualifier = ", ".join(a for a in about if a)
    what = v.get("propertyLabel") or v["property"].rsplit("/", 1)[-1]
    subject = v.get("subjectLabel") or v["subject"].rsplit("/", 1)[-1]
    return f"{subject}, {what}{f' ({qualifier})' if qualifier else ''}: {v.get('stated')}"


def review(v: dict) -> dict:
    value, name = RATINGS.get(v.get("rank") or "", (2, "normal"))
    work: dict[str, object] = {"@type": "CreativeWork", "@id": v["document"],
                               "name": v.get("title") or v["document"].rsplit("/", 1)[-1]}
    link = address(v.get("url"), v.get("identifier"))
    if link:
        work["url"] = link
    if v.get("identifier"):
        work["identifier"] = v["identifier"]
    if v.get("date") is not None:
        work["datePublished"] = str(v["date"])
    claim: dict[str, object] = {"@type": "Claim", "@id": v["claim"], "appearance": work,
                                "about": {"@type": "Thing", "@id": v["subject"],
                                          "name": v.get("subjectLabel") or v["subject"]}}
    if v.get("evidence"):
        claim["text"] = v["evidence"]
    if v.get("author"):
        claim["author"] = {"@type": "Organization", "name": v["author"]}
    if v.get("date") is not None:
        claim["datePublished"] = str(v["date"])
    rating: dict[str, object] = {"@type": "Rating", "ratingValue": value, "bestRating": 3,
                                 "worstRating": 1, "alternateName": name}
    if v.get("reason"):
        rating["ratingExplanation"] = v["reason"]
    body = v.get("explanation") or ""
    confidence = v.get("confidence")
    if confidence is not None:
        body = f"{body} (confidence {float(confidence):.2f})".strip()
    return {"@type": "ClaimReview", "claimReviewed": claim_text(v), "itemReviewed": claim,
            "author": REVIEWER, "reviewRating": rating, "reviewBody": body}

