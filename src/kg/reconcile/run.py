"""A reconciliation run: read claims batch by batch, learn sources' reliabilities, settle every statement.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from kg.core.vocab import KGP, XSD
from kg.reconcile import currency, magnitude, scoring, timeline
from kg.reconcile import releases as release_dates
from kg.reconcile import rules as rules_mod
from kg.reconcile import statement as claims_mod
from kg.reconcile.classify import AMBIGUOUS_CAP, classify
from kg.reconcile.context import Context, load_context, set_releases
from kg.reconcile.grouping import candidates_for, group_claims
from kg.reconcile.model import Group, Kind, Resolution, Status
from kg.reconcile.scope import find_scope_differences
from kg.reconcile.settled import SettledGroups
from kg.reconcile.weighing import score_group
from kg.store.protocol import Store
from kg.store.queries import named_query

# ---------------------------------------------------------------- the run


@dataclass
class Reconciliation:
    # a run read in batches keeps its statements on disk (kg.reconcile.settled), iterated in order
    groups: list[Group] | SettledGroups
    scope_findings: list[Group]
    trust: dict[str, float]
    context: Context
    rules: list[rules_mod.Rule]
    run: str = ""          # a digest of what the run was given (_run_id): equal digests, equal verdicts
    statements: int = 0    # every statement settled, kept or not
    compared: int = 0      # those where a comparison happened (several claims, or a finding)
    complete: bool = True  # False when the statements were not kept (keep=False)
    conflict_kinds: dict[str, int] = field(default_factory=dict)  # counted, kept or not
    claims: int = 0        # claims read (as of the cut-off, when there is one)
    explained: int = 0     # statements not in conflict whose difference has a kind (scope, time)
    as_of: str | None = None  # the evidence cut-off (YYYY-MM-DD): only claims known then were read
    priors: scoring.Priors | None = None  # the priors used (recorded with the run)
    run_id: str = ""       # the stored run's id (kg.reconcile.runs) once written; "" when not

    def add(self, groups: list[Group], scope_findings: list[Group], *, keep: bool = True) -> None:
        """Take in a settled batch; without `keep`, only its counts stay (bounded memory: the
        verdicts themselves went to the store)."""
        self.statements += len(groups)
        self.claims += sum(len(g.claims) for g in groups)
        for g in groups + scope_findings:
            self.compared += compared(g)
            if g.status == Status.CONFLICT:
                kind = g.kind or Kind.VALUE
                self.conflict_kinds[kind] = self.conflict_kinds.get(kind, 0) + 1
            elif g.kind is not None:
                self.explained += 1
        if keep:
            self.groups.extend(groups)
            self.scope_findings.extend(scope_findings)
        else:
            self.complete = False

    @property
    def conflicts(self) -> Sequence[Group]:
        """The conflicts, worst first; of a run kept on disk, read back one at a time."""
        return self.conflicts_where(None)

    def conflicts_where(self, keep: Callable[[Group], bool] | None) -> Sequence[Group]:
        """The conflicts `keep` accepts (all, for None), worst first. A run kept on disk holds
        only their places and reads each back when it is reached (at a million claims the
        150,000 conflicts held whole added a gigabyte to `kg reconcile`'s peak)."""
        def wanted(g: Group) -> bool:
            return g.status == Status.CONFLICT and (keep is None or keep(g))

        if isinstance(self.groups, SettledGroups):
            return self.groups.chosen(wanted, _worst_first, also=self.scope_findings)
        return sorted(filter(wanted, self.each_group()), key=_worst_first)

    def all_groups(self) -> list[Group]:
        return list(self.each_group())

    def each_group(self) -> Iterator[Group]:
        """Every settled statement, then the findings across statements, without holding them
        all when the run kept them on disk (a big run's output streams through this)."""
        return itertools.chain(self.groups, self.scope_findings)

    def group(self, subject: str, prop: str, **qualifiers) -> Group | None:
        for g in self.groups:
            if g.subject == subject and g.property == prop and all(
                    g.qualifiers.get(k) == v for k, v in qualifiers.items()):
                return g
        return None


def compared(g: Group) -> bool:
    """A group where a comparison happened: several claims, or a finding on a single one."""
    return len(g.claims) > 1 or g.kind is not None


def _worst_first(g: Group) -> tuple[float, str, str]:
    return -_severity(g), g.subject, g.property


def _severity(g: Group) -> float:
    if not g.candidates or len(g.candidates) < 2:
        return g.confidence
    a, b = g.candidates[0], g.candidates[1]
    if a.value is not None and b.value is not None and a.value.center and b.value.center:
        ratio = max(a.value.center, b.value.center) / max(min(a.value.center, b.value.center),
                                                          1e-12)
        return min(ratio, 1e6) * (0.5 + b.score)
    return 1.0 + b.score


# claims per batch: a graph under this is settled in one piece; a larger one batch by batch,
# about 300-400 MB of Python objects per batch
BATCH_CLAIMS = 200_000


def reconcile(store: Store, *, subject: str | None = None,
              progress: Callable[[int, int], None] | None = None,
              on_batch: Callable[[list[Group], list[Group], str], None] | None = None,
              keep: bool = True, batch_claims: int = BATCH_CLAIMS,
              as_of: str | None = None,
              trust: Mapping[str, float] | None = None) -> Reconciliation:
    """Reconcile every statement in the store (or one subject's); see the module docstring.

    With `as_of` (YYYY-MM-DD) only the evidence known on that date is read (the claim-facts
    query's ?cutoff, queries/known-since.rq's rule), so everything after it, the sources'
    reliabilities included, is learned from that evidence alone: the reconciliation a careful
    analyst could have made on that day. The graph is not copied; the claims read are filtered.

    With `subject`, the answer for that subject is the full run's: every statement is read (the
    sources' reliabilities are learned on all of them) and the batch holding the subject's
    family is settled as in the full run; only the subject's statements are kept.

    With `subject` and `trust` (the sources' reliabilities a kept run learned, read from its
    graph), only the subject's family is read and settled with them: the run's scores for that
    subject without reading every statement again (`kg explain` on a persistent store).

    A graph larger than `batch_claims` is read in batches of whole entity families
    (`kg.reconcile.families`). Sources' reliabilities need every statement, so each batch's statements
    are set aside in a temporary file (pickled: re-reading them from the store costs several
    times more) until truth discovery has seen them all; then each batch is settled and handed
    to `on_batch` (the verdict writer). With `keep=False` the result keeps only counts, so
    memory is bounded by the batch, not the graph. `progress(done, total)` counts claims read.
    """
    import pickle
    import tempfile

    from kg.reconcile import families

    ctx = load_context(store)
    priors = scoring.load_priors(store)
    rules = rules_mod.load_rules(store)
    # streamed: `select` would fork a child for the user's time limit (0.5 s at 100,000 claims)
    total = int(list(store.stream(named_query("claim-count").text))[0]["claims"].value)
    batches: Sequence[list[str] | None]  # None: every subject at once
    # one subject: its family is settled exactly as in the full run (the batch that holds it,
    # every relative at hand), with the sources' reliabilities learned on every statement
    wanted = ctx.canonical(subject) if subject else None
    if wanted is not None and trust is not None:  # reliabilities known: the family alone
        batches, total = families.plan(store, ctx, 1)
        batches = [b for b in batches if _holds(b, wanted, ctx)] or [[wanted]]
    elif total <= batch_claims:  # one batch: no plan, no VALUES block
        batches = [None]
    else:
        batches, total = families.plan(store, ctx, batch_claims)
    # a cut-off after every source's date reads what a plain run reads: no filter to pay for
    cutoff = None if as_of and _every_source_known(ctx, as_of) else as_of
    done = 0
    observations: list = []
    prior: dict[Hashable, float] = {}  # origin -> its best standing (truth.kg_trust's prior)
    magnitudes = magnitude.Magnitudes()  # every property's figures, for slipped magnitude words
    kinds: dict[Hashable, Hashable] = {}  # statement -> its property (truth.kg_trust's kind)
    with tempfile.TemporaryDirectory(prefix="kg-reconcile-") as spill:
        in_memory: list[Group] | None = None
        for n, batch in enumerate(batches):
            groups = _read_groups(store, ctx, batch, cutoff)
            done += sum(len(g.claims) for g in groups)
            if progress:
                progress(done, total or done)
            # the sources' records across every statement first: reliabilities need them all
            _collect_record(groups, priors, observations, prior, kinds)
            for g in groups:
                magnitude.collect(g.claims, magnitudes)
                ctx.bases.note(g.claims)  # figures stated with a basis: the pairs they make
            if len(batches) == 1:
                in_memory = groups
            elif wanted is None or _holds(batch, wanted, ctx):
                with open(f"{spill}/{n}.pickle", "wb") as fh:
                    pickle.dump(groups, fh, protocol=pickle.HIGHEST_PROTOCOL)
            del groups
        trust = dict(trust) if trust is not None else _trust(observations, prior, kinds)
        result = Reconciliation([], [], trust, ctx, rules,
                                run=_run_id(observations, priors, rules, as_of),
                                as_of=as_of, priors=priors)
        if keep and len(batches) > 1 and wanted is None:  # held on disk, not in memory
            result.groups = SettledGroups(_statement_order)
        del observations
        for n, batch in enumerate(batches):
            if in_memory is not None:
                groups, in_memory = in_memory, None
            elif wanted is None or _holds(batch, wanted, ctx):
                with open(f"{spill}/{n}.pickle", "rb") as fh:
                    groups = pickle.load(fh)
            else:
                continue
            scope_findings = _settle(groups, ctx, priors, trust, rules, magnitudes)
            if wanted is not None:
                groups = [g for g in groups if g.subject == wanted]
                scope_findings = [f for f in scope_findings if f.subject == wanted]
            result.add(groups, scope_findings, keep=keep)
            if on_batch:
                on_batch(groups, scope_findings, result.run)
            del groups, scope_findings
    if len(batches) > 1:  # the order of one pass: by subject, property and qualifiers
        if isinstance(result.groups, list):  # kept on disk, they are merged in this order
            result.groups.sort(key=_statement_order)
        result.scope_findings.sort(key=_statement_order)
    return result


def _every_source_known(ctx: Context, as_of: str) -> bool:
    """Is every document dated on or before `as_of` (queries/known-since.rq's day rule)? Then
    an as-of run reads every claim, as a plain one does. An undated document says no."""
    from kg.reconcile.runs import day_of

    dates = [date for _kind, date in ctx.documents.values()]
    return bool(dates) and all(d is not None and day_of(str(getattr(d, "value", d))) <= as_of
                               for d in dates)


def _statement_order(g: Group) -> tuple:
    q = g.qualifiers
    return (g.subject, g.property, q.get("benchmark") or "", q.get("compared_to") or "",
            sorted(q.get("scope") or []) if not g.finding else [], q.get("chip") or "")


def _holds(batch: list[str] | None, subject: str, ctx: Context) -> bool:
    """Does this batch hold the subject (or a node owl:sameAs it)?"""
    return batch is None or any(ctx.canonical(s) == subject for s in batch)


def _read_groups(store: Store, ctx: Context, subjects: list[str] | None,
                 as_of: str | None = None) -> list[Group]:
    """One batch's claims, streamed from the engine and folded into statements with candidates."""
    import pyoxigraph as ox

    from kg.store.bindings import stream_bound, with_table
    from kg.store.protocol import stream_positional

    query = named_query("claim-facts").text  # subjects bound as VALUES: Oxigraph plans with it
    # the cut-off travels as a VALUES binding (never pasted): pyoxigraph's substitutions need
    # the variable projected, and a server gets VALUES anyway
    fixed = {"cutoff": [ox.Literal(as_of, datatype=ox.NamedNode(XSD + "date"))]} if as_of else {}
    facts = ("claim", "predicate", "value")  # a million rows: tuples, not a dict each
    if subjects is None:
        rows: Iterable = stream_positional(store, with_table(query, fixed) if fixed else query, facts)
    else:
        rows = stream_bound(store, query, "subject", [ox.NamedNode(s) for s in subjects],
                            fixed=fixed, positional=facts)
    claims = claims_mod.from_facts(rows, ctx.documents, ctx.dimensions, ctx.databases)
    for c in claims:
        if c.attributed_to:
            c.attributed_kind = ctx.agent_kind.get(c.attributed_to)
    currency.to_nominal(claims, ctx.deflators, ctx.canonical)  # Epoch's 2023 USD, comparable
    groups = group_claims(claims, ctx)
    for g in groups:
        g.superseded = timeline.superseded(g.claims)
        g.candidates = candidates_for(g.claims)
    return groups


def _collect_record(groups: list[Group], priors: scoring.Priors, observations: list,
                    prior: dict[Hashable, float], kinds: dict[Hashable, Hashable]) -> None:
    """What truth discovery needs from a batch: who backed which candidate where there was a
    choice, and each origin's prior (the best standing any of its claims gives it, so the
    result does not depend on the order batches are read in)."""
    from kg.reconcile import truth

    for g in groups:
        if len(g.candidates) > 1:
            kinds[g.key] = g.property
            observations.extend(truth.Observation(g.key, scoring.origin_of(c), i)
                                for i, cand in enumerate(g.candidates) for c in cand.claims
                                if c.iri not in g.superseded)
        for c in g.claims:
            origin = scoring.origin_of(c)
            q = scoring.quality(c, priors)
            if q > prior.get(origin, -1.0):
                prior[origin] = q


def _trust(observations: list, prior: Mapping[Hashable, float],
           kinds: Mapping[Hashable, Hashable] | None = None) -> dict[str, float]:
    """Each origin's reliability from its record across every statement (truth.methods.kg_trust),
    with each statement's property as its kind of fact: a source is judged by its ability, apart
    from how hard the properties it reports are to get right (a release date against a training
    cost), as on the public benchmarks with attributes."""
    from kg.reconcile import truth

    if not observations:
        return {}
    observations.sort(key=lambda o: (o.object, o.source, o.value))  # same input, same floats
    kind = kinds.__getitem__ if kinds else None
    res = truth.kg_trust(observations, prior=prior, kind=kind)
    return {str(k): float(v) for k, v in res.trust.items()}


def _settle(groups: list[Group], ctx: Context, priors: scoring.Priors, trust: dict[str, float],
            rules: list[rules_mod.Rule],
            magnitudes: magnitude.Magnitudes | None = None) -> list[Group]:
    """Score, check identity and arithmetic, classify: one batch, with every relative at hand."""
    from kg.reconcile import arithmetic, identity

    index = identity.StatementIndex(groups)
    # release dates first: every other statement's timing is judged against them
    releases = [g for g in groups if g.property == KGP + "releaseDate"]
    for g in releases:
        score_group(g, ctx, priors, trust)
    # out before it was reported on; a date the reports contradict judges no other timing
    doubtful = release_dates.weigh(releases, groups, ctx, priors, trust)
    identity.check(releases, index, ctx, priors, trust)
    set_releases([g for g in releases if g.subject not in doubtful], ctx)
    for g in groups:  # constant dollars at the reconciled release year, not the claims' vote
        if currency.respend(g.claims, ctx.deflators, ctx.releases, ctx.canonical):
            g.candidates = candidates_for(g.claims)
    for g in groups:
        score_group(g, ctx, priors, trust)
    identity.check(groups, index, ctx, priors, trust)
    if magnitudes is not None:
        magnitude.check(groups, magnitudes, ctx, priors, trust)
    arithmetic.check(groups, rules, ctx, priors, trust)
    for g in groups:
        classify(g, ctx)
        calibrate(g, priors)
    for g in groups:  # a value taken from a relative is no surer than the relative's verdict
        lender = index.find(g.preferred.borrowed_from, g) if g.preferred and \
            g.preferred.borrowed_from else None
        if lender is not None:
            g.confidence = min(g.confidence, lender.confidence)
    return find_scope_differences(groups, ctx)


def calibrate(g: Group, priors: scoring.Priors) -> None:
    """Confidence as the probability that the preferred value is right (see ontology/priors.ttl);
    a statement whose figures cannot be placed is never more than a coin flip."""
    if not g.candidates:
        return
    g.confidence = round(priors.calibrated(g.confidence, len(g.candidates) > 1), 4)
    if g.resolution == Resolution.AMBIGUOUS:
        g.confidence = min(g.confidence, AMBIGUOUS_CAP)


def _run_id(observations: list, priors: scoring.Priors, rules: list[rules_mod.Rule],
            as_of: str | None = None) -> str:
    """The run named by what it was given: the contested statements' records, priors and rules
    (and the evidence cut-off, so an as-of run never shares a plain run's name)."""
    h = hashlib.sha1()
    if as_of:
        h.update(f"as-of {as_of}\n".encode())
    for o in observations:  # already sorted by _trust
        h.update(f"{o.object}|{o.source}|{o.value}\n".encode())
    h.update(repr(sorted((k, sorted(v.items())) for k, v in vars(priors).items())).encode())
    h.update(repr([r.iri for r in rules]).encode())
    return h.hexdigest()[:12]
