"""Find the claims that disagree, explain why, and pick the value a careful analyst would pick.

Flow (each step reads the store through SPARQL, never by walking Python graph objects):
  1. claims stream in as facts (`claim-facts.rq`), a batch of entity families at a time
     (`kg.families`), and are grouped into statements (`kg.claims.statement_key` says what
     "the same statement" means);
  2. within a statement, values that agree within their stated precision form one candidate;
  3. truth discovery over every statement estimates each source's reliability;
  4. candidates are scored (`kg.scoring`), identity slips and arithmetic misfits are looked for,
     and each disagreement is classified: value, scope, temporal, identity or arithmetic;
  5. the result can be written back as RDF (ranks, preferred values, the run as prov:Activity).
Nothing is deleted: losing claims are ranked down with the reason.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from kg import claims as claims_mod
from kg import quantity, scoring
from kg import rules as rules_mod
from kg.claims import Claim
from kg.quantity import Quantity, format_value
from kg.queries import named_query
from kg.store import Store
from kg.vocab import KG, KGP, OWL, SKOS, shorten

OWL_SAMEAS = OWL + "sameAs"

KINDS = ("value", "scope", "temporal", "identity", "arithmetic")
TIME_VARYING = {KGP + p for p in ("apiPrice", "inferenceCost", "users", "tokenVolume",
                                  "computeShare", "marketShare", "monthsBehindFrontier",
                                  "computeLag", "computeLead", "shipments", "grossMargin",
                                  "policyStatus", "gpuCount", "fundingRaised")}
PARAMETER_PROPS = {KGP + "totalParameters", KGP + "activeParameters"}
TITLE_WIDTH = 48


@dataclass
class Candidate:
    """One value a statement could have, with the claims that support it and its score."""

    value: Quantity | None
    display: str
    claims: list[Claim] = field(default_factory=list)
    score: float = 0.0
    factors: dict[str, object] = field(default_factory=dict)
    note: str | None = None          # why this candidate is (dis)favoured beyond its sources
    borrowed_from: str | None = None  # a related entity whose preferred value this is
    penalty: float = 1.0

    @property
    def comparable(self) -> object:
        return self.claims[0].comparable_value() if self.claims else self.display

    def value_agrees(self, other: Candidate) -> bool:
        if self.value is not None and other.value is not None:
            return self.value.agrees(other.value)
        return self.comparable == other.comparable

    def agrees(self, claim: Claim) -> bool:
        if self.value is not None and claim.value is not None:
            return self.value.agrees(claim.value)
        if self.value is not None or claim.value is not None:
            return False
        mine, theirs = self.comparable, claim.comparable_value()
        if mine and theirs and mine[0] == theirs[0] == "date":
            return mine[1].startswith(theirs[1]) or theirs[1].startswith(mine[1])
        return mine == theirs


@dataclass
class Group:
    """One statement (subject, property, splitting qualifiers) and what the reconciler made of it."""

    subject: str
    property: str
    qualifiers: dict[str, object]
    claims: list[Claim]
    candidates: list[Candidate] = field(default_factory=list)
    status: str = "agree"
    kind: str | None = None
    confidence: float = 0.0
    explanation: str = ""
    resolution: str | None = None     # for scope findings: "explained" or "ambiguous"
    members: list[Group] = field(default_factory=list)  # scope findings: the statements compared

    @property
    def preferred(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def index_key(self, subject: str | None = None) -> tuple:
        """The statement's identity with another subject put in: used to find a relative's figure."""
        quals = tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                             for k, v in self.qualifiers.items()))
        return (subject or self.subject, self.property, quals)

    @cached_property  # a statement's identity never changes once grouped; asked for often
    def key(self) -> str:
        text = "|".join([self.subject, self.property] +
                        [f"{k}={v}" for k, v in sorted(self.qualifiers.items())])
        return hashlib.sha1(text.encode()).hexdigest()[:16]


@dataclass
class Context:
    """What the reconciler knows about entities: labels, identity links, citations."""

    labels: dict[str, str] = field(default_factory=dict)
    links: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    same_as: dict[str, str] = field(default_factory=dict)
    needs_scope: set[str] = field(default_factory=set)
    multi_valued: set[str] = field(default_factory=set)
    default_unit: dict[str, str] = field(default_factory=dict)
    developer: dict[str, str] = field(default_factory=dict)
    citations: scoring.Citations = field(default_factory=scoring.Citations)
    releases: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    corpus_files: dict[str, str] = field(default_factory=dict)
    agent_kind: dict[str, str] = field(default_factory=dict)
    dimensions: dict[str, str] = field(default_factory=dict)  # property -> kg:dimension
    documents: dict[str, tuple] = field(default_factory=dict)  # document -> (kind, date) terms

    def label(self, iri: str | None) -> str:
        if not iri:
            return ""
        return self.labels.get(iri) or self.document_label(iri) or shorten(iri)

    def document_label(self, iri: str) -> str | None:
        """A document as a person names it: its (short) title, and the corpus file it is."""
        title = self.titles.get(iri, "").strip().strip("[]")
        if len(title) > TITLE_WIDTH:
            title = title[:TITLE_WIDTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        file = self.corpus_files.get(iri)
        if title and file:
            return f"{title} ({file.split('_', 1)[0]})"
        return title or file

    def canonical(self, iri: str) -> str:
        seen = set()
        while iri in self.same_as and iri not in seen:
            seen.add(iri)
            iri = self.same_as[iri]
        return iri

    def related(self, subject: str) -> list[tuple[str, str]]:
        """Entities a figure could really be about, with how they relate (for identity slips)."""
        out: list[tuple[str, str]] = []
        for relation, other in sorted(self.links.get(subject, ())):
            out.append((relation, other))
            if relation == "variant of":  # siblings share a parent
                for rel2, sibling in sorted(self.links.get(other, ())):
                    if rel2 == "has variant" and sibling != subject:
                        out.append(("sibling variant", sibling))
        return out


def load_context(store: Store) -> Context:
    ctx = Context()
    inverse = {"variantOf": ("variant of", "has variant"),
               "flagshipVariant": ("flagship variant", "flagship of"),
               "successorOf": ("successor of", "predecessor of"),
               "postTrainedFrom": ("post-trained from", "post-trained into"),
               "distilledFrom": ("distilled from", "distilled into"),
               "derivedFrom": ("derived from", "derived into")}
    for row in store.select(named_query("entity-context").text):
        node, relation, other = row["node"].value, row["relation"].value, row["other"].value
        local = relation.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if relation in (SKOS + "prefLabel", "http://www.w3.org/2000/01/rdf-schema#label"):
            if other < ctx.labels.get(node, "\uffff"):  # one label, whatever the row order
                ctx.labels[node] = other
        elif local == "title":
            ctx.titles[node] = min(other, ctx.titles.get(node, other))
        elif local == "corpusFile":
            ctx.corpus_files[node] = other
        elif local == "type":
            ctx.agent_kind[node] = min(other, ctx.agent_kind.get(node, other))
        elif relation == OWL_SAMEAS:
            a, b = sorted((node, other))
            ctx.same_as[b] = a
        elif local in inverse:
            forward, backward = inverse[local]
            ctx.links[node].add((forward, other))
            ctx.links[other].add((backward, node))
        elif local == "developer":
            ctx.developer[node] = other
        elif local == "references":
            ctx.citations.add(node, other)
        elif local == "needsScope" and other in ("true", "1"):
            ctx.needs_scope.add(node)
        elif local == "multiValued" and other in ("true", "1"):
            ctx.multi_valued.add(node)
        elif local == "defaultUnit":
            ctx.default_unit[node] = other
        elif local == "dimension":
            ctx.dimensions[node] = other
    for row in store.select(named_query("documents").text):
        found = (row.get("kind"), row.get("date"))
        known = ctx.documents.setdefault(row["document"].value, found)
        if known != found:  # two kinds or dates: the smallest of each, whatever the row order
            ctx.documents[row["document"].value] = tuple(
                min((t for t in pair if t is not None), key=str, default=None)
                for pair in zip(known, found, strict=True))
    return ctx


def _set_releases(groups: list[Group], ctx: Context) -> None:
    """Release dates from the reconciled release-date statements; variants inherit them."""
    for g in groups:
        if g.property == KGP + "releaseDate" and g.preferred and g.preferred.claims:
            date = g.preferred.claims[0].date
            if date:
                ctx.releases[g.subject] = date
    for subject, date in list(ctx.releases.items()):
        for relation, other in ctx.links.get(subject, ()):
            if relation in ("has variant", "flagship variant"):
                ctx.releases.setdefault(other, date)
        for relation, other in ctx.links.get(subject, ()):
            if relation == "flagship of":
                ctx.releases.setdefault(other, date)


# ---------------------------------------------------------------- grouping


def group_claims(claims: Iterable[Claim], ctx: Context) -> list[Group]:
    """Statements from claims; a chip, or a scope where scope is optional, left out is a wildcard."""
    by_key: dict[tuple, list[Claim]] = defaultdict(list)
    for c in claims:
        by_key[claims_mod.statement_key(c, ctx.canonical(c.subject))].append(c)
    merged: dict[tuple, list[Claim]] = {}
    resolved: dict[tuple, tuple] = {}
    siblings: dict[tuple, list[tuple]] = defaultdict(list)  # same subject, property, benchmark, baseline
    for key in by_key:
        siblings[key[:4]].append(key)
    # most specific statements first, so a vaguer one sees where the others already went
    for key in sorted(by_key, key=lambda k: ((k[4] == frozenset()) + (k[5] is None), _sort_key(k))):
        target = _wildcard_target(key, siblings[key[:4]], resolved,
                                  scope_optional=key[1] not in ctx.needs_scope)
        resolved[key] = target
        merged.setdefault(target, []).extend(by_key[key])
    groups = []
    for key in sorted(merged, key=_sort_key):
        subject, prop, bench, base, scopes, chip = key
        qualifiers = {k: v for k, v in (("benchmark", bench), ("compared_to", base),
                                        ("scope", sorted(scopes) or None), ("chip", chip)) if v}
        groups.append(Group(subject, prop, qualifiers, merged[key]))
    return groups


def _wildcard_target(key: tuple, keys: Iterable[tuple], resolved: dict[tuple, tuple], *,
                     scope_optional: bool) -> tuple:
    """A statement that leaves out the chip (or an optional scope) joins the one statement that
    states it, when exactly one does; with several, it stays apart rather than guess. Statements
    that already joined another count as that one (a chip-only figure merged into chip + scope)."""
    no_chip, no_scope = key[5] is None, not key[4] and scope_optional
    if not (no_chip or no_scope):
        return key
    fits = {resolved.get(k, k) for k in keys if k != key and k[:4] == key[:4]
            and (k[4] == key[4] or (no_scope and not key[4]))
            and (k[5] == key[5] or no_chip)}
    fits.discard(key)
    return next(iter(fits)) if len(fits) == 1 else key


def _sort_key(key: tuple) -> tuple:
    return tuple(sorted(x) if isinstance(x, frozenset) else (x or "") for x in key)


NON_NUMERIC = {"TextValue", "EntityValue", "DateValue", "BooleanValue"}


def is_description(c: Claim) -> bool:
    """Words standing in for a figure ('significantly lower', 'on par'): recorded, not compared."""
    return c.value is None and c.text is not None and c.dimension not in NON_NUMERIC


def candidates_for(claims: list[Claim]) -> list[Candidate]:
    """Cluster agreeing values, most precise first, so rounding never splits a value.

    Descriptions in words of a numeric property are left out: two phrasings are not two values.
    """
    claims = [c for c in claims if not is_description(c)]
    def precision(c: Claim) -> float:
        if c.value is None:
            return 0.0
        low, high = c.value.band()
        return high - low if high != float("inf") and low != float("-inf") else float("inf")

    out: list[Candidate] = []
    for c in sorted(claims, key=lambda c: (precision(c), -len(c.date or ""), c.iri)):
        if not c.has_value:
            continue
        for cand in out:
            if cand.agrees(c):
                cand.claims.append(c)
                break
        else:
            out.append(Candidate(c.value, c.display_value(), [c]))
    return out


# ---------------------------------------------------------------- scoring


def score_group(group: Group, ctx: Context, priors: scoring.Priors,
                trust: dict[str, float]) -> None:
    release = ctx.releases.get(group.subject)
    for cand in group.candidates:
        by_origin: dict[str, float] = {}
        best: dict[str, object] = {}
        for c in cand.claims:
            origin = scoring.origin_of(c)
            q = scoring.quality(c, priors)
            r = trust.get(origin, q)
            hedge = priors.of_hedge(c.hedge)
            pre = c.hedge == KG + "Projected" or scoring.before(c.document_date, release)
            timing = priors.weight("PreRelease", 0.5) if pre else 1.0
            w = ((q + r) / 2) * hedge * timing * cand.penalty
            if w > by_origin.get(origin, -1):
                by_origin[origin] = w
            if w >= best.get("weight", -1):
                best = {"weight": round(w, 4), "quality": round(q, 4), "reliability": round(r, 4),
                        "hedge": round(hedge, 4), "timing": timing}
        s, independent = scoring.support(by_origin, ctx.citations)
        cand.score = s
        cand.factors = {**{k: v for k, v in best.items() if k != "weight"},
                        "penalty": round(cand.penalty, 4), "independent_origins": independent,
                        "claims": len(cand.claims), "best_claim_weight": best.get("weight", 0)}
    group.candidates.sort(key=lambda c: (-c.score, c.display))
    total = sum(c.score for c in group.candidates) or 1.0
    top = group.candidates[0].score if group.candidates else 0.0
    group.confidence = round(top * (top / total), 4)


# ---------------------------------------------------------------- the run


@dataclass
class Reconciliation:
    groups: list[Group]
    scope_findings: list[Group]
    trust: dict[str, float]
    context: Context
    rules: list[rules_mod.Rule]
    run: str = ""          # the run's id: a digest of what it was given (kg.reconcile._run_id)
    statements: int = 0    # every statement settled, kept or not
    compared: int = 0      # those where a comparison happened (several claims, or a finding)
    complete: bool = True  # False when the statements were not kept (keep=False)
    conflict_kinds: dict[str, int] = field(default_factory=dict)  # counted, kept or not

    def add(self, groups: list[Group], scope_findings: list[Group], *, keep: bool = True) -> None:
        """Take in a settled batch; without `keep`, only its counts stay (bounded memory: the
        verdicts themselves went to the store)."""
        self.statements += len(groups)
        for g in groups + scope_findings:
            self.compared += compared(g)
            if g.status == "conflict":
                kind = g.kind or "value"
                self.conflict_kinds[kind] = self.conflict_kinds.get(kind, 0) + 1
        if keep:
            self.groups.extend(groups)
            self.scope_findings.extend(scope_findings)
        else:
            self.complete = False

    @property
    def conflicts(self) -> list[Group]:
        found = [g for g in self.groups + self.scope_findings if g.status == "conflict"]
        return sorted(found, key=lambda g: (-_severity(g), g.subject, g.property))

    def all_groups(self) -> list[Group]:
        return self.groups + self.scope_findings

    def group(self, subject: str, prop: str, **qualifiers) -> Group | None:
        for g in self.groups:
            if g.subject == subject and g.property == prop and all(
                    g.qualifiers.get(k) == v for k, v in qualifiers.items()):
                return g
        return None


def compared(g: Group) -> bool:
    """A group where a comparison happened: several claims, or a finding on a single one."""
    return len(g.claims) > 1 or g.kind is not None


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
              keep: bool = True, batch_claims: int = BATCH_CLAIMS) -> Reconciliation:
    """Reconcile every statement in the store (or one subject's); see the module docstring.

    A graph larger than `batch_claims` is read in batches of whole entity families
    (`kg.families`). Sources' reliabilities need every statement, so each batch's statements
    are set aside in a temporary file (pickled: re-reading them from the store costs several
    times more) until truth discovery has seen them all; then each batch is settled and handed
    to `on_batch` (the verdict writer). With `keep=False` the result keeps only counts, so
    memory is bounded by the batch, not the graph. `progress(done, total)` counts claims read.
    """
    import pickle
    import tempfile

    from kg import families

    ctx = load_context(store)
    priors = scoring.load_priors(store)
    rules = rules_mod.load_rules(store)
    if subject:
        batches, total = [None], 0
    else:
        total = int(next(iter(store.select(named_query("claim-count").text)))["claims"].value)
        if total <= batch_claims:  # one batch: no plan, no VALUES block
            batches = [None]
        else:
            batches, total = families.plan(store, ctx, batch_claims)
    done = 0
    observations: list = []
    prior: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="kg-reconcile-") as spill:
        in_memory: list[Group] | None = None
        for n, batch in enumerate(batches):
            groups = _read_groups(store, ctx, batch, subject)
            done += sum(len(g.claims) for g in groups)
            if progress:
                progress(done, total or done)
            # the sources' records across every statement first: reliabilities need them all
            _collect_record(groups, priors, observations, prior)
            if len(batches) == 1:
                in_memory = groups
            else:
                with open(f"{spill}/{n}.pickle", "wb") as fh:
                    pickle.dump(groups, fh, protocol=pickle.HIGHEST_PROTOCOL)
            del groups
        trust = _trust(observations, prior)
        result = Reconciliation([], [], trust, ctx, rules,
                                run=_run_id(observations, priors, rules))
        del observations
        for n in range(len(batches)):
            if in_memory is not None:
                groups, in_memory = in_memory, None
            else:
                with open(f"{spill}/{n}.pickle", "rb") as fh:
                    groups = pickle.load(fh)
            scope_findings = _settle(groups, ctx, priors, trust, rules)
            result.add(groups, scope_findings, keep=keep)
            if on_batch:
                on_batch(groups, scope_findings, result.run)
            del groups, scope_findings
    if len(batches) > 1:  # the order of one pass: by subject, property and qualifiers
        result.groups.sort(key=_statement_order)
        result.scope_findings.sort(key=_statement_order)
    return result


def _statement_order(g: Group) -> tuple:
    q = g.qualifiers
    return (g.subject, g.property, q.get("benchmark") or "", q.get("compared_to") or "",
            sorted(q.get("scope") or []) if g.kind != "scope" else [], q.get("chip") or "")


def _read_groups(store: Store, ctx: Context, subjects: list[str] | None,
                 subject: str | None) -> list[Group]:
    """One batch's claims, streamed from the engine and folded into statements with candidates."""
    from kg.store import stream_bound

    query = named_query("claim-facts").text
    subjects = [subject] if subject else subjects  # bound as VALUES: Oxigraph plans with it
    if subjects is None:
        rows: Iterable = store.stream(query)
    else:
        import pyoxigraph as ox

        rows = stream_bound(store, query, "subject", [ox.NamedNode(s) for s in subjects])
    claims = claims_mod.from_facts(rows, ctx.documents, ctx.dimensions)
    for c in claims:
        if c.attributed_to:
            c.attributed_kind = ctx.agent_kind.get(c.attributed_to)
    groups = group_claims(claims, ctx)
    for g in groups:
        g.candidates = candidates_for(g.claims)
    return groups


def _collect_record(groups: list[Group], priors: scoring.Priors, observations: list,
                    prior: dict[str, float]) -> None:
    """What truth discovery needs from a batch: who backed which candidate where there was a
    choice, and each origin's prior (the best standing any of its claims gives it, so the
    result does not depend on the order batches are read in)."""
    from kg import truth

    for g in groups:
        if len(g.candidates) > 1:
            observations.extend(truth.Observation(g.key, scoring.origin_of(c), i)
                                for i, cand in enumerate(g.candidates) for c in cand.claims)
        for c in g.claims:
            origin = scoring.origin_of(c)
            q = scoring.quality(c, priors)
            if q > prior.get(origin, -1.0):
                prior[origin] = q


def _trust(observations: list, prior: dict[str, float]) -> dict[str, float]:
    """Each origin's reliability from its record across every statement (kg.truth.kg_trust)."""
    from kg import truth

    if not observations:
        return {}
    observations.sort(key=lambda o: (o.object, o.source, o.value))  # same input, same floats
    return {k: float(v) for k, v in truth.kg_trust(observations, prior=prior).trust.items()}


def _settle(groups: list[Group], ctx: Context, priors: scoring.Priors, trust: dict[str, float],
            rules: list[rules_mod.Rule]) -> list[Group]:
    """Score, check identity and arithmetic, classify: one batch, with every relative at hand."""
    from kg import arithmetic, identity

    index = identity.StatementIndex(groups)
    # release dates first: every other statement's timing is judged against them
    releases = [g for g in groups if g.property == KGP + "releaseDate"]
    for g in releases:
        score_group(g, ctx, priors, trust)
    identity.check(releases, index, ctx, priors, trust)
    _set_releases(releases, ctx)
    for g in groups:
        score_group(g, ctx, priors, trust)
    identity.check(groups, index, ctx, priors, trust)
    arithmetic.check(groups, rules, ctx, priors, trust)
    for g in groups:
        classify(g, ctx)
    return find_scope_differences(groups, ctx)


def _run_id(observations: list, priors: scoring.Priors, rules: list[rules_mod.Rule]) -> str:
    """The run named by what it was given: the contested statements' records, priors and rules."""
    h = hashlib.sha1()
    for o in observations:  # already sorted by _trust
        h.update(f"{o.object}|{o.source}|{o.value}\n".encode())
    h.update(repr(sorted((k, sorted(v.items())) for k, v in vars(priors).items())).encode())
    h.update(repr([r.iri for r in rules]).encode())
    return h.hexdigest()[:12]


def classify(g: Group, ctx: Context) -> None:
    """Name the kind of disagreement and say in one line why the winner won."""
    if g.kind == "arithmetic" and g.status == "conflict":
        return
    if len(g.candidates) > 1 and _not_contradictory(g, ctx):
        # figures in other units (constant dollars, yuan) stay listed; the property's own unit leads
        own = quantity.base_unit_of(ctx.default_unit.get(g.property))
        g.candidates.sort(key=lambda c: (not (c.value is not None and c.value.unit == own),
                                         -c.score))
    if len(g.candidates) < 2 or _not_contradictory(g, ctx):
        if g.kind is None:
            g.status, g.explanation = "agree", _agree_text(g, ctx)
        return
    if g.kind is None and _explain_by_condition(g, ctx):
        return
    _prefer_latest(g)
    win, losers = g.candidates[0], g.candidates[1:]
    g.status = "conflict"
    if g.kind == "identity" or any(c.borrowed_from for c in g.candidates):
        g.kind = "identity"
    elif _temporal(win, losers, g, ctx):
        g.kind = "temporal"
        if _forward_looking(losers):
            g.status, g.resolution = "agree", "explained"
            unit = ctx.default_unit.get(g.property)
            g.explanation = (f"explained by time, not a contradiction: {_fmt(win, unit)} "
                             f"({_sources(win, ctx)}) is the figure stated; " + "; ".join(
                                 f"{_fmt(c, unit)} ({_sources(c, ctx)}) is a projection for "
                                 "a later period, made no earlier" for c in losers))
            return
    elif g.kind is None:
        g.kind = "value"
    unit = ctx.default_unit.get(g.property)
    reasons = []
    for loser in losers:
        why = loser.note or _why_lost(win, loser, ctx)
        reasons.append(f"{_fmt(loser, unit)} ({_sources(loser, ctx)}) lost: {why}")
    g.explanation = (f"{_fmt(win, unit)} preferred ({_sources(win, ctx)}"
                     f"{'; ' + win.note if win.note else ''}); " + "; ".join(reasons))


def _not_contradictory(g: Group, ctx: Context) -> bool:
    """Several values that do not contradict: a set-valued property, or different currencies."""
    if g.property in ctx.multi_valued and not any(c.borrowed_from for c in g.candidates):
        return True
    units = [c.value.unit for c in g.candidates if c.value is not None]
    return len(units) == len(g.candidates) and len(set(units)) == len(units)


def _explain_by_condition(g: Group, ctx: Context) -> bool:
    """One source, one origin, different figures each with its own condition: the author
    distinguishes them ('labs adopt changes of 20% or better; abandon those of 10% or less'), so
    they only look comparable. Reported as explained, like a scope difference."""
    claims = [c for cand in g.candidates for c in cand.claims]
    if len({c.document for c in claims}) != 1 or len({scoring.origin_of(c) for c in claims}) != 1:
        return False
    if any(c.hedge == KG + "Projected" for c in claims) or len({c.as_of for c in claims}) > 1:
        return False  # a projection or a change over time is a temporal difference instead
    conditions = [{c.condition for c in cand.claims} for cand in g.candidates]
    if not all(len(cs) == 1 for cs in conditions):
        return False
    flat = [next(iter(cs)) for cs in conditions]
    if len(set(flat)) != len(flat) or sum(1 for x in flat if not x) > 1:
        return False
    unit = ctx.default_unit.get(g.property)
    g.status, g.kind, g.resolution = "agree", "scope", "explained"
    g.explanation = (f"explained by condition, not a contradiction ({_sources(g.candidates[0], ctx)}"
                     " distinguishes them): " + "; ".join(
                         f"{_fmt(c, unit)} ({c.claims[0].condition or 'no condition stated'})"
                         for c in g.candidates))
    return True


def _prefer_latest(g: Group) -> None:
    """A value that changed over time (each candidate holding as of a different date): the latest
    is the current one, unless its sources are much weaker (under half the top score)."""
    as_of = [{c.as_of for c in cand.claims} for cand in g.candidates]
    if not all(len(a) == 1 and None not in a for a in as_of) or len(
            {next(iter(a)) for a in as_of}) != len(as_of):
        return
    latest = max(range(len(as_of)), key=lambda i: next(iter(as_of[i])))
    top = g.candidates[0]
    if latest and g.candidates[latest].score >= 0.5 * top.score:
        newest = g.candidates.pop(latest)
        g.candidates.insert(0, newest)
        newest.note = newest.note or f"the latest figure (as of {next(iter(as_of[latest]))})"
        total = sum(c.score for c in g.candidates) or 1.0
        g.confidence = round(newest.score * newest.score / total, 4)


def _forward_looking(losers: list[Candidate]) -> bool:
    """Projections made no earlier than the figure they differ from are about a later period
    (past growth vs growth expected over the next years): a difference in time, not a slip."""
    return all(c.note == "a projection about a later period" for c in losers)


def _temporal(win: Candidate, losers: list[Candidate], g: Group, ctx: Context) -> bool:
    release = ctx.releases.get(g.subject)
    for loser in losers:
        if all(c.hedge == KG + "Projected" for c in loser.claims):
            made = max((c.document_date or "" for c in loser.claims), default="")
            stated = min((c.document_date or "" for c in win.claims), default="")
            if made and stated and not scoring.before(made, stated) and not any(
                    c.hedge == KG + "Projected" for c in win.claims):
                loser.note = loser.note or "a projection about a later period"
            else:
                loser.note = loser.note or "a projection, said before the fact"
            return True
        if all(scoring.before(c.document_date, release) for c in loser.claims):
            loser.note = loser.note or (f"stated before the release ({release}), superseded by "
                                        "later statements")
            return True
        as_of_w = {c.as_of for c in win.claims if c.as_of}
        as_of_l = {c.as_of for c in loser.claims if c.as_of}
        if as_of_w and as_of_l and not (as_of_w & as_of_l):
            loser.note = loser.note or f"holds as of {', '.join(sorted(as_of_l))}, not now"
            return True
        if g.property in TIME_VARYING:
            dw = max((c.document_date or "" for c in win.claims), default="")
            dl = max((c.document_date or "" for c in loser.claims), default="")
            if scoring.before(dl, dw):
                loser.note = loser.note or f"older figure ({dl}) for a value that changes over time"
                return True
            if scoring.before(dw, dl):
                loser.note = loser.note or (f"a later figure ({dl}) from a weaker source: the value "
                                            "may have changed since, worth checking")
                return True
    return False


def _why_lost(win: Candidate, loser: Candidate, ctx: Context) -> str:
    parts = []
    fw, fl = win.factors, loser.factors
    if fl.get("independent_origins", 0) < fw.get("independent_origins", 0):
        parts.append(f"{fl.get('independent_origins')} independent origin(s) vs "
                     f"{fw.get('independent_origins')}")
    if fl.get("quality", 0) < fw.get("quality", 0):
        parts.append(f"weaker source (quality {fl.get('quality'):.2f} vs {fw.get('quality'):.2f})")
    if fl.get("hedge", 1) < fw.get("hedge", 1):
        parts.append("more hedged")
    if fl.get("timing", 1) < 1:
        parts.append("stated before release")
    if fl.get("reliability", 1) < fw.get("reliability", 1) - 0.005:
        parts.append(f"less reliable elsewhere in the graph ({fl.get('reliability'):.2f} vs "
                     f"{fw.get('reliability'):.2f})")
    if abs(loser.score - win.score) < 1e-4:
        return (f"a tie ({loser.score:.2f} each): nothing in the sources tells them apart, so the "
                "choice is arbitrary until another source settles it")
    return ", ".join(parts) or f"lower score ({loser.score:.2f} vs {win.score:.2f})"


def _agree_text(g: Group, ctx: Context) -> str:
    words = sorted({c.text for c in g.claims if is_description(c)})
    if not g.candidates:
        return ("described in words only: " + "; ".join(f"'{w}'" for w in words)) if words \
            else "no readable value"
    unit = ctx.default_unit.get(g.property)
    if len(g.candidates) > 1:
        values = "; ".join(f"{_fmt(c, unit)} ({_sources(c, ctx)})" for c in g.candidates)
        why = ("a property that takes several values" if g.property in ctx.multi_valued
               else "stated in different units, not compared")
        return f"{len(g.candidates)} values, {why}: {values}"
    c = g.candidates[0]
    n = len(c.claims)
    unit = ctx.default_unit.get(g.property)
    if n == 1:
        return f"single claim: {_fmt(c, unit)} ({_sources(c, ctx)})"
    return (f"{n} claims agree on {_fmt(c, unit)} within stated precision "
            f"({c.factors.get('independent_origins')} independent origin(s))")


def _fmt(c: Candidate, unit: str | None = None) -> str:
    if c.value is not None:
        return format_value(c.value, unit)
    return c.display


def _sources(c: Candidate, ctx: Context) -> str:
    names = []
    for claim in c.claims:
        doc = ctx.label(claim.document)
        origin = ctx.label(claim.origin) if claim.origin else None
        names.append(f"{doc} citing {origin}" if origin else doc)
    if c.borrowed_from:
        names.insert(0, f"from {ctx.label(c.borrowed_from)}")
    unique = list(dict.fromkeys(names))
    return "; ".join(unique[:3]) + (f"; +{len(unique) - 3} more" if len(unique) > 3 else "")


# ---------------------------------------------------------------- scope


def find_scope_differences(groups: list[Group], ctx: Context) -> list[Group]:
    """Figures that only look comparable: one subject and property, different scopes.

    Annotated scopes explain the difference (status agree, resolution explained); a claim with
    no scope beside scoped ones that disagree with it cannot be placed (conflict, ambiguous).
    Figures stated for the model's developer (a lab's hardware spend) join the comparison.
    """
    blocks: dict[tuple, list[Group]] = defaultdict(list)
    for g in groups:
        if g.property not in ctx.needs_scope:
            continue
        blocks[(g.subject, g.property, g.qualifiers.get("benchmark"),
                g.qualifiers.get("compared_to"))].append(g)
    models_of: dict[str, list[str]] = defaultdict(list)
    for model, lab in ctx.developer.items():
        models_of[lab].append(model)
    for g in groups:  # a lab's figures join the comparison for each of its models that has some
        if g.property not in ctx.needs_scope:
            continue
        for model in models_of.get(g.subject, ()):
            own = blocks.get((model, g.property, None, None))
            if own and any(m.subject == model and m.qualifiers.get("scope") for m in own):
                own.append(g)
    findings = []
    for (subject, prop, bench, base), members in sorted(blocks.items(), key=lambda kv: _sort_key(kv[0])):
        scopes = {tuple(m.qualifiers.get("scope") or ()) for m in members}
        if len(scopes) < 2:
            continue
        finding = Group(subject, prop, {k: v for k, v in (("benchmark", bench),
                                                          ("compared_to", base)) if v},
                        [c for m in members for c in m.claims], kind="scope", members=members)
        own = [m for m in members if m.subject == subject]
        unscoped = [m for m in own if not m.qualifiers.get("scope")]
        unit = ctx.default_unit.get(prop)
        parts = []
        for m in sorted(members, key=lambda m: str(m.qualifiers.get("scope"))):
            scope = ", ".join(ctx.label(s) for s in m.qualifiers.get("scope") or []) or "scope not stated"
            whose = "" if m.subject == subject else f" [stated for {ctx.label(m.subject)}]"
            if m.preferred:
                parts.append(f"{scope}: {_fmt(m.preferred, unit)}{whose}")
        scoped_own = [o for o in own if o.qualifiers.get("scope") and o.preferred]
        ambiguous = [m for m in unscoped if m.preferred and scoped_own and not any(
            o.preferred.value_agrees(m.preferred) for o in scoped_own)]
        if ambiguous:
            finding.status, finding.resolution = "conflict", "ambiguous"
            finding.explanation = ("figures differ and some state no scope, so they cannot be "
                                   "placed: " + "; ".join(parts))
        else:
            finding.status, finding.resolution = "agree", "explained"
            finding.explanation = "explained by scope, not a contradiction: " + "; ".join(parts)
        scoped = [m for m in members if m.qualifiers.get("scope") and m.subject == subject]
        finding.candidates = [m.preferred for m in sorted(
            scoped, key=lambda m: -m.confidence) if m.preferred]
        finding.confidence = max((m.confidence for m in scoped), default=0.0)
        findings.append(finding)
    return findings
