"""Latent Credibility Analysis: Pasternack and Roth, "Latent Credibility Analysis", WWW 2013.

Issue 16 compares kg_trust with LCA's best published Population figure (MistakeLCAm, 86.13 %).
A published figure is only comparable when the data are the same, and ours are not quite (the
paper's TruthFinder gets 233 of the 274 census items, ours 229, on the file we can obtain), so
the paper's own models run here on the same input as every other method.

Each object is a mutual exclusion set m: exactly one of its claimed values c is true (y_m), and
every source s speaking to m asserts one of them (a source giving k values gives each weight
1/k, the paper's partial assertions). The three models differ in how a source's assertion
depends on the truth:

``simple_lca``   P(s asserts c | y_m = c) = H_s; otherwise it picks one of the |m| - 1 wrong
                 values uniformly: (1 - H_s) / (|m| - 1). H_s is the source's honesty.
``guess_lca``    s knows the truth with probability H_s and otherwise guesses, picking c with
                 its popularity in m, P_g(c) (share of the assertions on m):
                 P(c | y = c) = H_s + (1 - H_s) P_g(c), P(c' | y = c) = (1 - H_s) P_g(c').
``mistake_lca``  s means to tell the truth with probability H_s but knows it only with the
                 difficulty of the item, D_m: P(c | y = c) = H_s D_m, and a mistake falls
                 uniformly on the wrong values, (1 - H_s D_m) / (|m| - 1). ``difficulty="m"``
                 gives each item its own D_m (MistakeLCAm), ``"g"`` one D for all (MistakeLCAg).

Inference is EM with a uniform prior over each object's claimed values. E step: the posterior
of each value, in which the factors of the sources not asserting c cancel to the ratio below.
M step: SimpleLCA's H_s is the mean posterior of s's assertions; GuessLCA's is the expected
share of them s knew; MistakeLCA's H and D maximise
sum w [q log(H D) + (1 - q) log(1 - H D)], which has no closed form: each is the root of its
(decreasing) derivative, found by bisection with the other held fixed. Every model starts from
H = 0.8 (as Accu does here) and D = 1, and stops when no posterior moves by more than ``tol``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from kg.reconcile.truth.observations import Observation, Problem, Result, Similarity, check_kwargs

__all__ = ["guess_lca", "mistake_lca", "simple_lca"]

_LO, _HI = 1e-6, 1.0 - 1e-6
_BISECTIONS = 40


def simple_lca(
    observations: Iterable[Observation] | Problem,
    similarity: Similarity | None = None,
    *,
    initial_trust: float = 0.8,
    tol: float = 1e-4,
    max_iter: int = 100,
    **kw: object,
) -> Result:
    check_kwargs("simple_lca", kw)
    prob = _problem(observations)
    honesty = np.full(prob.n_src, float(initial_trust))
    p = np.zeros(prob.n_fact)
    it = 0
    while it < max_iter:
        it += 1
        new = _posterior(prob, _uniform_ratio(prob, honesty[prob.obs_src]))
        honesty = np.clip(prob.source_mean(new), _LO, _HI)
        moved = float(np.max(np.abs(new - p))) if prob.n_fact else 0.0
        p = new
        if moved < tol:
            break
    return prob.result(p, p, honesty, it)


def guess_lca(
    observations: Iterable[Observation] | Problem,
    similarity: Similarity | None = None,
    *,
    initial_trust: float = 0.8,
    tol: float = 1e-4,
    max_iter: int = 100,
    **kw: object,
) -> Result:
    check_kwargs("guess_lca", kw)
    prob = _problem(observations)
    guess = prob.fact_support / np.maximum(prob.obj_sum(prob.fact_support)[prob.fact_obj], 1e-300)
    g = guess[prob.obs_fact]
    honesty = np.full(prob.n_src, float(initial_trust))
    p = np.zeros(prob.n_fact)
    it = 0
    while it < max_iter:
        it += 1
        h = honesty[prob.obs_src]
        # log P(c | y = c) - log P(c | y != c) for each assertion
        ratio = np.log(h + (1.0 - h) * g) - np.log(np.maximum((1.0 - h) * g, 1e-300))
        new = _posterior(prob, ratio)
        knew = new[prob.obs_fact] * h / np.maximum(h + (1.0 - h) * g, 1e-300)
        honesty = np.clip(
            np.bincount(prob.obs_src, prob.obs_w * knew, minlength=prob.n_src)
            / np.maximum(prob.src_weight, 1e-300),
            _LO,
            _HI,
        )
        moved = float(np.max(np.abs(new - p))) if prob.n_fact else 0.0
        p = new
        if moved < tol:
            break
    return prob.result(p, p, honesty, it)


def mistake_lca(
    observations: Iterable[Observation] | Problem,
    similarity: Similarity | None = None,
    *,
    difficulty: str = "m",
    initial_trust: float = 0.8,
    tol: float = 1e-4,
    max_iter: int = 100,
    **kw: object,
) -> Result:
    check_kwargs("mistake_lca", kw)
    if difficulty not in ("m", "g"):
        raise ValueError(f"difficulty must be 'm' (one per item) or 'g' (global), not {difficulty!r}")
    prob = _problem(observations)
    honesty = np.full(prob.n_src, float(initial_trust))
    # the item each assertion is about, or item 0 for all when the difficulty is global
    item = prob.obs_obj if difficulty == "m" else np.zeros(prob.n_obs, dtype=np.int64)
    n_items = prob.n_obj if difficulty == "m" else 1
    ease = np.ones(n_items)
    p = np.zeros(prob.n_fact)
    it = 0
    while it < max_iter:
        it += 1
        new = _posterior(prob, _uniform_ratio(prob, honesty[prob.obs_src] * ease[item]))
        q = new[prob.obs_fact]
        honesty = _root(prob.obs_src, prob.n_src, prob.obs_w, q, ease[item])
        ease = _root(item, n_items, prob.obs_w, q, honesty[prob.obs_src])
        moved = float(np.max(np.abs(new - p))) if prob.n_fact else 0.0
        p = new
        if moved < tol:
            break
    res = prob.result(p, p, honesty, it)
    if difficulty == "m":
        res.extra = {"difficulty": dict(zip(prob.objects, ease.tolist(), strict=True))}
    else:
        res.extra = {"difficulty": float(ease[0])}
    return res


def _problem(observations: Iterable[Observation] | Problem) -> Problem:
    return observations if isinstance(observations, Problem) else Problem(observations)


def _uniform_ratio(prob: Problem, truthful: np.ndarray) -> np.ndarray:
    """log P(c | y = c) - log P(c | y != c) when mistakes fall uniformly on the |m| - 1 wrong values."""
    t = np.clip(truthful, _LO, _HI)
    wrong = np.maximum(prob.n_vals[prob.obs_obj] - 1, 1)
    return np.log(t) - np.log((1.0 - t) / wrong)


def _posterior(prob: Problem, ratio: np.ndarray) -> np.ndarray:
    """P(y_m = c | assertions) under a uniform prior over m's claimed values."""
    score = np.bincount(prob.obs_fact, prob.obs_w * ratio, minlength=prob.n_fact)
    top = prob.obj_max(score)
    e = np.exp(score - top[prob.fact_obj])
    return e / prob.obj_sum(e)[prob.fact_obj]


def _root(group: np.ndarray, n: int, w: np.ndarray, q: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Per group, the x in (0, 1) where sum w [q / x - (1 - q) o / (1 - x o)] = 0.

    The derivative of MistakeLCA's expected log-likelihood in H (o = D) or in D (o = H). It
    falls as x grows, so bisection finds its root; a group whose assertions are all surely
    true has a positive derivative everywhere and goes to the upper bound.
    """
    lo = np.full(n, _LO)
    hi = np.full(n, _HI)
    for _ in range(_BISECTIONS):
        mid = (lo + hi) / 2.0
        x = mid[group]
        slope = q / x - (1.0 - q) * other / np.maximum(1.0 - x * other, 1e-12)
        grad = np.bincount(group, w * slope, minlength=n)
        up = grad > 0
        lo = np.where(up, mid, lo)
        hi = np.where(up, hi, mid)
    return (lo + hi) / 2.0
