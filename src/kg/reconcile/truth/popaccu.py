"""PopAccu: Dong, Saha, Srivastava, "Less is more: selecting sources wisely for integration",
PVLDB 6(2) 2013, §3 (building on Accu, Dong et al. PVLDB 2(1) 2009).

Accu assumes a wrong source picks one of n false values uniformly, so every agreement on a
value counts the same. PopAccu estimates the distribution of false values from the data: if v*
is the truth of an object, the chance that a wrong source gives v is v's popularity among the
sources that do not give v*, pop(v | v*) = n_v / (N - n_v*). Then, over the N sources speaking
to the object,

    Pr(v* | claims) ∝ prod_{s gives v*} A_s  *  prod_{s gives v != v*} (1 - A_s) pop(v | v*)

(the product over all sources of (1 - A_s) is common to all candidates and cancels in the
ratio with the Accu form), and a source's accuracy A_s is the mean probability of its values.
Candidates are the claimed values (PopAccu has no n). Starts from A = 0.8, as Accu.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from kg.reconcile.truth.observations import Observation, Problem, Result, Similarity, check_kwargs

__all__ = ["popaccu"]


def popaccu(
    observations: Iterable[Observation] | Problem,
    similarity: Similarity | None = None,
    *,
    initial_accuracy: float = 0.8,
    tol: float = 1e-4,
    max_iter: int = 100,
    **kw: object,
) -> Result:
    check_kwargs("popaccu", kw)
    prob = observations if isinstance(observations, Problem) else Problem(observations)
    n_v = prob.fact_support  # sources giving each value (a source with k values counts 1/k)
    n_obj = prob.obj_sum(n_v)
    # sum over the other values v of the object of n_v ln pop(v | v*), for each candidate v*
    rest = np.maximum(n_obj[prob.fact_obj] - n_v, 1e-12)
    nlogn = prob.obj_sum(np.where(n_v > 0, n_v * np.log(np.maximum(n_v, 1e-300)), 0.0))
    own = np.where(n_v > 0, n_v * np.log(np.maximum(n_v, 1e-300)), 0.0)
    pop_term = (nlogn[prob.fact_obj] - own) - (n_obj[prob.fact_obj] - n_v) * np.log(rest)
    acc = np.full(prob.n_src, float(initial_accuracy))
    p = np.zeros(prob.n_fact)
    it = 0
    while it < max_iter:
        it += 1
        a = np.clip(acc, 1e-6, 1 - 1e-6)
        lo = np.log(a / (1 - a))  # ln A - ln(1 - A): giving v* rather than another value
        score = np.bincount(prob.obs_fact, prob.obs_w * lo[prob.obs_src], minlength=prob.n_fact)
        score = score + pop_term
        top = prob.obj_max(score)
        e = np.exp(score - top[prob.fact_obj])
        p = e / prob.obj_sum(e)[prob.fact_obj]
        new_acc = prob.source_mean(p)
        delta = float(np.max(np.abs(new_acc - acc))) if prob.n_src else 0.0
        acc = new_acc
        if delta < tol:
            break
    return prob.result(p, p, acc, it)
