"""Truth discovery: pick the value a careful analyst would pick when sources conflict.

The reconciler hands this module plain observations ``(object, source, value)`` and gets back,
per object, a chosen value with a confidence, and per source an estimated reliability. No RDF
lives here, so the same code runs on the kg corpus and on the public fusion benchmarks
(``benchmarks/truthdiscovery.py``), which is how we know it works.

Four methods share one indexed representation (:class:`_Problem`) so that they see exactly the
same input and can be compared side by side:

``vote``
    Majority voting: the baseline every paper reports.

``truthfinder``
    Yin, Han, Yu, "Truth discovery with multiple conflicting information providers on the Web",
    KDD 2007 / TKDE 20(6) 2008. Trustworthiness t(w) and fact confidence s(f) reinforce each
    other; tau = -ln(1 - t), sigma*(f) = sigma(f) + rho * sum sigma(f') imp(f' -> f),
    imp = sim - base_sim, s = 1 / (1 + exp(-gamma sigma*)). Defaults are the paper's
    (t0 = 0.9, rho = 0.5, gamma = 0.3, base_sim = 0.5, stop when 1 - cos < 1e-5).

``accu``
    Dong, Berti-Equille, Srivastava, "Integrating conflicting data: the role of source
    dependence", PVLDB 2(1) 2009. Vote count of a source is ln(n A / (1 - A)) with n false
    values in the domain; value probability is a softmax over the whole domain; accuracy is the
    mean probability of the source's values. ``similarity`` gives AccuSim; ``copying=True``
    gives AccuCopy: a Bayesian test per pair of sources (sharing *false* values is the tell-tale
    sign of copying) and votes discounted by I(S) = prod (1 - c Pr(dependence)) over the sources
    considered before S. Defaults are the paper's (A0 = 0.8, n = 100, alpha = 0.2, c = 0.8).

``kg_trust`` (kg's own method)
    An accuracy-based Bayesian vote (Accu's model) changed where the kg corpus needs it: a
    claim group holds 2-4 claims from 3-10 sources whose kind (technical report, newsletter, AI
    synthesis) says more than their track record can, and whose relays are known.

    * *Priors with shrinkage.* A source's accuracy is the posterior mean of a Beta prior (mean
      ``prior[source]``, strength ``prior_strength`` pseudo-claims) updated with the credit its
      claims earn. Three claims leave it near its prior; hundreds decide it. It can never reach
      0 or 1 (smoothed accuracies as in LTM, Zhao et al. PVLDB 2012; Beta priors as in
      Pasternack & Roth's LCA, WWW 2013).
    * *No self-confirmation.* The weight of a claim comes from its source's record on its other
      claims (leave-one-out), and the credit a claim adds to that record is the probability of
      its value with the source's own vote replaced by a prior-strength vote. EM-style methods
      (Accu, Dawid & Skene) let a prolific source vote its own claims right and drift to trust
      1; here a source is judged by whether the others bear it out. Claims nobody else speaks
      to do not enter the record at all.
    * *Calibrated probabilities.* As in Accu, the softmax includes the domain's unclaimed
      values (``n_false`` of them), so a lone claim from a source of accuracy A gets
      probability A, not 1: ``confidence`` means what it says on a 1-claim group.
    * *Dependence.* Sources known to relay the same origin (``groups``) count as their most
      reliable member, and do not corroborate one another in the trust estimate. Unknown
      copying can be looked for (``detect_copying``): Dong et al.'s pairwise Bayesian test,
      except that the chance of two sources making the same mistake by accident is the
      mistake's popularity among the other sources (PopAccu's idea, Dong, Saha, Srivastava
      PVLDB 2013) rather than 1/n; it starts from the fixed point reached without it (from a
      first vote, independent sources that agree on the value a copied block outvoted look like
      copiers themselves); votes are discounted Dong's way (the more reliable source of a value
      keeps its vote, each later one is multiplied by 1 - c Pr(dependent)); and a copy does not
      count as evidence that its original is right. Updates are then damped, the test being a
      step function.
    * *Mirrors.* Sources that agree on nearly every contested object they share (site clones,
      shared feeds) are found by counting (``mirror_agreement``) and count once where they
      agree; on by default.
    * *Facets.* With ``facet(object)`` (an attribute, a property) trust is kept per
      (source, facet), shrunk towards the source's overall trust: a site can be exact on
      scheduled times and systematically off on actual ones (AccuSimAttr in Li et al., "Truth
      finding on the deep web", PVLDB 6(2) 2012).
    * *Similarity and partial credit.* Near-equal values support each other (AccuSim's
      rho * sim term), and a claim earns sum_v P(v) sim(v, claim), so a store listing two of
      three authors is partly right rather than simply wrong (TruthFinder's book experiments
      give such partial credit when scoring; here it feeds the trust estimate).

The ``similarity`` callback is ``similarity(object, value, other) -> [0, 1]``: how much a claim of
``other`` also supports ``value``. It may be asymmetric (in a place hierarchy a claim of
"USA" is consistent with "Minneapolis" but the reverse should not make the vaguer answer win);
:func:`numeric_similarity` and :func:`jaccard_similarity` cover numbers and sets.

Every method is deterministic and independent of the input order: objects, sources and values
are put in a canonical order first, and ties go to the value that sorts first.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "Observation",
    "Result",
    "Similarity",
    "accu",
    "jaccard_similarity",
    "kg_trust",
    "numeric_similarity",
    "truthfinder",
    "vote",
]

Similarity = Callable[[Hashable, Hashable, Hashable], float]

# Reliabilities are reported inside [_EPS, 1 - _EPS]: a trust of exactly 0 or 1 would make the
# log-odds used downstream infinite and claims a certainty no evidence can give.
_EPS = 1e-6

# Keyword arguments any method accepts (and ignores if not its own), so that a caller can swap
# methods without changing the call; anything else is a typo and raises.
_SHARED_KWARGS = frozenset(
    {
        "similarity",
        "prior",
        "groups",
        "copying",
        "facet",
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


def _check_kwargs(name: str, kw: Mapping[str, object]) -> None:
    unknown = set(kw) - _SHARED_KWARGS
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
            x, y = float(a), float(b)  # type: ignore[arg-type]
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


def _sort_key(x: object) -> tuple:
    """A total order over arbitrary hashables that does not depend on hash seeds or input order.

    ``repr`` of a frozenset follows hash order, which changes between processes, so sets are
    keyed by their sorted elements.
    """
    if isinstance(x, (frozenset, set)):
        return ("set", tuple(sorted(_sort_key(e) for e in x)))
    if isinstance(x, tuple):
        return ("tuple", tuple(_sort_key(e) for e in x))
    if isinstance(x, bool):
        return ("bool", int(x))
    if isinstance(x, (int, float)) and not (isinstance(x, float) and math.isnan(x)):
        return ("num", float(x), repr(x))
    if isinstance(x, str):
        return ("str", x)
    return (type(x).__name__, repr(x))


# --------------------------------------------------------------------------------------------
# shared index


class _Problem:
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
        self.objects: list[Hashable] = sorted(vals_by_obj, key=_sort_key)
        self.sources: list[Hashable] = sorted(src_set, key=_sort_key)
        obj_ix = {o: i for i, o in enumerate(self.objects)}
        src_ix = {src: i for i, src in enumerate(self.sources)}

        self.fact_value: list[Hashable] = []
        fact_obj: list[int] = []
        fact_ix: dict[tuple[Hashable, Hashable], int] = {}
        starts = [0]
        for oi, o in enumerate(self.objects):
            vals = vals_by_obj[o]
            for v in sorted(vals, key=_sort_key) if len(vals) > 1 else vals:
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
        trust_c = np.clip(np.nan_to_num(trust, nan=0.5), _EPS, 1.0 - _EPS).tolist()
        trust_d = dict(zip(self.sources, trust_c, strict=True))
        return Result(truths, conf_d, scores_d, trust_d, iterations, extra or {})


def _softmax_domain(prob: _Problem, logit: np.ndarray, unclaimed: np.ndarray) -> np.ndarray:
    """P(v) = exp(L_v) / (sum_claimed exp(L) + number of unclaimed values of the domain).

    Unclaimed values have vote count 0 (nobody said them), hence weight exp(0) each.
    """
    m = np.maximum(prob.obj_max(logit), 0.0)
    e = np.exp(logit - m[prob.fact_obj])
    denom = prob.obj_sum(e) + unclaimed * np.exp(-m)
    return e / denom[prob.fact_obj]


# --------------------------------------------------------------------------------------------
# majority voting


def vote(observations: Iterable[Observation], **kw: object) -> Result:
    """Each source has one vote per object; trust is the share of a source's votes that won.

    Accepts and ignores the other methods' keyword arguments so that callers can swap
    methods without changing the call.
    """
    _check_kwargs("vote", kw)
    prob = observations if isinstance(observations, _Problem) else _Problem(observations)
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
    _check_kwargs("truthfinder", _ignored)
    prob = (
        observations if isinstance(observations, _Problem) else _Problem(observations, similarity)
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


def _dependence(
    prob: _Problem,
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


def _same_value_pairs(prob: _Problem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pid, oa, ob, _, _ = prob.pairs()
    same = prob.obs_fact[oa] == prob.obs_fact[ob]
    return pid[same], oa[same], ob[same]


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
    _check_kwargs("accu", _ignored)
    prob = (
        observations if isinstance(observations, _Problem) else _Problem(observations, similarity)
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
            dep, _, _ = _dependence(prob, p, acc, n_false, alpha, c)
            pid, oa, ob = _same_value_pairs(prob)
            sa, sb = prob.obs_src[oa], prob.obs_src[ob]
            # the later one in the order (lower accuracy, then higher index) is discounted
            a_first = (acc[sa] > acc[sb]) | ((acc[sa] == acc[sb]) & (sa < sb))
            later = np.where(a_first, ob, oa)
            factor = np.log(np.clip(1.0 - c * dep[pid], 1e-12, None))
            disc = np.exp(np.bincount(later, factor, minlength=prob.n_obs))
        votes = prob.obs_w * disc * w_src[prob.obs_src]
        cnt = np.bincount(prob.obs_fact, votes, minlength=prob.n_fact)
        if prob.has_sim:
            cnt = cnt + rho * prob.similar_support(cnt)
        p = _softmax_domain(prob, cnt, unclaimed)
        new_acc = prob.source_mean(prob.credit(p) if prob.has_sim else p)
        delta = float(np.max(np.abs(new_acc - acc))) if prob.n_src else 0.0
        acc = new_acc
        if delta < tol and (not copying or it > 2):
            break
    extra = {"dependence": _pair_dict(prob, dep)} if copying else {}
    return prob.result(p, p, acc, it, extra)


def _pair_dict(prob: _Problem, dep: np.ndarray, threshold: float = 0.5) -> dict:
    if not len(dep):
        return {}
    _, _, _, psa, psb = prob.pairs()
    hit = np.flatnonzero(dep >= threshold)
    return {(prob.sources[int(psa[i])], prob.sources[int(psb[i])]): float(dep[i]) for i in hit}


# --------------------------------------------------------------------------------------------
# kg_trust


def kg_trust(
    observations: Iterable[Observation],
    prior: Mapping[Hashable, float] | None = None,
    similarity: Similarity | None = None,
    groups: Mapping[Hashable, Hashable] | None = None,
    *,
    facet: Callable[[Hashable], Hashable] | None = None,
    default_prior: float = 0.8,
    prior_strength: float = 10.0,
    facet_strength: float = 10.0,
    n_false: float = 10.0,
    rho: float = 0.5,
    detect_copying: bool = False,
    mirror_agreement: float | None = 0.98,
    mirror_overlap: float = 20.0,
    min_overlap: float = 5.0,
    alpha: float = 0.2,
    c: float = 0.8,
    tol: float = 1e-4,
    max_iter: int = 100,
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
    ``n_false``
        Plausible false values per object: a claim from a source of accuracy A adds
        ln(n_false A / (1 - A)) to its value, so a lone claim gets probability A.
    ``groups``
        Known dependence: sources relaying the same origin count as their most reliable member.
    ``mirror_agreement`` / ``mirror_overlap``
        Unknown feeds of one another: two sources agreeing on at least ``mirror_agreement`` of
        at least ``mirror_overlap`` contested objects they share count, where they agree, as
        their more reliable member (:func:`_mirrors`). ``None`` turns it off. On by default
        (.98 of 20, chosen on Flight 2011-12-01 only): independent sources disagree wherever
        one errs, so it never fires on them; kg's synthetic accuracy is unchanged by it.
    ``detect_copying`` / ``min_overlap`` / ``alpha`` / ``c``
        Look for unknown copying between sources that share at least ``min_overlap`` objects
        (prior ``alpha``, copy rate ``c``: Dong et al.'s values). Off by default: on the public
        benchmarks it helps where sites clone one another's feeds (Flight) but hurts where many
        sources copy the same correct origin (Wikipedia editors pasting census figures), whose
        corroboration it then discounts; in kg, relays are known and passed as ``groups``.
    """
    _check_kwargs("kg_trust", _ignored)
    prob = (
        observations if isinstance(observations, _Problem) else _Problem(observations, similarity)
    )
    prior = prior or {}
    pi = np.array([float(prior.get(s, default_prior)) for s in prob.sources], dtype=float)
    pi = np.clip(pi, 0.01, 0.99)
    m = float(prior_strength)
    fs = float(facet_strength)
    n = max(float(n_false), 1.0)
    group_of = _group_array(prob, groups)
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

    unclaimed = np.maximum(n + 1.0 - prob.n_vals, 0.0)
    lam0 = np.maximum(np.log(n * pi[s_idx] / (1.0 - pi[s_idx])), 0.0)
    credit = pi[s_idx].copy()  # before any evidence a claim is as good as its source's prior
    prev_credit = credit
    acc = pi.copy()
    a_full = pi[s_idx]
    p = np.zeros(prob.n_fact)
    mirror = (
        _mirrors(prob, mirror_agreement, mirror_overlap) if mirror_agreement is not None else None
    )
    if mirror is not None and not mirror.any():
        mirror = None
    disc, linked = _kg_discount(prob, mirror, 1.0, group_of, a_full)
    dep = np.zeros(0)
    # copy detection starts from the fixed point reached without it (Accu first, then the copy
    # test): judged from a first vote, sources that agree on a value the majority got wrong
    # look like copiers, and once discounted they never recover
    copying_on = False
    started = 0
    it = 0
    for it in range(1, max_iter + 1):
        if copying_on:
            dep_new = _dependence_popular(prob, p, a_full, n, alpha, c, min_overlap)
            dep = dep_new if it == started else 0.5 * (dep + dep_new)  # damped, see below
            if mirror is None:
                disc, linked = _kg_discount(prob, dep, c, group_of, a_full)
            else:
                disc, linked = _kg_discount(prob, np.maximum(c * dep, mirror), 1.0, group_of, a_full)
        elif mirror is not None:
            # mirrors keep one vote per value: the more reliable of them, as trust moves
            disc, linked = _kg_discount(prob, mirror, 1.0, group_of, a_full)
        # trust of each claim's source from its record on its *other* claims (leave-one-out),
        # per facet if asked, shrunk towards the prior
        own = tw * credit
        tot = np.bincount(s_idx, own, minlength=prob.n_src)
        a_src = (m * pi[s_idx] + tot[s_idx]) / (m + s_tw[s_idx])
        a_obs = (m * pi[s_idx] + tot[s_idx] - own) / (m + s_tw[s_idx] - tw)
        if cell is not None:
            tot_c = np.bincount(cell, own, minlength=len(c_tw))
            a_full = (fs * a_src + tot_c[cell]) / (fs + c_tw[cell])
            a_obs = (fs * a_obs + tot_c[cell] - own) / (fs + c_tw[cell] - tw)
        else:
            a_full = a_src
        a_obs = np.clip(a_obs, 1e-4, 1 - 1e-4)
        # a claim never counts against its own value, however poor its source
        vote_obs = w * disc * np.maximum(np.log(n * a_obs / (1.0 - a_obs)), 0.0)
        cnt = np.bincount(f_idx, vote_obs, minlength=prob.n_fact)
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
        if linked.any():
            _, sa, sb = _same_value_pairs(prob)
            echo = np.bincount(sa, linked * vote_obs[sb], minlength=prob.n_obs) + np.bincount(
                sb, linked * vote_obs[sa], minlength=prob.n_obs
            )
        else:
            echo = 0.0
        e0 = np.exp(cnt[f_idx] - vote_obs - echo + w * disc * lam0 - top[o_idx])
        z0 = z[o_idx] - e[f_idx] + e0
        num = e0 + (prob.similar_mass(e)[f_idx] if prob.has_sim else 0.0)
        credit = np.minimum(num / np.maximum(z0, 1e-300), 1.0)
        if copying_on and it > started:
            # damped: copy detection re-orders sources each round, and undamped updates can
            # settle into a two-cycle instead of a fixed point
            credit = 0.5 * (credit + prev_credit)
        prev_credit = credit
        got = np.bincount(s_idx, tw * credit, minlength=prob.n_src)
        new_acc = (m * pi + got) / (m + s_tw)
        delta = float(np.max(np.abs(new_acc - acc))) if prob.n_src else 0.0
        acc = new_acc
        settled = it > 2 and delta < tol
        if copying_on or not detect_copying:
            if settled:
                break
        elif settled or it >= max_iter // 4:
            copying_on, started = True, it + 1
    extra: dict = {}
    if detect_copying:
        extra["dependence"] = _pair_dict(prob, dep)
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


