"""Copies counted once for kg_trust (kg.reconcile.truth.method): sources that mirror one another
on almost every contested object, known relay groups, and the discount a copied vote gets.

Split from kg.reconcile.truth.method; that module's docstring says why copies count once.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

import numpy as np

from kg.reconcile.truth.classic import same_value_pairs
from kg.reconcile.truth.observations import Problem


def mirrors(
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


def dependence_popular(
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


def group_array(prob: Problem, groups: Mapping[Hashable, Hashable] | None) -> np.ndarray | None:
    if not groups:
        return None
    gid: dict[Hashable, int] = {}
    garr = np.full(prob.n_src, -1, dtype=np.int64)
    for i, s in enumerate(prob.sources):
        g = groups.get(s)
        if g is not None:
            garr[i] = gid.setdefault(g, len(gid))
    return garr if (garr >= 0).any() else None


def kg_discount(
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
