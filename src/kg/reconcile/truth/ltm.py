"""LTM, the Latent Truth Model: Zhao, Rubinstein, Gemmell, Han, "A Bayesian approach to
discovering truth from conflicting sources for data integration", PVLDB 5(6) 2012.

Made for multi-valued answers (a book has several authors): the unit is a *fact* (object,
value), each with its own latent truth t_f, so several values of one object can be true at
once. Every source that speaks to an object makes a claim about each of the object's facts:
positive if it gives that value, negative if it does not. Source quality is two-sided:
sensitivity phi1_s = Pr(positive | t = 1) and false-positive rate phi0_s = Pr(positive | t = 0),
with Beta priors alpha1 = (alpha11, alpha10) and alpha0 = (alpha01, alpha00) as pseudo-counts
of (positive, negative) claims on true and false facts, and a Beta(beta1, beta0) prior on t.

The paper infers t by collapsed Gibbs sampling. Here the same model is fitted by its
expectation-maximisation counterpart, deterministic and vectorised: given Pr(t_f = 1), the
expected claim counts give each source's posterior-mean phi1, phi0 (the quantities the Gibbs
sampler's collapsed counts estimate), and given those, t_f's posterior log-odds is

    ln(beta1 / beta0) + sum over claims c on f of
        o_c ln(phi1 / phi0) + (1 - o_c) ln((1 - phi1) / (1 - phi0)).

Defaults are the paper's Book priors: alpha0 = (10, 1000), alpha1 = (50, 50), beta = (10, 10).

Output: when values are sets (author lists), the truth of an object is the set of its facts
with Pr(true) >= 0.5 (the paper's threshold); otherwise the fact with the highest Pr(true).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np

from kg.reconcile.truth.observations import Observation, Problem, Result, Similarity, check_kwargs

__all__ = ["ltm"]


def ltm(
    observations: Iterable[Observation] | Problem,
    similarity: Similarity | None = None,
    *,
    alpha0: tuple[float, float] = (10.0, 1000.0),
    alpha1: tuple[float, float] = (50.0, 50.0),
    beta: tuple[float, float] = (10.0, 10.0),
    tol: float = 1e-4,
    max_iter: int = 100,
    **kw: object,
) -> Result:
    check_kwargs("ltm", kw)
    if isinstance(observations, Problem):
        obs = [
            Observation(prob_obj, prob_src, observations.fact_value[int(f)])
            for prob_obj, prob_src, f in zip(
                (observations.objects[int(o)] for o in observations.obs_obj),
                (observations.sources[int(s)] for s in observations.obs_src),
                observations.obs_fact,
                strict=True,
            )
        ]
    else:
        obs = list(observations)
    multi = any(isinstance(o.value, (set, frozenset)) for o in obs)
    # facts: (object, element) for set values, (object, value) otherwise
    facts: list[Observation] = []
    for ob in obs:
        elems = ob.value if multi and isinstance(ob.value, (set, frozenset)) else (ob.value,)
        facts.extend(Observation(ob.object, ob.source, e) for e in elems)
    prob = Problem(facts)
    # claims: every source speaking to an object, on every fact of that object
    src_of_obj: list[set[int]] = [set() for _ in range(prob.n_obj)]
    for oi, si in zip(prob.obs_obj.tolist(), prob.obs_src.tolist(), strict=True):
        src_of_obj[oi].add(si)
    positive = set(zip(prob.obs_fact.tolist(), prob.obs_src.tolist(), strict=True))
    c_fact, c_src, c_pos = [], [], []
    for oi in range(prob.n_obj):
        srcs = sorted(src_of_obj[oi])
        for f in range(int(prob.obj_start[oi]), int(prob.obj_start[oi + 1])):
            for s in srcs:
                c_fact.append(f)
                c_src.append(s)
                c_pos.append((f, s) in positive)
    cf = np.asarray(c_fact, dtype=np.int64)
    cs = np.asarray(c_src, dtype=np.int64)
    o = np.asarray(c_pos, dtype=float)
    a01, a00 = alpha0
    a11, a10 = alpha1
    prior_lo = np.log(beta[0] / beta[1])
    # start from the share of the object's sources that claim each fact (a vote)
    n_src_obj = np.array([len(s) for s in src_of_obj], dtype=float)
    # (each listed value is a full claim: a list of two authors is two facts, not two halves)
    listed = np.bincount(prob.obs_fact, minlength=prob.n_fact).astype(float)
    pt = listed / np.maximum(n_src_obj[prob.fact_obj], 1.0)
    phi1 = phi0 = np.zeros(prob.n_src)
    it = 0
    while it < max_iter:
        it += 1
        t = pt[cf]
        tp = np.bincount(cs, t * o, minlength=prob.n_src)
        tn = np.bincount(cs, t * (1 - o), minlength=prob.n_src)
        fp = np.bincount(cs, (1 - t) * o, minlength=prob.n_src)
        fn = np.bincount(cs, (1 - t) * (1 - o), minlength=prob.n_src)
        phi1 = (tp + a11) / (tp + tn + a11 + a10)
        phi0 = (fp + a01) / (fp + fn + a01 + a00)
        w_pos = np.log(phi1 / phi0)
        w_neg = np.log((1 - phi1) / (1 - phi0))
        lo = prior_lo + np.bincount(cf, np.where(o > 0, w_pos[cs], w_neg[cs]), minlength=prob.n_fact)
        new = 1.0 / (1.0 + np.exp(-np.clip(lo, -700, 700)))
        delta = float(np.max(np.abs(new - pt))) if len(pt) else 0.0
        pt = new
        if delta < tol:
            break
    res = prob.result(pt, pt, phi1, it, {"sensitivity": phi1, "false_positive_rate": phi0})
    res.extra = {
        "sensitivity": dict(zip(prob.sources, phi1.tolist(), strict=True)),
        "false_positive_rate": dict(zip(prob.sources, phi0.tolist(), strict=True)),
        "fact_probability": {
            (prob.objects[int(prob.fact_obj[f])], prob.fact_value[f]): float(pt[f])
            for f in range(prob.n_fact)
        },
    }
    if multi:
        truths: dict[Hashable, Hashable] = {}
        conf: dict[Hashable, float] = {}
        for oi, obj in enumerate(prob.objects):
            lo_, hi_ = int(prob.obj_start[oi]), int(prob.obj_start[oi + 1])
            chosen = frozenset(prob.fact_value[f] for f in range(lo_, hi_) if pt[f] >= 0.5)
            truths[obj] = chosen
            conf[obj] = float(np.prod([pt[f] if pt[f] >= 0.5 else 1 - pt[f] for f in range(lo_, hi_)]))
        res.truths, res.confidence = truths, conf
    return res
