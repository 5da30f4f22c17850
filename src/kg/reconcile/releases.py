"""A release date the rest of the graph contradicts: a model reported on, with figures stated
as facts, months before the day a source says it was released, was out by then.

A careful analyst dates a release by more than the release-date claims: "its GPU-hours and
scores were in the news in October 2024, so a June 2025 release is wrong". The evidence is the
dates of the documents that state the subject's other figures without hedging them as
projections (`kg:Projected`: a forecast made before the release says nothing about it). A
release-date candidate later than most of those documents (`kg:ReleaseLateShare` of at least
`kg:ReleaseMinReports` of them) counts `kg:ReleaseAfterReports` as much, and says why. A date
earlier than every report is never penalised: coverage can lag a release by months. Pre-release
leaks stated as facts are a minority of what is written about a model, so they do not move a
release date. A preferred date the reports still contradict (the only date any source gives,
say) is not used to judge whether the subject's other figures were stated before its release.
The numbers are priors (ontology/priors.ttl).
"""

from __future__ import annotations

from collections import defaultdict

from kg.core.vocab import KG, KGP
from kg.reconcile import scoring
from kg.reconcile.context import Context
from kg.reconcile.model import Group
from kg.reconcile.weighing import score_group

RELEASE = KGP + "releaseDate"


def weigh(releases: list[Group], groups: list[Group], ctx: Context, priors: scoring.Priors,
          trust: dict[str, float]) -> set[str]:
    """Count less the release dates later than most of the subject's unhedged reports. Returns
    the subjects whose preferred release date the reports still contradict (a single source's
    date, say): that date is not used to judge the timing of the subject's other figures."""
    contested = {g.subject for g in releases if g.candidates}
    if not contested:
        return set()
    least = priors.weight("ReleaseMinReports")
    share = priors.weight("ReleaseLateShare")
    weight = priors.weight("ReleaseAfterReports")
    reports: dict[str, dict[str, str]] = defaultdict(dict)  # subject -> document -> its date
    for g in groups:
        if g.subject in contested and g.property != RELEASE:
            for c in g.claims:
                if c.document_date and c.hedge != KG + "Projected":
                    reports[g.subject][c.document] = c.document_date
    doubtful: set[str] = set()
    for g in releases:
        dates = sorted(reports.get(g.subject, {}).values())
        if not g.candidates or len(dates) < least:
            continue
        changed = False
        for cand in g.candidates:
            day = next((c.date for c in cand.claims if c.date), None)
            earlier = [d for d in dates if scoring.before(d, day)]
            if day and earlier and len(earlier) >= share * len(dates):
                cand.penalty *= weight
                cand.note = (f"later than {len(earlier)} of the {len(dates)} documents that "
                             f"report {ctx.label(g.subject)}'s figures (from {earlier[0]}): it "
                             "was out by then")
                changed = True
        if changed:
            score_group(g, ctx, priors, trust)
            if g.candidates[0].penalty < 1.0:
                doubtful.add(g.subject)
    return doubtful
