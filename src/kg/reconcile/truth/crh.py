"""CRH: Li, Li, Gao, Zhao, Fan, Han, "Resolving conflicts in heterogeneous data by truth
discovery and source reliability estimation", SIGMOD 2014.

Minimise sum_k w_k sum_o d(v_ko, v*_o) under sum_k exp(-w_k) = 1. Alternating: with the
truths fixed, w_k = -ln(loss_k / sum_k' loss_k'); with the weights fixed, each truth is the
weighted vote (categorical data, 0-1 loss) or the weighted median (continuous data, absolute
deviation normalised by the spread of the object's claims). Mixed data are handled in one
objective, which is the paper's point; see :mod:`kg.reconcile.truth.loss`. Starts from equal
weights (a vote / median) and stops when the truths no longer change.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from kg.reconcile.truth.loss import Mixed
from kg.reconcile.truth.observations import Observation, Problem, Result, Similarity, check_kwargs

__all__ = ["crh"]


def crh(
    observations: Iterable[Observation] | Problem,
    similarity: Similarity | None = None,
    *,
    max_iter: int = 100,
    **kw: object,
) -> Result:
    check_kwargs("crh", kw)
    prob = observations if isinstance(observations, Problem) else Problem(observations)
    mixed = Mixed(prob)
    w = np.ones(prob.n_src)
    best = mixed.truths(w)
    it = 0
    while it < max_iter:
        it += 1
        # a weighted bincount is float (numpy's stub says int)
        loss: np.ndarray = np.bincount(prob.obs_src, mixed.losses(best), minlength=prob.n_src)
        loss = loss + 1e-9  # a source with no loss at all gets the largest finite weight
        w = -np.log(loss / loss.sum())
        new = mixed.truths(w)
        if np.array_equal(new, best):
            break
        best = new
    return result(prob, best, w, it)


def result(prob: Problem, best: np.ndarray, w: np.ndarray, it: int) -> Result:
    mass = np.bincount(prob.obs_fact, prob.obs_w * w[prob.obs_src], minlength=prob.n_fact)
    score = mass / np.maximum(prob.obj_sum(mass)[prob.fact_obj], 1e-300)
    # the chosen fact must win the argmax in Result: lift it above the rest of its object
    score = score.copy()
    score[best] = 2.0
    res = prob.result(score, np.minimum(score, 1.0), w / max(float(w.max()), 1e-300), it)
    res.extra = {"weight": dict(zip(prob.sources, w.tolist(), strict=True))}
    return res
