"""CATD: Li, Li, Gao, Su, Zhao, Fan, Han, "A confidence-aware approach for truth discovery on
long-tail data", PVLDB 8(4) 2014 (VLDB 2015).

Chosen as the recent method because the benchmarks are long-tail: most Wikipedia editors in
Population make one or two edits, most bookstores list a handful of the 1,263 books, most
heritage-site pages speak to one site. CRH-style weights are unreliable there (a source right
on its single claim gets the largest weight). CATD replaces the point estimate of a source's
error by the upper end of its confidence interval: with n_k claims and total loss L_k,

    w_k = chi2_{alpha/2}(n_k) / L_k,

the lower alpha/2 quantile of the chi-squared distribution with n_k degrees of freedom, so a
source with few claims gets a small weight however well it did. Truths are the weighted vote /
weighted median as in CRH (:mod:`kg.reconcile.truth.loss`); alpha = 0.05 (the paper's).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from kg.reconcile.truth.crh import result
from kg.reconcile.truth.loss import Mixed, chi2_lower
from kg.reconcile.truth.observations import Observation, Problem, Result, Similarity, check_kwargs

__all__ = ["catd"]


def catd(
    observations: Iterable[Observation] | Problem,
    similarity: Similarity | None = None,
    *,
    alpha: float = 0.05,
    max_iter: int = 100,
    **kw: object,
) -> Result:
    check_kwargs("catd", kw)
    prob = observations if isinstance(observations, Problem) else Problem(observations)
    mixed = Mixed(prob)
    n_claims = np.bincount(prob.obs_src, prob.obs_w, minlength=prob.n_src)
    k = np.maximum(np.rint(n_claims), 1).astype(int)
    q = {int(d): chi2_lower(alpha / 2.0, float(d)) for d in np.unique(k)}
    chi = np.array([q[int(d)] for d in k])
    w = np.ones(prob.n_src)
    best = mixed.truths(w)
    it = 0
    while it < max_iter:
        it += 1
        loss = np.bincount(prob.obs_src, mixed.losses(best), minlength=prob.n_src)
        w = chi / (loss + 1e-2)  # the paper's smoothing of a zero loss
        new = mixed.truths(w)
        if np.array_equal(new, best):
            break
        best = new
    return result(prob, best, w, it)