def _mirrors(prob: _Problem, agreement: float, overlap: float) -> np.ndarray:
    """Per pair of sources, 1.0 if one mirrors the other, else 0.0 (aligned with ``pairs()``).

    Two independent sources can both be right, so agreeing where everyone agrees proves
    nothing; on *contested* objects (more than one value claimed) independent sources of
    accuracy A and B agree at most about AB + (1-A)(1-B) of the time, well below 0.9 for any
    real source. Sources that agree on at least ``agreement`` of at least ``overlap`` contested
    objects they share are feeds of one another (Dong et al.'s copy signature, decided by
    counting rather than by a prior over accuracies, so it cannot flag independent sources
    that happen to share the truth: they disagree on the objects where either errs).
    """
    pid, oa, ob, psa, _ = prob.pairs()
    if not len(psa):
        return np.zeros(0)
    contested = prob.n_vals[prob.obs_obj[oa]] > 1
    ww = prob.obs_w[oa] * prob.obs_w[ob] * contested
    same = prob.obs_fact[oa] == prob.obs_fact[ob]
    tot = np.bincount(pid, ww, minlength=len(psa))
    agree = np.bincount(pid, ww * same, minlength=len(psa))
    ok = (tot >= overlap) & (agree >= agreement * np.maximum(tot, 1e-12))
    return ok.astype(float)


def _dependence_popular(
    prob: _Problem,
    p: np.ndarray,
    a_obs: np.ndarray,
    n_false: float,
    alpha: float,
    c: float,
    min_overlap: float = 0.0,
) -> np.ndarray:
    """Pr(two sources are dependent), judged claim by claim with popularity-aware mistakes.

    Dong et al.'s test (:func:`_dependence`) assumes a wrong source picks one of n false values
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


def _group_array(prob: _Problem, groups: Mapping[Hashable, Hashable] | None) -> np.ndarray | None:
    if not groups:
        return None
    gid: dict[Hashable, int] = {}
    garr = np.full(prob.n_src, -1, dtype=np.int64)
    for i, s in enumerate(prob.sources):
        g = groups.get(s)
        if g is not None:
            garr[i] = gid.setdefault(g, len(gid))
    return garr if (garr >= 0).any() else None


def _kg_discount(
    prob: _Problem,
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
    pid, oa, ob = _same_value_pairs(prob)
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
