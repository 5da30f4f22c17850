"""The classic methods kg is measured against: majority vote, TruthFinder (Yin et al. 2008) and the
Accu family with copy detection (Dong et al. VLDB 2009).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from kg.reconcile.truth.observations import (
    Observation,
    Problem,
    Result,
    Similarity,
    check_kwargs,
    softmax_domain,
)

# --------------------------------------------------------------------------------------------
# majority voting


def vote(observations: Iterable[Observation], **kw: object) -> Result:
    """Each source has one vote per object; trust is the share of a source's votes that won.

    Accepts and ignores the other methods' keyword arguments so that callers can swap
    methods without changing the call.
    """
    check_kwargs("vote", kw)
    prob = observations if isinstance(observations, Problem) else Problem(observations)
    score = prob.fact_support.copy()
    best = prob.argmax(score)
    won = np.zeros(prob.n_fact)
    won[best] = 1.0
    trust = prob.source_mean(won)
    return prob.result(score, None, trust, 1)


# --------------------------------------------------------------------------------------------
# TruthFinder


def truthfinder(
    observations: Iterable[Observation],
    similarity: Similarity | None = None,
    *,
    initial_trust: float = 0.9,
    rho: float = 0.5,
    gamma: float = 0.3,
    base_sim: float = 0.5,
    delta: float = 1e-5,
    max_iter: int = 20,
    **_ignored: object,
) -> Result:
    """TruthFinder (Yin, Han, Yu 2007) with the paper's parameters.

    Without a similarity function every pair of different values has similarity 0, so
    imp(f' -> f) = -base_sim: conflicting values count against each other, as in the paper.
    """
    check_kwargs("truthfinder", _ignored)
    prob = (
        observations if isinstance(observations, Problem) else Problem(observations, similarity)
    )
    t = np.full(prob.n_src, float(initial_trust))
    s = np.zeros(prob.n_fact)
    it = 0
    while it < max_iter:
        it += 1
        tau = -np.log(np.clip(1.0 - t, 1e-12, None))
        sigma = np.bincount(prob.obs_fact, prob.obs_w * tau[prob.obs_src], minlength=prob.n_fact)
        others = prob.obj_sum(sigma)[prob.fact_obj] - sigma
        sigma_star = sigma + rho * (prob.similar_support(sigma) - base_sim * others)
        s = 1.0 / (1.0 + np.exp(-gamma * sigma_star))
        t_new = prob.source_mean(s)
        cos = float(t @ t_new) / max(float(np.linalg.norm(t) * np.linalg.norm(t_new)), 1e-300)
        t = t_new
        if 1.0 - cos < delta:
            break
    return prob.result(s, s, t, it)


# --------------------------------------------------------------------------------------------
# Accu family (Dong, Berti-Equille, Srivastava 2009)


def dependence(
    prob: Problem,
    p: np.ndarray,
    acc: np.ndarray,
    n_false: float,
    alpha: float,
    c: float,
    min_overlap: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Posterior probability that each pair of sources is dependent (Dong et al. 2009, §3).

    Counts, over the objects two sources share, the (probability-weighted) number of same true
    values kt, same false values kf and different values kd, and compares the likelihood of
    these counts under independence with that under copying (either direction) at rate c.
    Returns (dependence per pair, pair source a, pair source b).
    """
    pid, oa, ob, psa, psb = prob.pairs()
    n_pairs = len(psa)
    if n_pairs == 0:
        return np.zeros(0), psa, psb
    same = prob.obs_fact[oa] == prob.obs_fact[ob]
    ww = prob.obs_w[oa] * prob.obs_w[ob]
    pf = p[prob.obs_fact[oa]]
    kt = np.bincount(pid, ww * same * pf, minlength=n_pairs)
    kf = np.bincount(pid, ww * same * (1.0 - pf), minlength=n_pairs)
    kd = np.bincount(pid, ww * (~same), minlength=n_pairs)
    a1 = np.clip(acc[psa], 1e-6, 1 - 1e-6)
    a2 = np.clip(acc[psb], 1e-6, 1 - 1e-6)
    p_t = a1 * a2
    p_f = (1 - a1) * (1 - a2) / n_false
    p_d = np.clip(1.0 - p_t - p_f, 1e-12, None)
    log_ind = kt * np.log(p_t) + kf * np.log(p_f) + kd * np.log(p_d)

    def log_copy(src_acc: np.ndarray) -> np.ndarray:
        # the copier takes the value from the original with probability c
        pt = src_acc * c + p_t * (1 - c)
        pfc = (1 - src_acc) * c + p_f * (1 - c)
        pd = np.clip(p_d * (1 - c), 1e-300, None)
        return kt * np.log(pt) + kf * np.log(pfc) + kd * np.log(pd)

    l0 = np.log(1 - alpha) + log_ind
    l1 = np.log(alpha / 2) + log_copy(a2)
    l2 = np.log(alpha / 2) + log_copy(a1)
    mx = np.maximum(l0, np.maximum(l1, l2))
    z = np.exp(l0 - mx) + np.exp(l1 - mx) + np.exp(l2 - mx)
    dep = 1.0 - np.exp(l0 - mx) / z
    if min_overlap > 0:
        dep = np.where(kt + kf + kd >= min_overlap, dep, 0.0)
    return dep, psa, psb


def same_value_pairs(prob: Problem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return prob.same_value_pairs()


def accu(
    observations: Iterable[Observation],
    similarity: Similarity | None = None,
    copying: bool = False,
    *,
    initial_accuracy: float = 0.8,
    n_false: float = 100.0,
    rho: float = 0.5,
    alpha: float = 0.2,
    c: float = 0.8,
    tol: float = 1e-4,
    max_iter: int = 100,
    **_ignored: object,
) -> Result:
    """Accu / AccuSim / AccuCopy (Dong et al. 2009) with the paper's parameters.

    With ``copying`` the vote of a source S for value v is multiplied by
    prod (1 - c Pr(S ~ S')) over the providers S' of v considered before S; following the
    paper's greedy order, more accurate sources are considered first.
    """
    check_kwargs("accu", _ignored)
    prob = (
        observations if isinstance(observations, Problem) else Problem(observations, similarity)
    )
    acc = np.full(prob.n_src, float(initial_accuracy))
    unclaimed = np.maximum(n_false + 1.0 - prob.n_vals, 0.0)
    disc = np.ones(prob.n_obs)
    p = np.zeros(prob.n_fact)
    dep = np.zeros(0)
    it = 0
    for it in range(1, max_iter + 1):
        a = np.clip(acc, 1e-6, 1 - 1e-6)
        w_src = np.log(n_false * a / (1 - a))
        if copying and it > 1:
            dep, _, _ = dependence(prob, p, acc, n_false, alpha, c)
            pid, oa, ob = same_value_pairs(prob)
            sa, sb = prob.obs_src[oa], prob.obs_src[ob]
            # the later one in the order (lower accuracy, then higher index) is discounted
            a_first = (acc[sa] > acc[sb]) | ((acc[sa] == acc[sb]) & (sa < sb))
            later = np.where(a_first, ob, oa)
            factor = np.log(np.clip(1.0 - c * dep[pid], 1e-12, None))
            disc = np.exp(np.bincount(later, factor, minlength=prob.n_obs))
        votes = prob.obs_w * disc * w_src[prob.obs_src]
        # a weighted bincount is float (numpy's stub says int)
        cnt: np.ndarray = np.bincount(prob.obs_fact, votes, minlength=prob.n_fact)
        if prob.has_sim:
            cnt = cnt + rho * prob.similar_support(cnt)
        p = softmax_domain(prob, cnt, unclaimed)
        new_acc = prob.source_mean(prob.credit(p) if prob.has_sim else p)
        delta = float(np.max(np.abs(new_acc - acc))) if prob.n_src else 0.0
        acc = new_acc
        if delta < tol and (not copying or it > 2):
            break
    extra = {"dependence": pair_dict(prob, dep)} if copying else {}
    return prob.result(p, p, acc, it, extra)


def pair_dict(prob: Problem, dep: np.ndarray, threshold: float = 0.5) -> dict:
    if not len(dep):
        return {}
    _, _, _, psa, psb = prob.pairs()
    hit = np.flatnonzero(dep >= threshold)
    return {(prob.sources[int(psa[i])], prob.sources[int(psb[i])]): float(dep[i]) for i in hit}
