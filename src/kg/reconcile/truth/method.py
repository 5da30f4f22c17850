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
  object agree, which the current beliefs estimate (:func:`false_values`). Flight's wrong
  values concentrate (n about 1.7), Population's vandal edits scatter (about 11).
* **Copies count once**: known relays (``groups``) and detected mirrors (sources agreeing on
  almost every contested object) keep one vote per value, and their agreement is no evidence.
* **Yes/no claims are two-sided** (Dawid and Skene's model): a source's sensitivity (says yes
  when yes) and specificity (says no when no) are learned separately, with the base rate of
  yes, so that a listing that is never updated says little while a deliberate "closed" says
  much (:func:`two_sided`).
* **A source is judged on what it answers** (``kind``, when objects are of several kinds, such
  as attributes): accuracy on a kind is the source's ability plus the kind's ease in log-odds
  (Rasch's model), so easy questions that everyone gets right do not inflate a source, hard
  ones do not sink it, and sources are compared by ability (:func:`ability_ease`). How hard a
  kind is comes from how often sources agree on it, given who answers it, not from the current
  beliefs (:func:`agreement_ease`): a kind that a few weak sources answer alone does not look
  easy because their chance collisions are believed.
* **A source is judged on everything it says** (``unchecked="prior"``): a claim nobody else
  can check counts in its source's record at the source's prior, so a source whose claims are
  mostly unchecked stays near its prior however well its few checked claims are borne out
  (Wikipedia's bot, 25,788 claims, 3,944 checked and mostly inherited by later editors).
* **Sources with little record take their prior from sources like them** (``pool``): a
  hierarchical prior, the pooled record of the other sources with as many checked claims, so a
  one-edit editor is judged by how one-edit editors fare (:func:`pooled_prior`).
* **A small source repeating a prolific one may be repeating it** (``inherit``): sources with
  little record are tested for copying as a class, against each source with a record (one
  shared object per pair says nothing; a thousand pairs pooled do), and where the class agrees
  with a source more often than independent sources of their accuracies would, a small claim
  on that source's value counts as Dong et al.'s copy model says: mostly as the repeat it
  probably is (:func:`inheritance`). Wikipedia editors whose latest revision kept the bot's
  figure agree with the bot at .67 where independence predicts .53.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping

import numpy as np

from kg.reconcile.truth.classic import pair_dict, same_value_pairs
from kg.reconcile.truth.copying import dependence_popular, group_array, kg_discount, mirrors
from kg.reconcile.truth.observations import Observation, Problem, Result, Similarity, check_kwargs
from kg.reconcile.truth.source_models import (
    ability_ease,
    agreement_ease,
    false_values,
    inheritance,
    kind_agreement,
    pooled_prior,
    two_sided,
)

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
    inherit: bool = True,
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
        plus the kind's ease, in log-odds (:func:`ability_ease`); no parameter.
        Unlike ``facet`` (one trust per source and kind), a source's record on one kind speaks
        for it on every other, and a kind's difficulty is shared by all sources. With one kind
        the model is plain accuracy. Ignored when ``facet`` is given; ability and ease are in
        ``extra["ability"]`` and ``extra["ease"]``, and the trust returned is plain accuracy.
    ``ease``
        How a kind's ease is found: ``"agreement"`` (the default) from how often the sources
        answering it agree, given their abilities (:func:`agreement_ease`); ``"credit"`` fitted
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
        pseudo-claims (:func:`pooled_prior`; ``extra["prior"]``). One-edit editors are
        judged by how one-edit editors fare, not by an optimistic constant. Sources with a
        record at least as strong as the prior keep ``default_prior``; sources in ``prior``
        (kg's origins, whose prior comes from their kind) are never pooled.
    ``inherit``
        Copying by sources with little record, detected for the class (default on): the
        sources not in ``prior`` with fewer checked claims than ``prior_strength`` are tested
        together against each other source, and if they agree with it more often than
        independent sources of their accuracies would (at A against E expected), a share
        c = (A - E) / (1 - E) of those agreements (shrunk with ``prior_strength`` pseudo-pairs)
        is taken as repeats. A small claim on a value such a source also claims then adds
        ln((c + (1 - c) a) / (c + (1 - c)(1 - a) / n)) instead of ln(n a / (1 - a)): the
        likelihood of the claim given that the value is true and given that it is not, when
        the claim may be a repeat of the other's (Dong et al. 2009's copy model; the pairwise
        test cannot see a copier with one claim). Why: on Wikipedia, an editor whose one edit
        touched another part of a town's page has the bot's figure in their latest revision
        (Population: the one-edit class agrees with the bot on .67 of their shared items,
        independence predicts .53, so c = .28), and bot plus inheritor outvoted the editor who
        changed the figure. It fires on two other bots there and on a few TDH heritages sites
        (c .04 to .19), on no Flight, Weather or TDH birthplaces source, and never in kg (every
        origin has a prior). ``extra["inherited"]`` gives each source's c where it is above 0.
    ``n_false``
        Plausible false values per object: a claim from a source of accuracy A adds
        ln(n_false A / (1 - A)) to its value, so a lone claim gets probability A. ``"auto"``
        (the default) measures it each round as 1 / Pr(two wrong claims on an object agree)
        under the current beliefs (:func:`false_values`); the estimate (for the objects that
        are not yes/no) is in ``extra["n_false"]``. A number fixes it (Accu's n). Yes/no
        objects have exactly one false value whatever this says.
    ``groups``
        Known dependence: sources relaying the same origin count as their most reliable member.
    ``mirror_agreement`` / ``mirror_overlap``
        Unknown feeds of one another: two sources agreeing on at least ``mirror_agreement`` of
        at least ``mirror_overlap`` contested objects they share count, where they agree, as
        their more reliable member (:func:`mirrors`). ``None`` turns it off. On by default
        (.98 of 20, chosen on Flight 2011-12-01 only): independent sources disagree wherever
        one errs, so it never fires on them; kg's synthetic accuracy is unchanged by it.
    Yes/no objects (every claimed value a ``bool``) are scored with two-sided quality and a
    learned base rate of yes (:func:`two_sided`); ``extra["sensitivity"]`` and
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
    group_of = group_array(prob, groups)
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
    inherited = np.zeros(0)
    # how often two sources agree on a kind, counted once: it says how hard the kind is
    # without asking which value is right (yes/no questions have their own model)
    agree_k = (kind_agreement(prob, kinds, len(kind_ix), ~yes_no)
               if kinds is not None and ease == "agreement" else None)
    credit = pi[s_idx].copy()  # before any evidence a claim is as good as its source's prior
    prev_credit = credit
    acc = pi.copy()
    a_full = pi[s_idx]
    p = np.zeros(prob.n_fact)
    mirror = (
        mirrors(prob, mirror_agreement, mirror_overlap, ~yes_no)
        if mirror_agreement is not None
        else None
    )
    if mirror is not None and not mirror.any():
        mirror = None
    disc, linked = kg_discount(prob, mirror, 1.0, group_of, a_full)
    dep = np.zeros(0)
    # copy detection starts from the fixed point reached without it (Accu first, then the copy
    # test): judged from a first vote, sources that agree on a value the majority got wrong
    # look like copiers, and once discounted they never recover
    copying_on = False
    started = 0
    it = 0
    for it in range(1, max_iter + 1):
        if copying_on:
            dep_new = dependence_popular(prob, p, a_full, n, alpha, c, min_overlap)
            dep = dep_new if it == started else 0.5 * (dep + dep_new)  # damped, see below
            if mirror is None:
                disc, linked = kg_discount(prob, dep, c, group_of, a_full)
            else:
                disc, linked = kg_discount(prob, np.maximum(c * dep, mirror), 1.0, group_of, a_full)
        elif mirror is not None:
            # mirrors keep one vote per value: the more reliable of them, as trust moves
            disc, linked = kg_discount(prob, mirror, 1.0, group_of, a_full)
        # trust of each claim's source from its record on its *other* claims (leave-one-out),
        # per facet if asked, shrunk towards the prior
        own = tw * credit
        tot = np.bincount(s_idx, own, minlength=prob.n_src)
        a_src = (m * pi[s_idx] + tot[s_idx]) / (m + s_tw[s_idx])
        a_obs = (m * pi[s_idx] + tot[s_idx] - own) / (m + s_tw[s_idx] - tw)
        if kinds is not None:
            fixed = (agreement_ease(agree_k, n, theta, np.bincount(kinds, tw, minlength=len(beta)), m)
                     if agree_k is not None else None)
            theta, beta, a_full, a_obs = ability_ease(
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
        if inherit and unlisted.any():
            cp, inherited = inheritance(prob, unlisted & (s_checked < m), acc, n, m, ~yes_no)
            if cp.any():
                lam = np.where(cp > 0, np.log((cp + (1.0 - cp) * a_obs)
                                              / (cp + (1.0 - cp) * (1.0 - a_obs) / n_obj[o_idx])), lam)
        if any_two:
            lam_two, rates = two_sided(prob, p_yes_obj, says_yes, says_no, w, pi, m)
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
            n = false_values(prob, p, ~yes_no)
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
            pi = pooled_prior(pi0, unlisted, s_checked,
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
    if inherited.any():
        extra["inherited"] = {prob.sources[i]: float(inherited[i]) for i in np.flatnonzero(inherited)}
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
