"""What every truth-discovery method shares: observations in, a result out, and the index they are solved on.

No RDF lives here, so the same code runs on the kg corpus and on the public fusion benchmarks
(benchmarks/truthdiscovery.py), which is how we know it works.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

Similarity = Callable[[Hashable, Hashable, Hashable], float]

# Reliabilities are reported inside [EPS, 1 - EPS]: a trust of exactly 0 or 1 would make the
# log-odds used downstream infinite and claims a certainty no evidence can give.
EPS = 1e-6

# Keyword arguments any method accepts (and ignores if not its own), so that a caller can swap
# methods without changing the call; anything else is a typo and raises.
SHARED_KWARGS = frozenset(
    {
        "similarity",
        "prior",
        "groups",
        "copying",
        "facet",
        "kind",
        "default_prior",
        "prior_strength",
        "facet_strength",
        "n_false",
        "rho",
        "detect_copying",
        "min_overlap",
        "alpha",
        "c",
        "tol",
        "max_iter",
        "initial_trust",
        "gamma",
        "base_sim",
        "delta",
        "initial_accuracy",
        "mirror_agreement",
        "mirror_overlap",
    }
)


def check_kwargs(name: str, kw: Mapping[str, object]) -> None:
    unknown = set(kw) - SHARED_KWARGS
    if unknown:
        raise TypeError(f"{name}() got unexpected keyword argument(s): {sorted(unknown)}")


@dataclass(frozen=True)
class Observation:
    object: Hashable  # the data item (a book, a flight attribute, a claim group)
    source: Hashable  # who said it
    value: Hashable  # what they said (already normalised by the caller)


@dataclass
class Result:
    truths: dict[Hashable, Hashable]
    confidence: dict[Hashable, float]
    value_scores: dict[Hashable, dict[Hashable, float]]
    trust: dict[Hashable, float]
    iterations: int
    # Diagnostics beyond the common interface (detected dependence, per-facet trust).
    extra: dict = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# similarity helpers


def numeric_similarity(rel_tol: float = 0.05, abs_tol: float = 0.0) -> Similarity:
    """Similarity for numbers: 1 when equal, falling linearly to 0 at ``rel_tol`` apart.

    Estimates of the same quantity made independently rarely agree to the last digit; a
    linear kernel lets 3.1e25 and 3.0e25 support each other while 3e25 and 3e24 do not.
    """

    def sim(_obj: Hashable, a: Hashable, b: Hashable) -> float:
        try:
            x, y = float(a), float(b)  # type: ignore[arg-type]  # duck-typed: non-numbers are dissimilar
        except (TypeError, ValueError):
            return 0.0
        scale = max(abs(x), abs(y)) * rel_tol + abs_tol
        if scale <= 0:
            return 1.0 if x == y else 0.0
        return max(0.0, 1.0 - abs(x - y) / scale)

    return sim


def jaccard_similarity(_obj: Hashable, a: Hashable, b: Hashable) -> float:
    """Partial agreement of multi-valued claims (author lists as frozensets)."""
    if not isinstance(a, (set, frozenset)) or not isinstance(b, (set, frozenset)):
        return 1.0 if a == b else 0.0
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


# --------------------------------------------------------------------------------------------
# canonical order


def sort_key(x: object) -> tuple:
    """A total order over arbitrary hashables that does not depend on hash seeds or input order.

    ``repr`` of a frozenset follows hash order, which changes between processes, so sets are
    keyed by their sorted elements.
    """
    if isinstance(x, (frozenset, set)):
        return ("set", tuple(sorted(sort_key(e) for e in x)))
    if isinstance(x, tuple):
        return ("tuple", tuple(sort_key(e) for e in x))
    if isinstance(x, bool):
        return ("bool", int(x))
    if isinstance(x, (int, float)) and not (isinstance(x, float) and math.isnan(x)):
        return ("num", float(x), repr(x))
    if isinstance(x, str):
        return ("str", x)
    return (type(x).__name__, repr(x))


# --------------------------------------------------------------------------------------------
# shared index


class Problem:
    """Observations as integer arrays, in canonical order, shared by all methods.

    Facts are distinct (object, value) pairs, stored contiguously per object so that per-object
    reductions are segment operations. A source that gives k different values for one object
    gets weight 1/k on each, so it cannot outvote others by listing many values.
    """

    def __init__(
        self,
        observations: Iterable[Observation],
        similarity: Similarity | None = None,
    ) -> None:
        triples = {(ob.object, ob.source, ob.value) for ob in observations}
        vals_by_obj: dict[Hashable, set[Hashable]] = {}
        src_set = set()
        for o, src, v in triples:
            vals_by_obj.setdefault(o, set()).add(v)
            src_set.add(src)
        self.objects: list[Hashable] = sorted(vals_by_obj, key=sort_key)
        self.sources: list[Hashable] = sorted(src_set, key=sort_key)
        obj_ix = {o: i for i, o in enumerate(self.objects)}
        src_ix = {src: i for i, src in enumerate(self.sources)}

        self.fact_value: list[Hashable] = []
        fact_obj: list[int] = []
        fact_ix: dict[tuple[Hashable, Hashable], int] = {}
        starts = [0]
        for oi, o in enumerate(self.objects):
            vals = vals_by_obj[o]
            for v in sorted(vals, key=sort_key) if len(vals) > 1 else vals:
                fact_ix[(o, v)] = len(self.fact_value)
                self.fact_value.append(v)
                fact_obj.append(oi)
            starts.append(len(self.fact_value))
        self.fact_obj = np.asarray(fact_obj, dtype=np.int64)
        self.obj_start = np.asarray(starts, dtype=np.int64)
        self.n_obj = len(self.objects)
        self.n_src = len(self.sources)
        self.n_fact = len(self.fact_value)
        self.n_vals = np.diff(self.obj_start)

        rows = np.array(
            [(obj_ix[o], src_ix[src], fact_ix[(o, v)]) for o, src, v in triples],
            dtype=np.int64,
        ).reshape(-1, 3)
        order = np.lexsort((rows[:, 2], rows[:, 1], rows[:, 0]))
        rows = rows[order]
        self.obs_obj = rows[:, 0].copy()
        self.obs_src = rows[:, 1].copy()
        self.obs_fact = rows[:, 2].copy()
        self.n_obs = len(rows)
        # how many values each source gives for each object
        key = self.obs_obj * max(self.n_src, 1) + self.obs_src
        _, inv, counts = np.unique(key, return_inverse=True, return_counts=True)
        self.obs_w = 1.0 / counts[inv]
        self.src_weight = np.bincount(self.obs_src, self.obs_w, minlength=self.n_src)
        self.fact_support = np.bincount(self.obs_fact, self.obs_w, minlength=self.n_fact)

        self.has_sim = similarity is not None
        self.sim_a = np.zeros(0, dtype=np.int64)
        self.sim_b = np.zeros(0, dtype=np.int64)
        self.sim_w = np.zeros(0)
        if similarity is not None:
            self._build_similarity(similarity)
        self._pairs: tuple | None = None
        self._same: tuple | None = None

    def _build_similarity(self, similarity: Similarity) -> None:
        a_list: list[int] = []
        b_list: list[int] = []
        w_list: list[float] = []
        for oi in np.flatnonzero(self.n_vals > 1):
            lo, hi = int(self.obj_start[oi]), int(self.obj_start[oi + 1])
            obj = self.objects[oi]
            for a in range(lo, hi):
                va = self.fact_value[a]
                for b in range(lo, hi):
                    if a == b:
                        continue
                    s = float(similarity(obj, va, self.fact_value[b]))
                    if s > 0.0:
                        a_list.append(a)
                        b_list.append(b)
                        w_list.append(min(1.0, s))
        self.sim_a = np.asarray(a_list, dtype=np.int64)
        self.sim_b = np.asarray(b_list, dtype=np.int64)
        self.sim_w = np.asarray(w_list, dtype=float)

    # ---- segment helpers -------------------------------------------------------------------

    def obj_sum(self, x: np.ndarray) -> np.ndarray:
        return np.bincount(self.fact_obj, x, minlength=self.n_obj)

    def obj_max(self, x: np.ndarray) -> np.ndarray:
        out = np.full(self.n_obj, -np.inf)
        np.maximum.at(out, self.fact_obj, x)
        return out

    def similar_support(self, x: np.ndarray) -> np.ndarray:
        """sum over other values b of the same object of sim(a, b) * x[b], for each fact a."""
        if not len(self.sim_a):
            return np.zeros(self.n_fact)
        return np.bincount(self.sim_a, self.sim_w * x[self.sim_b], minlength=self.n_fact)

    def similar_mass(self, x: np.ndarray) -> np.ndarray:
        """sum over other values a of the same object of sim(a, b) * x[a], for each fact b."""
        if not len(self.sim_a):
            return np.zeros(self.n_fact)
        return np.bincount(self.sim_b, self.sim_w * x[self.sim_a], minlength=self.n_fact)

    def credit(self, p: np.ndarray) -> np.ndarray:
        """Expected correctness of claiming each fact: P(fact) + sum_a P(a) sim(a, fact)."""
        if not len(self.sim_a):
            return p
        extra = np.bincount(self.sim_b, self.sim_w * p[self.sim_a], minlength=self.n_fact)
        return np.minimum(1.0, p + extra)

    def argmax(self, score: np.ndarray) -> np.ndarray:
        """Best fact per object; ties go to the fact that sorts first (lowest index)."""
        idx = np.arange(self.n_fact)
        order = np.lexsort((idx, -score, self.fact_obj))
        return order[self.obj_start[:-1]]

    def source_mean(self, x: np.ndarray) -> np.ndarray:
        """Weighted mean of a per-fact quantity over each source's claims."""
        num = np.bincount(self.obs_src, self.obs_w * x[self.obs_fact], minlength=self.n_src)
        return num / np.maximum(self.src_weight, 1e-300)

    def pairs(self) -> tuple[np.ndarray, ...]:
        """All pairs of observations on the same object by different sources.

        Returned as (pair_id, obs_a, obs_b, pair_src_a, pair_src_b) with src_a < src_b.
        Built once and cached: the claims do not change between iterations, only the
        probabilities attached to them.
        """
        if self._pairs is not None:
            return self._pairs
        counts = np.diff(np.searchsorted(self.obs_obj, np.arange(self.n_obj + 1)))
        starts = np.searchsorted(self.obs_obj, np.arange(self.n_obj))
        oa_parts: list[np.ndarray] = []
        ob_parts: list[np.ndarray] = []
        for k in np.unique(counts):
            if k < 2:
                continue
            st = starts[counts == k]
            iu, ju = np.triu_indices(int(k), 1)
            oa_parts.append((st[:, None] + iu[None, :]).ravel())
            ob_parts.append((st[:, None] + ju[None, :]).ravel())
        if oa_parts:
            oa = np.concatenate(oa_parts)
            ob = np.concatenate(ob_parts)
        else:
            oa = ob = np.zeros(0, dtype=np.int64)
        keep = self.obs_src[oa] != self.obs_src[ob]
        oa, ob = oa[keep], ob[keep]
        sa, sb = self.obs_src[oa], self.obs_src[ob]
        swap = sa > sb
        oa, ob = np.where(swap, ob, oa), np.where(swap, oa, ob)
        sa, sb = self.obs_src[oa], self.obs_src[ob]
        key = sa * self.n_src + sb
        uniq, pid = np.unique(key, return_inverse=True)
        self._pairs = (pid, oa, ob, uniq // self.n_src, uniq % self.n_src)
        return self._pairs

    def same_value_pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The pairs of :meth:`pairs` whose two observations give the same value (cached)."""
        if self._same is None:
            pid, oa, ob, _, _ = self.pairs()
            same = self.obs_fact[oa] == self.obs_fact[ob]
            self._same = (pid[same], oa[same], ob[same])
        return self._same

    # ---- result ------------------------------------------------------------------------

    def result(
        self,
        score: np.ndarray,
        confidence: np.ndarray | None,
        trust: np.ndarray,
        iterations: int,
        extra: dict | None = None,
    ) -> Result:
        score = np.maximum(np.nan_to_num(score, nan=0.0), 0.0)
        totals = self.obj_sum(score)
        norm = np.where(
            totals[self.fact_obj] > 0,
            score / np.where(totals[self.fact_obj] > 0, totals[self.fact_obj], 1.0),
            1.0 / self.n_vals[self.fact_obj],
        )
        # ties within float noise go to the value that sorts first, not to rounding luck
        best = self.argmax(np.round(norm, 9))
        conf = norm if confidence is None else confidence
        truths: dict[Hashable, Hashable] = {}
        conf_d: dict[Hashable, float] = {}
        scores_d: dict[Hashable, dict[Hashable, float]] = {}
        fv = self.fact_value
        norm_l = norm.tolist()
        conf_l = np.clip(conf, 0.0, 1.0).tolist()
        starts = self.obj_start.tolist()
        for oi, obj in enumerate(self.objects):
            b = int(best[oi])
            truths[obj] = fv[b]
            conf_d[obj] = conf_l[b]
            scores_d[obj] = {fv[f]: norm_l[f] for f in range(starts[oi], starts[oi + 1])}
        trust_c = np.clip(np.nan_to_num(trust, nan=0.5), EPS, 1.0 - EPS).tolist()
        trust_d = dict(zip(self.sources, trust_c, strict=True))
        return Result(truths, conf_d, scores_d, trust_d, iterations, extra or {})


def softmax_domain(prob: Problem, logit: np.ndarray, unclaimed: np.ndarray) -> np.ndarray:
    """P(v) = exp(L_v) / (sum_claimed exp(L) + number of unclaimed values of the domain).

    Unclaimed values have vote count 0 (nobody said them), hence weight exp(0) each.
    """
    m = np.maximum(prob.obj_max(logit), 0.0)
    e = np.exp(logit - m[prob.fact_obj])
    denom = prob.obj_sum(e) + unclaimed * np.exp(-m)
    return e / denom[prob.fact_obj]
