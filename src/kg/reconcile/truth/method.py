"""kg_trust, kg's own method: a source's reliability learned from how its claims fare against
well-supported values elsewhere, with citations and mirrors counted once.

The model is Accu's (Dong, Berti-Equille, Srivastava, VLDB 2009): a source of accuracy A gives
the true value with probability A and otherwise one of n false values, so its claim adds
ln(n A / (1 - A)) to the log-odds of its value. kg changes four things, each for a structure
the public benchmarks and kg's own corpus share (and a fifth where the kinds of fact are known):

* **No self-confirmation.** A claim's credit (what it adds to its source's record) is the
  probability of its value with the source's own vote replaced by a vote at its prior, and only
  claims that another source could contradict are scored; trust is shrunk towards a prior
  (per source kind in kg) worth ``prior_strength`` claims. A prolific source cannot vote its
  own claims right.
* **The number of false values is measured, not assumed** (``n_false="auto"``): wrong values
  are rarely uniform (Flight's trackers all report take-off time where the airline gives gate
  time; near-miss readings cluster), and 1 / n is the chance that two wrong claims on an
  object agree, which the current beliefs estimate (:func:`_false_values`). Flight's wrong
  values concentrate (n about 1.7), Population's vandal edits scatter (about 11).
* **Copies count once**: known relays (``groups``) and detected mirrors (sources agreeing on
  almost every contested object) keep one vote per value, and their agreement is no evidence.
* **Yes/no claims are two-sided** (Dawid and Skene's model): a source's sensitivity (says yes
  when yes) and specificity (says no when no) are learned separately, with the base rate of
  yes, so that a listing that is never updated says little while a deliberate "closed" says
  much (:func:`_two_sided`).
* **A source is judged on what it answers** (``kind``, when objects are of several kinds, such
  as attributes): accuracy on a kind is the source's ability plus the kind's ease in log-odds
  (Rasch's model), so easy questions that everyone gets right do not inflate a source, hard
  ones do not sink it, and sources are compared by ability (:func:`_ability_ease`). How hard a
  kind is comes from how often sources agree on it, given who answers it, not from the current
  beliefs (:func:`_agreement_ease`): a kind that a few weak sources answer alone does not look
  easy because their chance collisions are believed.
* **A source is judged on everything it says** (``unchecked="prior"``): a claim nobody else
  can check counts in its source's record at the source's prior, so a source whose claims are
  mostly unchecked stays near its prior however well its few checked claims are borne out
  (Wikipedia's bot, 25,788 claims, 3,944 checked and mostly inherited by later editors).
* **Sources with little record take their prior from sources like them** (``pool``): a
  hierarchical prior, the pooled record of the other sources with as many checked claims, so a
  one-edit editor is judged by how one-edit editors fare (:func:`_pooled_prior`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import NamedTuple

import numpy as np

from kg.reconcile.truth.classic import pair_dict, same_value_pairs
from kg.reconcile.truth.observations import Observation, Problem, Result, Similarity, check_kwargs

# --------------------------------------------------------------------------------------------
# kg_trust


def kg_trust(
    observations: Iterable[Observation],
    prior: Mapping[Hashable, float] | None = None,
    similarity: Similarity | None = None,
    groups: Mapping[Hashable, Hashable] | None = None,
    *,
    facet: Callable[[Hashable], Hashable] | None = None,
    kind: Callable[[Hashable], Hashable] | None = None,
    default_prior: float = 0.8,
    prior_strength: float = 10.0,
    facet_strength: float = 10.0,
    n_false: float | str = "auto",
    rho: float = 0.5,
    detect_copying: bool = False,
    mirror_agreement: float | None = 0.98,
    mirror_overlap: float = 20.0,
    min_overlap: float = 5.0,
    alpha: float = 0.2,
    c: float = 0.8,
    tol: float = 1e-4,
    max_iter: int = 100,
    ease: str = "agreement",
    unchecked: str = "prior",
    pool: bool = True,
    **_ignored: object,
) -> Result:
    """kg's truth discovery: Bayesian accuracy voting with priors, dependence and similarity.

    The model and its sources are in the module docstring. Parameters, all fixed a priori and
    the same on every dataset of the benchmark:

    ``prior`` / ``default_prior``
        Prior mean accuracy per source (from its kind in kg) and for sources not in ``prior``.
    ``prior_strength``
        How many tested claims the prior is worth: a source with a handful of claims stays near
        its prior, one with hundreds is judged on its record.
    ``facet(object)``
        Optional kind of fact (an attribute, a property). Trust is then kept per (source, facet)
        and shrunk towards the source's overall trust with ``facet_strength`` pseudo-claims, as a
        site good at scheduled times can be systematically off on actual times (Li et al.'s
        AccuSimAttr).
    ``kind(object)``
        Optional kind of fact (an attribute). A source's accuracy on a kind is then its ability
        plus the kind's ease, in log-odds (:func:`_ability_ease`); no parameter.
        Unlike ``facet`` (one trust per source and kind), a source's record on one kind speaks
        for it on every other, and a kind's difficulty is shared by all sources. With one kind
        the model is plain accuracy. Ignored when ``facet`` is given; ability and ease are in
        ``extra["ability"]`` and ``extra["ease"]``, and the trust returned is plain accuracy.
    ``ease``
        How a kind's ease is found: ``"agreement"`` (the default) from how often the sources
        answering it agree, given their abilities (:func:`_agreement_ease`); ``"credit"`` fitted
        to the claims' credits like the abilities (kg's round three, kept for comparison: it
        lets believed chance collisions make a hard kind look easy).
    ``unchecked``
        What a claim no other source speaks to adds to its source's record: ``"prior"`` (the
        default) counts it at the source's prior, so that a source's accuracy is over all its
        claims and one whose claims are mostly unchecked stays near its prior however well its
        few checked claims are borne out (TruthFinder's trust is likewise an average over every
        claim); ``"skip"`` leaves it out (kg's rounds one to four). Yes/no claims are never
        counted unchecked (their two-sided rates use every claim already).
    ``pool``
        Hierarchical prior (default on): a source not in ``prior`` whose checked claims are
        fewer than ``prior_strength`` takes as its prior the pooled record of the *other*
        sources of its class, those with as many checked claims to within a power of two
        (1, 2-3, 4-7, 8-15, ...), shrunk to ``default_prior`` with ``prior_strength``
        pseudo-claims (:func:`_pooled_prior`; ``extra["prior"]``). One-edit editors are
        judged by how one-edit editors fare, not by an optimistic constant. Sources with a
        record at least as strong as the prior keep ``default_prior``; sources in ``prior``
        (kg's origins, whose prior comes from their kind) are never pooled.
    ``n_false``
        Plausible false values per object: a claim from a source of accuracy A adds
        ln(n_false A / (1 - A)) to its value, so a lone claim gets probability A. ``"auto"``
        (the default) measures it each round as 1 / Pr(two wrong claims on an object agree)
        under the current beliefs (:func:`_false_values`); the estimate (for the objects that
        are not yes/no) is in ``extra["n_false"]``. A number fixes it (Accu's n). Yes/no
        objects have exactly one false value whatever this says.
    ``groups``
        Known dependence: sources relaying the same origin count as their most reliable member.
    ``mirror_agreement`` / ``mirror_overlap``
        Unknown feeds of one another: two sources agreeing on at least ``mirror_agreement`` of
        at least ``mirror_overlap`` contested objects they share count, where they agree, as
        their more reliable member (:func:`_mirrors`). ``None`` turns it off. On by default
        (.98 of 20, chosen on Flight 2011-12-01 only): independent sources disagree wherever
        one errs, so it never fires on them; kg's synthetic accuracy is unchanged by it.
    Yes/no objects (every claimed value a ``bool``) are scored with two-sided quality and a
    learned base rate of yes (:func:`_two_sided`); ``extra["sensitivity"]`` and
    ``extra["specificity"]`` give each source's rates.
    ``detect_copying`` / ``min_overlap`` / ``alpha`` / ``c``
        Look for unknown copying between sources that share at least ``min_overlap`` objects
        (prior ``alpha``, copy rate ``c``: Dong et al.'s values). Off by default: on the public
        benchmarks it helps where sites clone one another's feeds (Flight) but hurts where many
        sources copy the same correct origin (Wikipedia editors pasting census figures), whose
        corroboration it then discounts; in kg, relays are known and passed as ``groups``.
    """
    check_kwargs("kg_trust", _ignored)
    prob = (
        observations if isinstance(observations, Problem) else Problem(observations, similarity)
    )
    prior = prior or {}
    pi = np.array([float(prior.get(s, default_prior)) for s in prob.sources], dtype=float)
    pi = np.clip(pi, 0.01, 0.99)
    pi0 = pi
    unlisted = np.array([s not in prior for s in prob.sources], dtype=bool)
    if unchecked not in ("prior", "skip"):
        raise ValueError(f"kg_trust: unchecked must be 'prior' or 'skip', not {unchecked!r}")
    m = float(prior_strength)
    fs = float(facet_strength)
    auto_n = n_false == "auto"
    n = 10.0 if auto_n else max(float(n_false), 1.0)
    group_of = _group_array(prob, groups)
    s_idx, f_idx, o_idx, w = prob.obs_src, prob.obs_fact, prob.obs_obj, prob.obs_w

    # a claim on an object no other source speaks to cannot test its source: it does not enter
    # the source's record (otherwise prolific sources drift on their own uncontested claims)
    n_obs_obj = np.bincount(o_idx, minlength=prob.n_obj)
    tw = np.where(n_obs_obj[o_idx] - np.rint(1.0 / w) > 0, w, 0.0)
    s_tw = np.bincount(s_idx, tw, minlength=prob.n_src)

    cell = None
    if facet is not None:
        fac_ix: dict[Hashable, int] = {}
        obj_fac = np.array(
            [fac_ix.setdefault(facet(o), len(fac_ix)) for o in prob.objects], dtype=np.int64
        )
        uniq, cell = np.unique(s_idx * max(len(fac_ix), 1) + obj_fac[o_idx], return_inverse=True)
        c_tw = np.bincount(cell, tw, minlength=len(uniq))
        facet_names = list(fac_ix)

    # kinds of fact: accuracy = ability (per source) + ease (per kind), in log-odds; with one
    # kind (or none given) this is plain accuracy and the model below is unchanged
    kinds: np.ndarray | None = None
    kind_ix: dict[Hashable, int] = {}
    theta = beta = np.zeros(0)
    if kind is not None and facet is None:
        obj_kind = np.array(
            [kind_ix.setdefault(kind(o), len(kind_ix)) for o in prob.objects], dtype=np.int64
        )
        if len(kind_ix) > 1:
            kinds = obj_kind[o_idx]
            theta = np.log(pi / (1.0 - pi))
            beta = np.zeros(len(kind_ix))
            if ease not in ("agreement", "credit"):
                raise ValueError(f"kg_trust: ease must be 'agreement' or 'credit', not {ease!r}")

    # yes/no objects: every value claimed is a bool; exactly one false value, and a source's
    # quality is two-sided (how often it says yes when yes, no when no)
    fact_bool = np.array([isinstance(v, (bool, np.bool_)) for v in prob.fact_value], dtype=bool)
    fact_yes = np.array([isinstance(v, (bool, np.bool_)) and bool(v) for v in prob.fact_value],
                        dtype=bool)
    yes_no = prob.obj_sum(fact_bool.astype(float)) == prob.n_vals
    two = yes_no[o_idx]
    says_yes = two & fact_yes[f_idx]
    says_no = two & ~says_yes
    any_two = bool(two.any())
    # claims no other source speaks to: in the record at the source's prior, or left out
    checked_w = tw
    s_checked = s_tw
    lone = (tw == 0) & ~two if unchecked == "prior" else None
    if lone is not None and lone.any():
        tw = np.where(lone, w, tw)
        s_tw = np.bincount(s_idx, tw, minlength=prob.n_src)
    else:
        lone = None
    yes_prior = np.zeros(prob.n_fact)
    # the answer's probability starts at the share of sources saying yes (a vote)
    p_yes_obj = prob.obj_sum(np.where(fact_yes, prob.fact_support, 0.0)) / np.maximum(
        prob.obj_sum(prob.fact_support), 1e-300)
    n_obj = np.where(yes_no, 1.0, n)
    unclaimed = np.maximum(n_obj + 1.0 - prob.n_vals, 0.0)
    lam0 = np.maximum(np.log(n_obj[o_idx] * pi[s_idx] / (1.0 - pi[s_idx])), 0.0)
    rates: tuple[np.ndarray, np.ndarray] | None = None
    # how often two sources agree on a kind, counted once: it says how hard the kind is
    # without asking which value is right (yes/no questions have their own model)
    agree_k = (_kind_agreement(prob, kinds, len(kind_ix), ~yes_no)
               if kinds is not None and ease == "agreement" else None)
    credit = pi[s_idx].copy()  # before any evidence a claim is as good as its source's prior
    prev_credit = credit
    acc = pi.copy()
    a_full = pi[s_idx]
    p = np.zeros(prob.n_fact)
    mirror = (
        _mirrors(prob, mirror_agreement, mirror_overlap, ~yes_no)
        if mirror_agreement is not None
        else None
    )
    if mirror is not None and not mirror.any():
        mirror = None
    disc, linked = _kg_discount(prob, mirror, 1.0, group_of, a_full)
    dep = np.zeros(0)
    # copy detection starts from the fixed point reached without it (Accu first, then the copy
    # test): judged from a first vote, sources that agree on a value the majority got wrong
    # look like copiers, and once discounted they never recover
    copying_on = False
    started = 0
    it = 0
    for it in range(1, max_iter + 1):
        if copying_on:
            dep_new = _dependence_popular(prob, p, a_full, n, alpha, c, min_overlap)
            dep = dep_new if it == started else 0.5 * (dep + dep_new)  # damped, see below
            if mirror is None:
                disc, linked = _kg_discount(prob, dep, c, group_of, a_full)
            else:
                disc, linked = _kg_discount(prob, np.maximum(c * dep, mirror), 1.0, group_of, a_full)
        elif mirror is not None:
            # mirrors keep one vote per value: the more reliable of them, as trust moves
            disc, linked = _kg_discount(prob, mirror, 1.0, group_of, a_full)
        # trust of each claim's source from its record on its *other* claims (leave-one-out),
        # per facet if asked, shrunk towards the prior
        own = tw * credit
        tot = np.bincount(s_idx, own, minlength=prob.n_src)
        a_src = (m * pi[s_idx] + tot[s_idx]) / (m + s_tw[s_idx])
        a_obs = (m * pi[s_idx] + tot[s_idx] - own) / (m + s_tw[s_idx] - tw)
        if kinds is not None:
            fixed = (_agreement_ease(agree_k, n, theta, np.bincount(kinds, tw, minlength=len(beta)), m)
                     if agree_k is not None else None)
            theta, beta, a_full, a_obs = _ability_ease(
                s_idx, kinds, tw, credit, theta, beta, pi, m, ease=fixed)
        elif cell is not None:
            tot_c = np.bincount(cell, own, minlength=len(c_tw))
            a_full = (fs * a_src + tot_c[cell]) / (fs + c_tw[cell])
            a_obs = (fs * a_obs + tot_c[cell] - own) / (fs + c_tw[cell] - tw)
        else:
            a_full = a_src
        a_obs = np.clip(a_obs, 1e-4, 1 - 1e-4)
        if auto_n:
            n_obj = np.where(yes_no, 1.0, n)
            unclaimed = np.maximum(n_obj + 1.0 - prob.n_vals, 0.0)
            lam0 = np.maximum(np.log(n_obj[o_idx] * pi[s_idx] / (1.0 - pi[s_idx])), 0.0)
        lam = np.log(n_obj[o_idx] * a_obs / (1.0 - a_obs))
        if any_two:
            lam_two, rates = _two_sided(prob, p_yes_obj, says_yes, says_no, w, pi, m)
            lam = np.where(two, lam_two, lam)
        # a claim never counts against its own value, however poor its source
        vote_obs = w * disc * np.maximum(lam, 0.0)
        # a weighted bincount is float (numpy's stub says int)
        cnt: np.ndarray = np.bincount(f_idx, vote_obs, minlength=prob.n_fact)
        if any_two:
            cnt = cnt + yes_prior
        if prob.has_sim:
            cnt = cnt + rho * prob.similar_support(cnt)
        top = np.maximum(prob.obj_max(cnt), 0.0)
        e = np.exp(cnt - top[prob.fact_obj])
        z = prob.obj_sum(e) + unclaimed * np.exp(-top)
        p = e / z[prob.fact_obj]
        # a claim's credit (what it adds to its source's record) is the probability of its value
        # with the source's own vote replaced by that of a source at its prior: a trusted source
        # cannot vote its own claims right and so confirm itself (the runaway of EM-style
        # methods towards trust 1 for prolific sources); similar values earn partial credit
        # and the votes of sources dependent on it are left out too: a copy bearing out its
        # original is no evidence that the original is right
        echo: np.ndarray | float
        if linked.any():
            _, sa, sb = same_value_pairs(prob)
            echo = np.bincount(sa, linked * vote_obs[sb], minlength=prob.n_obs) + np.bincount(
                sb, linked * vote_obs[sa], minlength=prob.n_obs
            )
        else:
            echo = 0.0
        e0 = np.exp(cnt[f_idx] - vote_obs - echo + w * disc * lam0 - top[o_idx])
        z0 = z[o_idx] - e[f_idx] + e0
        num = e0 + (prob.similar_mass(e)[f_idx] if prob.has_sim else 0.0)
        credit = np.minimum(num / np.maximum(z0, 1e-300), 1.0)
        if lone is not None:
            credit = np.where(lone, pi[s_idx], credit)
        if auto_n:
            n = _false_values(prob, p, ~yes_no)
        if any_two:
            # the share of yes among yes/no objects, learned (Dawid and Skene's class prior):
            # without it a lone "no" against a stale "yes" is a coin toss
            p_yes_obj = prob.obj_sum(np.where(fact_yes, p, 0.0))
            q = float(np.clip(np.mean(p_yes_obj[yes_no]), 1e-3, 1 - 1e-3))
            yes_prior = np.where(fact_yes, np.log(q / (1.0 - q)), 0.0)
        if (copying_on and it > started) or (mirror is not None and it > 1):
            # damped: copy detection and mirrors re-order sources each round (which member of
            # a mirror pair keeps the vote follows trust), and undamped updates can settle
            # into a two-cycle instead of a fixed point
            credit = 0.5 * (credit + prev_credit)
        prev_credit = credit
        got = np.bincount(s_idx, tw * credit, minlength=prob.n_src)
        if pool and unlisted.any():
            pi = _pooled_prior(pi0, unlisted, s_checked,
                               np.bincount(s_idx, checked_w * credit, minlength=prob.n_src), m)
        new_acc = (m * pi + got) / (m + s_tw)
        delta = float(np.max(np.abs(new_acc - acc))) if prob.n_src else 0.0
        acc = new_acc
        settled = it > 2 and delta < tol
        if copying_on or not detect_copying:
            if settled:
                break
        elif settled or it >= max_iter // 4:
            copying_on, started = True, it + 1
    extra: dict = {"n_false": float(n)}
    if pool:
        extra["prior"] = {prob.sources[i]: float(pi[i]) for i in range(prob.n_src)}
    if kinds is not None:
        extra["ability"] = {prob.sources[i]: float(theta[i]) for i in range(prob.n_src)}
        extra["ease"] = {k: float(beta[i]) for k, i in kind_ix.items()}
    if rates is not None:
        has = np.bincount(s_idx, two.astype(float), minlength=prob.n_src) > 0
        extra["sensitivity"] = {prob.sources[i]: float(rates[0][i]) for i in np.flatnonzero(has)}
        extra["specificity"] = {prob.sources[i]: float(rates[1][i]) for i in np.flatnonzero(has)}
    if detect_copying:
        extra["dependence"] = pair_dict(prob, dep)
    if cell is not None:
        got_c = np.bincount(cell, tw * credit, minlength=len(c_tw))
        first = np.zeros(len(c_tw), dtype=np.int64)
        first[cell[::-1]] = np.arange(prob.n_obs)[::-1]
        src_c = s_idx[first]
        a_c = (fs * acc[src_c] + got_c) / (fs + c_tw)
        extra["facet_trust"] = {
            (prob.sources[int(sc)], facet_names[int(fc)]): float(a)
            for sc, fc, a in zip(src_c, obj_fac[o_idx[first]], a_c, strict=True)
        }
    return prob.result(p, p, acc, it, extra)


def _pooled_prior(
    pi0: np.ndarray, unlisted: np.ndarray, checked: np.ndarray, got: np.ndarray, m: float
) -> np.ndarray:
    """Each small source's prior from the other sources of its class (a hierarchical prior).

    ``checked`` is each source's weight of checked claims (claims another source speaks to),
    ``got`` their summed credits. A source not in kg's ``prior`` (``unlisted``) with fewer
    checked claims than ``m`` belongs to the class of sources with as many to within a power
    of two (1, 2-3, 4-7, ...); its prior is the pooled accuracy of the *other* members of its
    class, (m * default + their credits) / (m + their claims): the population of sources like
    it, estimated from the data without any gold, and never from the source's own claims (so
    it cannot confirm itself; a class of one keeps the default). Everyone else keeps ``pi0``.
    Why: most sources of a long-tail dataset (Wikipedia's one-edit editors and IP addresses,
    a heritage page, a bookstore with one listing) make one or two claims, and a constant
    prior of 0.8 gives each of them the vote of a good source whatever sources like it do.
    Example: three one-claim sources with credits 1, 0 and 0, m = 10, default 0.8: the first
    gets (8 + 0) / (10 + 2) = 0.667, the others (8 + 1) / 12 = 0.75.
    """
    small = unlisted & (checked < m)
    cls = np.where(small, np.floor(np.log2(np.maximum(checked, 1.0))) + 1, 0).astype(np.int64)
    k = int(cls.max()) + 1
    num = np.bincount(cls, got * small, minlength=k)
    den = np.bincount(cls, checked * small, minlength=k)
    mu = (m * pi0 + num[cls] - got * small) / (m + den[cls] - checked * small)
    return np.clip(np.where(small, mu, pi0), 0.01, 0.99)


def _sig(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _ability_ease(
    s_idx: np.ndarray,
    kinds: np.ndarray,
    tw: np.ndarray,
    credit: np.ndarray,
    theta: np.ndarray,
    beta: np.ndarray,
    pi: np.ndarray,
    m: float,
    steps: int = 3,
    ease: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A source's accuracy on a kind of fact as its ability plus the kind's ease, in log-odds.

    Returns (ability per source, ease per kind, accuracy per claim, the same leave-one-out).
    Plain accuracy mixes how good a source is with how hard the questions it answers are: a
    site that reports visibility (nearly always "10", every site agrees) looks better than one
    that reports the heat index (scattered figures), whatever their care. Rasch's model
    (logit Pr(right) = ability + ease; Whitehill et al.'s GLAD for crowd labels) separates
    the two, so sources are compared on what they answer and a source's record on one kind
    still speaks for it on another. Fitted by ``steps`` Newton steps per round, warm-started
    from the previous round, on the claims' credits (expected correctness, weights ``tw``):
    ability is shrunk towards the source's prior with ``m`` pseudo-claims at ease 0 (as
    accuracy is), ease towards 0 with one pseudo-claim so that a kind nobody tests stays
    neutral; or the ease is given (``ease``, read from agreement) and only ability is fitted.
    The leave-one-out ability drops the claim's own term (one Newton step), so a
    claim never raises the weight of its own vote.
    """
    n_src, n_kind = len(theta), len(beta)
    for _ in range(steps):
        sg = _sig(theta[s_idx] + beta[kinds])
        s0 = _sig(theta)
        g = np.bincount(s_idx, tw * (credit - sg), minlength=n_src) + m * (pi - s0)
        h = np.bincount(s_idx, tw * sg * (1.0 - sg), minlength=n_src) + m * s0 * (1.0 - s0)
        theta = theta + np.clip(g / h, -2.0, 2.0)  # no leap when a kind is all but certain
        sg = _sig(theta[s_idx] + beta[kinds])
        if ease is None:
            gk = np.bincount(kinds, tw * (credit - sg), minlength=n_kind) - beta
            hk = np.bincount(kinds, tw * sg * (1.0 - sg), minlength=n_kind) + 1.0
            beta = beta + gk / hk
        else:
            beta = ease
    sg = _sig(theta[s_idx] + beta[kinds])
    s0 = _sig(theta)
    own_h = tw * sg * (1.0 - sg)
    h = np.bincount(s_idx, own_h, minlength=n_src) + m * s0 * (1.0 - s0)
    loo = theta[s_idx] - tw * (credit - sg) / np.maximum(h[s_idx] - own_h, 1e-12)
    return theta, beta, sg, _sig(loo + beta[kinds])


class KindPairs(NamedTuple):
    """Pairs of claims by two different sources on one object, summed per (pair of sources,
    kind): how many there are (weight) and, per kind, how many agree."""

    weight: np.ndarray  # per (source pair, kind)
    kind: np.ndarray
    src_a: np.ndarray
    src_b: np.ndarray
    agree: np.ndarray  # per kind
    total: np.ndarray  # per kind


def _kind_agreement(
    prob: Problem, kinds: np.ndarray, n_kind: int, use: np.ndarray | None = None
) -> KindPairs:
    """The pairs of claims of each kind, and how many agree (:class:`KindPairs`).

    A source giving k values for an object counts 1/k in each of its pairs (its weight). Only
    objects in ``use`` count. No value is taken as right: this is what the claims say about
    how hard a kind is before anyone decides what is true.
    """
    pid, oa, ob, psa, psb = prob.pairs()
    ww = prob.obs_w[oa] * prob.obs_w[ob]
    if use is not None:
        ww = ww * use[prob.obs_obj[oa]]
    same = prob.obs_fact[oa] == prob.obs_fact[ob]
    k = kinds[oa]
    uniq, inv = np.unique(pid * n_kind + k, return_inverse=True)
    return KindPairs(np.bincount(inv, ww, minlength=len(uniq)), uniq % n_kind,
                     psa[uniq // n_kind], psb[uniq // n_kind],
                     np.bincount(k, ww * same, minlength=n_kind), np.bincount(k, ww, minlength=n_kind))


def _agreement_ease(
    pairs: KindPairs, n: float, theta: np.ndarray, weight: np.ndarray, m: float
) -> np.ndarray:
    """Each kind's ease, in log-odds, read from how often two sources agree on it.

    Under Accu's model two sources of accuracy a and b on a kind, with n equally likely false
    values, agree with probability ab + (1 - a)(1 - b) / n (both right, or both wrong the same
    way). With a = sigma(ability + ease), the ease of a kind is the one at which the expected
    agreement of the pairs that answer it, given their sources' abilities, equals the observed
    one (found by bisection on the branch above chance; agreement at or below chance gives the
    ease of chance). It is then centred (mean 0 over the kinds, weighted by ``weight``, each
    kind's tested claims): the level belongs to the abilities, the differences between kinds
    to the ease. Each kind's agreement is shrunk towards the pooled agreement with ``m``
    pseudo-pairs (the prior's strength), and a kind without pairs is neutral (ease 0).

    Why not fit the ease to the claims' credits, as the abilities are: credits follow the
    current beliefs, and where a few weak sources answer a kind alone (Weather's RealFeel)
    their chance collisions are believed, the kind looks easy and the collisions then outvote
    a careful source. Agreement needs no beliefs: RealFeel's pairs agree 11 % of the time
    against temperature's 32 % and visibility's 73 %.
    Example: sources alike (abilities 0), n = 4, a kind whose pairs agree 80 % of the time
    has a with a**2 + (1 - a)**2 / 4 = .8, a = .8928, logit 2.120; one agreeing 10 % is below
    chance (1 / (n + 1) = .2), logit(.2) = -1.386; centred, +1.753 and -1.753.
    """
    nk = len(pairs.total)
    total = float(np.sum(pairs.total))
    if total <= 0.0:
        return np.zeros(nk)
    has = pairs.total > 0
    pooled = float(np.sum(pairs.agree)) / total
    target = np.where(has, (pairs.agree + m * pooled) / np.maximum(pairs.total + m, 1e-300), 0.0)
    pk, pw = pairs.kind, pairs.weight
    ta, tb = theta[pairs.src_a], theta[pairs.src_b]

    def rate(b: np.ndarray) -> np.ndarray:
        a1, a2 = _sig(ta + b[pk]), _sig(tb + b[pk])
        agree = np.bincount(pk, pw * (a1 * a2 + (1.0 - a1) * (1.0 - a2) / n), minlength=nk)
        return agree / np.maximum(pairs.total, 1e-300)

    # the expected agreement falls to chance and rises again: find its minimum (on a grid,
    # then by ternary search), and bisect above it
    grid = np.linspace(-8.0, 8.0, 33)
    g0 = grid[np.argmin(np.array([rate(np.full(nk, g)) for g in grid]), axis=0)]
    a, b = g0 - 0.5, g0 + 0.5
    for _ in range(30):
        m1, m2 = a + (b - a) / 3.0, b - (b - a) / 3.0
        left = rate(m1) < rate(m2)
        a, b = np.where(left, a, m1), np.where(left, m2, b)
    lo = 0.5 * (a + b)
    hi = np.full(nk, 8.0)
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        up = rate(mid) < target
        lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
    ease = 0.5 * (lo + hi)
    w = weight * has
    centre = float(np.sum(w * ease) / np.sum(w)) if np.sum(w) > 0 else float(np.mean(ease[has]))
    return np.where(has, ease - centre, 0.0)


def _two_sided(
    prob: Problem,
    p_yes: np.ndarray,
    says_yes: np.ndarray,
    says_no: np.ndarray,
    w: np.ndarray,
    pi: np.ndarray,
    m: float,
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Weight of each yes/no claim, ln Pr(claim | its answer true) / Pr(claim | its answer
    false), and each source's (sensitivity, specificity).

    Dawid and Skene's estimates (1979): a source's sensitivity (says yes when the answer is
    yes) and specificity (says no when it is no) are its expected hits over all its claims
    (weights ``w``), each weighed by the current probability ``p_yes`` of the object's answer,
    shrunk towards the source's prior with ``m`` pseudo-claims. A site that keeps listing
    restaurants that have closed has poor specificity, so its "yes" says little, while its rare
    "no" can still be decisive: LTM's two-sided quality (Zhao et al. 2012), on one fact per
    object. Unlike accuracy these are plain EM estimates, over every claim and not leave-one-
    out: the "no" answers are a small class, and with each claim's own vote left out, or the
    objects only one source speaks to ignored (a restaurant only the site that dropped it ever
    listed), EM loses that class once the learned base rate favours "yes".
    """
    s_idx = prob.obs_src
    ans = says_yes | says_no
    py = np.where(ans, p_yes[prob.obs_obj], 0.0)
    pn = np.where(ans, 1.0 - py, 0.0)

    def per_src(x: np.ndarray) -> np.ndarray:
        return np.bincount(s_idx, x, minlength=prob.n_src)

    tp, pos = per_src(w * says_yes * py), per_src(w * py)
    tn, neg = per_src(w * says_no * pn), per_src(w * pn)
    sens = np.clip((m * pi + tp) / (m + pos), 1e-4, 1 - 1e-4)
    spec = np.clip((m * pi + tn) / (m + neg), 1e-4, 1 - 1e-4)
    weight = np.where(says_yes, np.log(sens / (1.0 - spec))[s_idx], np.log(spec / (1.0 - sens))[s_idx])
    return weight, (sens, spec)


def _false_values(prob: Problem, p: np.ndarray, use: np.ndarray | None = None) -> float:
    """How many false values a wrong claim effectively picks among: 1 / Pr(two wrong claims
    agree), over every pair of claims by different sources on one object (of the objects in
    ``use``), each pair weighed by the probability, under the current beliefs ``p``, that both
    are wrong.

    Pairs on one value are both wrong with probability 1 - p(value); pairs on two values with
    1 - p(a) - p(b) (one truth per object). Accu's uniform n = 10 counts as one pair of
    pseudo-evidence, so a handful of objects cannot drive the estimate to an extreme.
    Example: four objects where two sources share a wrong value against a third's right one
    give 4 agreeing wrong pairs out of 4, so n = (4 + 10) / (4 + 1) = 2.8.
    """
    keep = np.ones(prob.n_obj, dtype=bool) if use is None else use
    fk = keep[prob.fact_obj]
    s = prob.fact_support * fk  # claims on each value (a source with k values counts 1/k)
    sq = np.bincount(prob.obs_fact, prob.obs_w**2, minlength=prob.n_fact) * fk
    agree_wrong = float(np.sum((1.0 - p) * (s * s - sq) / 2.0))
    s_obj = prob.obj_sum(s)
    # pairs on two different values of one object, less a source's pairs with itself
    key = prob.obs_obj * max(prob.n_src, 1) + prob.obs_src
    _, first = np.unique(key, return_index=True)
    self_pairs = np.bincount(prob.obs_obj[first], (1.0 - prob.obs_w[first]) / 2.0,
                             minlength=prob.n_obj) * keep
    cross = (s_obj * s_obj - prob.obj_sum(s * s)) / 2.0 - self_pairs
    cross_wrong = max(float(np.sum(cross) - np.sum(p * s * (s_obj[prob.fact_obj] - s))), 0.0)
    return max((agree_wrong + cross_wrong + 10.0) / (agree_wrong + 1.0), 1.0 + 1e-6)


def _mirrors(
    prob: Problem, agreement: float, overlap: float, use: np.ndarray | None = None
) -> np.ndarray:
    """Per pair of sources, 1.0 if one mirrors the other, else 0.0 (aligned with ``pairs()``).

    Two independent sources can both be right, so agreeing where everyone agrees proves
    nothing; on *contested* objects (more than one value claimed) independent sources of
    accuracy A and B agree at most about AB + (1-A)(1-B) of the time, well below 0.9 for any
    real source. Sources that agree on at least ``agreement`` of at least ``overlap`` contested
    objects they share are feeds of one another (Dong et al.'s copy signature, decided by
    counting rather than by a prior over accuracies, so it cannot flag independent sources
    that happen to share the truth: they disagree on the objects where either errs). Only the
    objects in ``use`` count: kg leaves out yes/no questions, where there is one false answer
    to share, so that agreeing on it is no sign of copying.
    """
    pid, oa, ob, psa, _ = prob.pairs()
    if not len(psa):
        return np.zeros(0)
    contested = prob.n_vals[prob.obs_obj[oa]] > 1
    if use is not None:
        contested &= use[prob.obs_obj[oa]]
    ww = prob.obs_w[oa] * prob.obs_w[ob] * contested
    same = prob.obs_fact[oa] == prob.obs_fact[ob]
    tot = np.bincount(pid, ww, minlength=len(psa))
    agree = np.bincount(pid, ww * same, minlength=len(psa))
    ok = (tot >= overlap) & (agree >= agreement * np.maximum(tot, 1e-12))
    return ok.astype(float)


def _dependence_popular(
    prob: Problem,
    p: np.ndarray,
    a_obs: np.ndarray,
    n_false: float,
    alpha: float,
    c: float,
    min_overlap: float = 0.0,
) -> np.ndarray:
    """Pr(two sources are dependent), judged claim by claim with popularity-aware mistakes.

    Dong et al.'s test (:func:`dependence`) assumes a wrong source picks one of n false values
    uniformly, so every shared mistake is strong evidence of copying. When the truth is not yet
    known that is circular: if a block of copies wins the first vote, the independent sources
    that agree on the real value "share a false value" over and over and are the ones flagged.
    Real mistakes are not uniform either (stale figures, a common misreading), and sharing a
    mistake that many others make says little about copying. Here the chance that a wrong claim
    lands on value v is v's smoothed popularity among the *other* sources' wrong claims on that
    object (the insight of PopAccu, Dong, Saha, Srivastava PVLDB 2013, applied to the copy
    test), with each claim's own (facet) accuracy: sharing a rare value is strong evidence,
    sharing a common one weak, never disagreeing is the copier's signature.
    """
    pid, oa, ob, psa, _ = prob.pairs()
    n_pairs = len(psa)
    if n_pairs == 0:
        return np.zeros(0)
    fa, fb = prob.obs_fact[oa], prob.obs_fact[ob]
    same = fa == fb
    ww = prob.obs_w[oa] * prob.obs_w[ob]
    # a pair that differs is (1 - c) times as likely under copying as under independence
    log_lr1 = np.full(len(pid), math.log(max(1.0 - c, 1e-12)))
    log_lr2 = log_lr1.copy()
    idx = np.flatnonzero(same)
    v = fa[idx]
    pv = p[v]
    a1 = a_obs[oa[idx]]
    a2 = a_obs[ob[idx]]
    false_mass = prob.fact_support * (1.0 - p)
    obj_false = prob.obj_sum(false_mass)
    own = (prob.obs_w[oa[idx]] + prob.obs_w[ob[idx]]) * (1.0 - pv)
    others_v = np.maximum(false_mass[v] - own, 0.0)
    others_o = np.maximum(obj_false[prob.fact_obj[v]] - own, 0.0)
    q = (others_v + 1.0) / (others_o + n_false)
    indep = np.maximum(pv * a1 * a2 + (1.0 - pv) * (1.0 - a1) * (1.0 - a2) * q * q, 1e-300)
    says1 = pv * a1 + (1.0 - pv) * (1.0 - a1) * q  # the original gives v
    says2 = pv * a2 + (1.0 - pv) * (1.0 - a2) * q
    log_lr1[idx] = np.log((c * says2 + (1.0 - c) * indep) / indep)  # first copies second
    log_lr2[idx] = np.log((c * says1 + (1.0 - c) * indep) / indep)  # second copies first
    s1 = np.bincount(pid, ww * log_lr1, minlength=n_pairs)
    s2 = np.bincount(pid, ww * log_lr2, minlength=n_pairs)
    l0 = np.full(n_pairs, math.log(1.0 - alpha))
    l1 = math.log(alpha / 2.0) + s1
    l2 = math.log(alpha / 2.0) + s2
    mx = np.maximum(l0, np.maximum(l1, l2))
    z = np.exp(l0 - mx) + np.exp(l1 - mx) + np.exp(l2 - mx)
    dep = 1.0 - np.exp(l0 - mx) / z
    if min_overlap > 0:
        shared = np.bincount(pid, ww, minlength=n_pairs)
        dep = np.where(shared >= min_overlap, dep, 0.0)
    return dep


def _group_array(prob: Problem, groups: Mapping[Hashable, Hashable] | None) -> np.ndarray | None:
    if not groups:
        return None
    gid: dict[Hashable, int] = {}
    garr = np.full(prob.n_src, -1, dtype=np.int64)
    for i, s in enumerate(prob.sources):
        g = groups.get(s)
        if g is not None:
            garr[i] = gid.setdefault(g, len(gid))
    return garr if (garr >= 0).any() else None


def _kg_discount(
    prob: Problem,
    dep: np.ndarray | None,
    c: float,
    group_of: np.ndarray | None,
    reliability: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Weight of each claim after discounting for dependence on sources making the same claim.

    Among the sources giving one value, the more reliable (then the one sorting first) keeps its
    vote and each later one is multiplied by (1 - c Pr(dependent)) per earlier partner, as in
    Dong et al.; members of a known group are certainly dependent and copy everything (factor
    0), so a group counts as its most reliable member. Also returns, per same-claim pair of
    claims, the probability that their sources are dependent.
    """
    pid, oa, ob = same_value_pairs(prob)
    linked = np.zeros(len(pid)) if dep is None or not len(dep) else dep[pid]
    if group_of is not None:
        ga, gb = group_of[prob.obs_src[oa]], group_of[prob.obs_src[ob]]
        linked = np.where((ga >= 0) & (ga == gb), 1.0, linked)
        strength = np.where((ga >= 0) & (ga == gb), 1.0, c * linked)
    else:
        strength = c * linked
    if not strength.any():
        return np.ones(prob.n_obs), linked
    # order on reliability rounded to 0.01 so that two near-equal sources do not swap places
    # (and discounts) from one round to the next
    r = np.round(reliability, 2)
    a_first = (r[oa] > r[ob]) | ((r[oa] == r[ob]) & (oa < ob))
    later = np.where(a_first, ob, oa)
    log_f = np.log(np.clip(1.0 - strength, 1e-12, None))
    return np.exp(np.bincount(later, log_f, minlength=prob.n_obs)), linked
