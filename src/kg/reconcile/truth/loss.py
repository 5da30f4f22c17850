"""What CRH and CATD share: mixed categorical / continuous truths from source weights.

An object is *continuous* when every value claimed for it is a number (bools excepted); its
truth is the weighted median of the claims (so always a claimed value, and robust to one wild
figure) and a claim's loss is its absolute distance from the truth over the standard deviation
of the object's claims (CRH's normalised absolute deviation). Otherwise the object is
categorical: the truth is the weighted vote, the loss 0 or 1.
"""

from __future__ import annotations

import math
from typing import TypeGuard

import numpy as np

from kg.reconcile.truth.observations import Problem


def _is_number(v: object) -> TypeGuard[int | float]:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(float(v))


class Mixed:
    """Per-problem precomputation for weighted truths and losses."""

    def __init__(self, prob: Problem) -> None:
        self.prob = prob
        num = np.array([_is_number(v) for v in prob.fact_value], dtype=bool)
        all_num = prob.obj_sum(num.astype(float)) == prob.n_vals
        self.cont_obj = all_num & (prob.n_vals > 1)
        self.cont_fact = self.cont_obj[prob.fact_obj]
        x = np.array([float(v) if _is_number(v) else 0.0 for v in prob.fact_value])
        self.x = x
        # spread of the claims on each continuous object (each claim counted once)
        w = prob.obs_w
        xo = x[prob.obs_fact]
        n = np.bincount(prob.obs_obj, w, minlength=prob.n_obj)
        m1 = np.bincount(prob.obs_obj, w * xo, minlength=prob.n_obj) / np.maximum(n, 1e-12)
        m2 = np.bincount(prob.obs_obj, w * xo * xo, minlength=prob.n_obj) / np.maximum(n, 1e-12)
        std = np.sqrt(np.maximum(m2 - m1 * m1, 0.0))
        self.scale = np.where(std > 0, std, 1.0)
        # continuous facts in (object, value) order, for the weighted median
        idx = np.flatnonzero(self.cont_fact)
        self.med_order = idx[np.lexsort((x[idx], prob.fact_obj[idx]))]

    def truths(self, w_src: np.ndarray) -> np.ndarray:
        """Index of the chosen fact per object under source weights ``w_src``."""
        prob = self.prob
        mass = np.bincount(prob.obs_fact, prob.obs_w * w_src[prob.obs_src], minlength=prob.n_fact)
        best = prob.argmax(np.round(mass, 12))
        if len(self.med_order):
            f = self.med_order
            obj = prob.fact_obj[f]
            cum = np.cumsum(mass[f])
            first = np.r_[True, obj[1:] != obj[:-1]]
            start_cum = np.where(first, cum - mass[f], 0.0)
            np.maximum.accumulate(start_cum, out=start_cum)
            # cumulative mass within the object, and the object's total
            within = cum - start_cum
            total = prob.obj_sum(mass)[obj]
            hit = within >= 0.5 * total - 1e-12
            # first fact of each object reaching half the mass
            cand = np.flatnonzero(hit)
            o_c = obj[cand]
            keep = np.r_[True, o_c[1:] != o_c[:-1]]
            best[o_c[keep]] = f[cand[keep]]
        return best

    def losses(self, best: np.ndarray) -> np.ndarray:
        """Loss of each observation against the chosen facts ``best`` (one per object)."""
        prob = self.prob
        chosen = best[prob.obs_obj]
        cat = (prob.obs_fact != chosen).astype(float)
        cont = np.abs(self.x[prob.obs_fact] - self.x[chosen]) / self.scale[prob.obs_obj]
        return np.where(self.cont_obj[prob.obs_obj], cont, cat) * prob.obs_w


def chi2_lower(p: float, k: float) -> float:
    """The p-quantile of the chi-squared distribution with k degrees of freedom (bisection on
    the regularised lower incomplete gamma function, series form)."""

    def cdf(x: float) -> float:
        a, z = k / 2.0, x / 2.0
        if z <= 0:
            return 0.0
        if z > a + 40 * math.sqrt(a) + 40:
            return 1.0
        term = total = 1.0 / a
        n = 0
        while abs(term) > 1e-14 * abs(total) and n < 100000:
            n += 1
            term *= z / (a + n)
            total += term
        return min(1.0, math.exp(-z + a * math.log(z) - math.lgamma(a)) * total)

    lo, hi = 0.0, max(1.0, k + 20 * math.sqrt(k) + 20)
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if cdf(mid) < p:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)
