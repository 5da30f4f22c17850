"""The parts of a source's record kg_trust (kg.reconcile.truth.method) estimates: a prior pooled
from similar sources, ability and ease per kind of fact (Rasch), two-sided yes/no accuracy
(Dawid and Skene), and how many false values there are to choose from.

Split from kg.reconcile.truth.method so the iteration reads apart from each model it uses;
that module's docstring says why each exists.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from kg.reconcile.truth.observations import Problem


def pooled_prior(
    pi0: np.ndarray, unlisted: np.ndarray, checked: np.ndarray, got: np.ndarray, m: float
) -> np.ndarray:
    """Each small source's prior from the other sources of its class (a hierarchical prior).

    ``checked`` is each source's weight of checked claims (claims another source speaks to),
    ``got`` their summed credits. A source not in kg's ``prior`` (``unlisted``) with fewer
    checked claims than ``m`` belongs to the class of sources with as many to within a power
    of two (1, 2-3, 4-7, ...); its prior is the pooled accuracy of the *other* members of its
    class, (m * default + their credits) / (m + their claims): the population of sources like
    it, estimated from the data without any gold, and never from the source's own claims (so
    it cannot confirm itself; a class of one keeps the default). Everyone else keeps ``pi0``.
    Why: most sources of a long-tail dataset (Wikipedia's one-edit editors and IP addresses,
    a heritage page, a bookstore with one listing) make one or two claims, and a constant
    prior of 0.8 gives each of them the vote of a good source whatever sources like it do.
    Example: three one-claim sources with credits 1, 0 and 0, m = 10, default 0.8: the first
    gets (8 + 0) / (10 + 2) = 0.667, the others (8 + 1) / 12 = 0.75.
    """
    small = unlisted & (checked < m)
    cls = np.where(small, np.floor(np.log2(np.maximum(checked, 1.0))) + 1, 0).astype(np.int64)
    k = int(cls.max()) + 1
    num = np.bincount(cls, got * small, minlength=k)
    den = np.bincount(cls, checked * small, minlength=k)
    mu = (m * pi0 + num[cls] - got * small) / (m + den[cls] - checked * small)
    return np.clip(np.where(small, mu, pi0), 0.01, 0.99)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def ability_ease(
    s_idx: np.ndarray,
    kinds: np.ndarray,
    tw: np.ndarray,
    credit: np.ndarray,
    theta: np.ndarray,
    beta: np.ndarray,
    pi: np.ndarray,
    m: float,
    steps: int = 3,
    ease: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A source's accuracy on a kind of fact as its ability plus the kind's ease, in log-odds.

    Returns (ability per source, ease per kind, accuracy per claim, the same leave-one-out).
    Plain accuracy mixes how good a source is with how hard the questions it answers are: a
    site that reports visibility (nearly always "10", every site agrees) looks better than one
    that reports the heat index (scattered figures), whatever their care. Rasch's model
    (logit Pr(right) = ability + ease; Whitehill et al.'s GLAD for crowd labels) separates
    the two, so sources are compared on what they answer and a source's record on one kind
    still speaks for it on another. Fitted by ``steps`` Newton steps per round, warm-started
    from the previous round, on the claims' credits (expected correctness, weights ``tw``):
    ability is shrunk towards the source's prior with ``m`` pseudo-claims at ease 0 (as
    accuracy is), ease towards 0 with one pseudo-claim so that a kind nobody tests stays
    neutral; or the ease is given (``ease``, read from agreement) and only ability is fitted.
    The leave-one-out ability drops the claim's own term (one Newton step), so a
    claim never raises the weight of its own vote.
    """
    n_src, n_kind = len(theta), len(beta)
    for _ in range(steps):
        sg = sigmoid(theta[s_idx] + beta[kinds])
        s0 = sigmoid(theta)
        g = np.bincount(s_idx, tw * (credit - sg), minlength=n_src) + m * (pi - s0)
        h = np.bincount(s_idx, tw * sg * (1.0 - sg), minlength=n_src) + m * s0 * (1.0 - s0)
        theta = theta + np.clip(g / h, -2.0, 2.0)  # no leap when a kind is all but certain
        sg = sigmoid(theta[s_idx] + beta[kinds])
        if ease is None:
            gk = np.bincount(kinds, tw * (credit - sg), minlength=n_kind) - beta
            hk = np.bincount(kinds, tw * sg * (1.0 - sg), minlength=n_kind) + 1.0
            beta = beta + gk / hk
        else:
            beta = ease
    sg = sigmoid(theta[s_idx] + beta[kinds])
    s0 = sigmoid(theta)
    own_h = tw * sg * (1.0 - sg)
    h = np.bincount(s_idx, own_h, minlength=n_src) + m * s0 * (1.0 - s0)
    loo = theta[s_idx] - tw * (credit - sg) / np.maximum(h[s_idx] - own_h, 1e-12)
    return theta, beta, sg, sigmoid(loo + beta[kinds])


class KindPairs(NamedTuple):
    """Pairs of claims by two different sources on one object, summed per (pair of sources,
    kind): how many there are (weight) and, per kind, how many agree."""

    weight: np.ndarray  # per (source pair, kind)
    kind: np.ndarray
    src_a: np.ndarray
    src_b: np.ndarray
    agree: np.ndarray  # per kind
    total: np.ndarray  # per kind


def kind_agreement(
    prob: Problem, kinds: np.ndarray, n_kind: int, use: np.ndarray | None = None
) -> KindPairs:
    """The pairs of claims of each kind, and how many agree (:class:`KindPairs`).

    A source giving k values for an object counts 1/k in each of its pairs (its weight). Only
    objects in ``use`` count. No value is taken as right: this is what the claims say about
    how hard a kind is before anyone decides what is true.
    """
    pid, oa, ob, psa, psb = prob.pairs()
    ww = prob.obs_w[oa] * prob.obs_w[ob]
    if use is not None:
        ww = ww * use[prob.obs_obj[oa]]
    same = prob.obs_fact[oa] == prob.obs_fact[ob]
    k = kinds[oa]
    uniq, inv = np.unique(pid * n_kind + k, return_inverse=True)
    return KindPairs(np.bincount(inv, ww, minlength=len(uniq)), uniq % n_kind,
                     psa[uniq // n_kind], psb[uniq // n_kind],
                     np.bincount(k, ww * same, minlength=n_kind), np.bincount(k, ww, minlength=n_kind))


def agreement_ease(
    pairs: KindPairs, n: float, theta: np.ndarray, weight: np.ndarray, m: float
) -> np.ndarray:
    """Each kind's ease, in log-odds, read from how often two sources agree on it.

    Under Accu's model two sources of accuracy a and b on a kind, with n equally likely false
    values, agree with probability ab + (1 - a)(1 - b) / n (both right, or both wrong the same
    way). With a = sigma(ability + ease), the ease of a kind is the one at which the expected
    agreement of the pairs that answer it, given their sources' abilities, equals the observed
    one (found by bisection on the branch above chance; agreement at or below chance gives the
    ease of chance). It is then centred (mean 0 over the kinds, weighted by ``weight``, each
    kind's tested claims): the level belongs to the abilities, the differences between kinds
    to the ease. Each kind's agreement is shrunk towards the pooled agreement with ``m``
    pseudo-pairs (the prior's strength), and a kind without pairs is neutral (ease 0).

    Why not fit the ease to the claims' credits, as the abilities are: credits follow the
    current beliefs, and where a few weak sources answer a kind alone (Weather's RealFeel)
    their chance collisions are believed, the kind looks easy and the collisions then outvote
    a careful source. Agreement needs no beliefs: RealFeel's pairs agree 11 % of the time
    against temperature's 32 % and visibility's 73 %.
    Example: sources alike (abilities 0), n = 4, a kind whose pairs agree 80 % of the time
    has a with a**2 + (1 - a)**2 / 4 = .8, a = .8928, logit 2.120; one agreeing 10 % is below
    chance (1 / (n + 1) = .2), logit(.2) = -1.386; centred, +1.753 and -1.753.
    """
    nk = len(pairs.total)
    total = float(np.sum(pairs.total))
    if total <= 0.0:
        return np.zeros(nk)
    has = pairs.total > 0
    pooled = float(np.sum(pairs.agree)) / total
    target = np.where(has, (pairs.agree + m * pooled) / np.maximum(pairs.total + m, 1e-300), 0.0)
    pk, pw = pairs.kind, pairs.weight
    ta, tb = theta[pairs.src_a], theta[pairs.src_b]

    def rate(b: np.ndarray) -> np.ndarray:
        a1, a2 = sigmoid(ta + b[pk]), sigmoid(tb + b[pk])
        agree = np.bincount(pk, pw * (a1 * a2 + (1.0 - a1) * (1.0 - a2) / n), minlength=nk)
        return agree / np.maximum(pairs.total, 1e-300)

    # the expected agreement falls to chance and rises again: find its minimum (on a grid,
    # then by ternary search), and bisect above it
    grid = np.linspace(-8.0, 8.0, 33)
    g0 = grid[np.argmin(np.array([rate(np.full(nk, g)) for g in grid]), axis=0)]
    a, b = g0 - 0.5, g0 + 0.5
    for _ in range(30):
        m1, m2 = a + (b - a) / 3.0, b - (b - a) / 3.0
        left = rate(m1) < rate(m2)
        a, b = np.where(left, a, m1), np.where(left, m2, b)
    lo = 0.5 * (a + b)
    hi = np.full(nk, 8.0)
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        up = rate(mid) < target
        lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
    ease = 0.5 * (lo + hi)
    w = weight * has
    centre = float(np.sum(w * ease) / np.sum(w)) if np.sum(w) > 0 else float(np.mean(ease[has]))
    return np.where(has, ease - centre, 0.0)


def two_sided(
    prob: Problem,
    p_yes: np.ndarray,
    says_yes: np.ndarray,
    says_no: np.ndarray,
    w: np.ndarray,
    pi: np.ndarray,
    m: float,
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Weight of each yes/no claim, ln Pr(claim | its answer true) / Pr(claim | its answer
    false), and each source's (sensitivity, specificity).

    Dawid and Skene's estimates (1979): a source's sensitivity (says yes when the answer is
    yes) and specificity (says no when it is no) are its expected hits over all its claims
    (weights ``w``), each weighed by the current probability ``p_yes`` of the object's answer,
    shrunk towards the source's prior with ``m`` pseudo-claims. A site that keeps listing
    restaurants that have closed has poor specificity, so its "yes" says little, while its rare
    "no" can still be decisive: LTM's two-sided quality (Zhao et al. 2012), on one fact per
    object. Unlike accuracy these are plain EM estimates, over every claim and not leave-one-
    out: the "no" answers are a small class, and with each claim's own vote left out, or the
    objects only one source speaks to ignored (a restaurant only the site that dropped it ever
    listed), EM loses that class once the learned base rate favours "yes".
    """
    s_idx = prob.obs_src
    ans = says_yes | says_no
    py = np.where(ans, p_yes[prob.obs_obj], 0.0)
    pn = np.where(ans, 1.0 - py, 0.0)

    def per_src(x: np.ndarray) -> np.ndarray:
        return np.bincount(s_idx, x, minlength=prob.n_src)

    tp, pos = per_src(w * says_yes * py), per_src(w * py)
    tn, neg = per_src(w * says_no * pn), per_src(w * pn)
    sens = np.clip((m * pi + tp) / (m + pos), 1e-4, 1 - 1e-4)
    spec = np.clip((m * pi + tn) / (m + neg), 1e-4, 1 - 1e-4)
    weight = np.where(says_yes, np.log(sens / (1.0 - spec))[s_idx], np.log(spec / (1.0 - sens))[s_idx])
    return weight, (sens, spec)


def false_values(prob: Problem, p: np.ndarray, use: np.ndarray | None = None) -> float:
    """How many false values a wrong claim effectively picks among: 1 / Pr(two wrong claims
    agree), over every pair of claims by different sources on one object (of the objects in
    ``use``), each pair weighed by the probability, under the current beliefs ``p``, that both
    are wrong.

    Pairs on one value are both wrong with probability 1 - p(value); pairs on two values with
    1 - p(a) - p(b) (one truth per object). Accu's uniform n = 10 counts as one pair of
    pseudo-evidence, so a handful of objects cannot drive the estimate to an extreme.
    Example: four objects where two sources share a wrong value against a third's right one
    give 4 agreeing wrong pairs out of 4, so n = (4 + 10) / (4 + 1) = 2.8.
    """
    keep = np.ones(prob.n_obj, dtype=bool) if use is None else use
    fk = keep[prob.fact_obj]
    s = prob.fact_support * fk  # claims on each value (a source with k values counts 1/k)
    sq = np.bincount(prob.obs_fact, prob.obs_w**2, minlength=prob.n_fact) * fk
    agree_wrong = float(np.sum((1.0 - p) * (s * s - sq) / 2.0))
    s_obj = prob.obj_sum(s)
    # pairs on two different values of one object, less a source's pairs with itself
    key = prob.obs_obj * max(prob.n_src, 1) + prob.obs_src
    _, first = np.unique(key, return_index=True)
    self_pairs = np.bincount(prob.obs_obj[first], (1.0 - prob.obs_w[first]) / 2.0,
                             minlength=prob.n_obj) * keep
    cross = (s_obj * s_obj - prob.obj_sum(s * s)) / 2.0 - self_pairs
    cross_wrong = max(float(np.sum(cross) - np.sum(p * s * (s_obj[prob.fact_obj] - s))), 0.0)
    return max((agree_wrong + cross_wrong + 10.0) / (agree_wrong + 1.0), 1.0 + 1e-6)


def inheritance(
    prob: Problem, small: np.ndarray, acc: np.ndarray, n: float, m: float,
    use: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """For each claim of a source with little record, the chance that it repeats a prolific
    source's claim on the same value rather than being made independently (0 elsewhere), and
    each source's rate c of being repeated by the class.

    A source with one or two claims cannot be tested for copying pair by pair (one shared
    object says nothing), but the sources with little record (``small``) can be tested as a
    class against each source with a record: under independence a small source of accuracy a
    agrees with a source of accuracy b with probability ab + (1 - a)(1 - b) / n; if the
    class agrees with it at a rate A above that expected E, a share c = (A - E) / (1 - E) of
    the class's agreements are repeats (Dong et al.'s copy model, pooled over the class; the
    difference is shrunk with ``m`` pseudo-pairs). A source the class agrees with no more
    than chance predicts gets c = 0. Each small claim on a value a source with a record also
    claims gets the largest c of those sources. Pairs on objects outside ``use`` (yes/no
    objects, which have their own model) are left out.
    Why a class: Wikipedia's one-edit editors share one or two pages with the bot, too few for
    a pairwise copy test, but an editor whose edit touched another part of a town's page keeps
    the bot's figure in their latest revision, and over the class that shows: they agree with
    the bot on .67 of their shared items where independence predicts .53.
    Example: four one-claim sources each repeat B's value where E says another; accuracies all
    .5, n = 1, so independent sources agree with probability .5; the class agrees with B on 4
    pairs of 4 against 2 expected, c = (4 - 2) / (4 - 2 + m) = .5 with m = 2; with E on none.
    """
    _, oa, ob, _, _ = prob.pairs()
    out = np.zeros(prob.n_obs)
    if len(oa) == 0:
        return out, np.zeros(prob.n_src)
    sa, sb = small[prob.obs_src[oa]], small[prob.obs_src[ob]]
    one = sa != sb
    if use is not None:
        one &= use[prob.obs_obj[oa]]
    x = np.where(sa, oa, ob)[one]  # the small source's claim
    y = np.where(sa, ob, oa)[one]  # the other's
    big = prob.obs_src[y]
    ww = prob.obs_w[x] * prob.obs_w[y]
    agree = prob.obs_fact[x] == prob.obs_fact[y]
    a, b = acc[prob.obs_src[x]], acc[big]
    exp = a * b + (1.0 - a) * (1.0 - b) / n
    A = np.bincount(big, ww * agree, minlength=prob.n_src)
    E = np.bincount(big, ww * exp, minlength=prob.n_src)
    T = np.bincount(big, ww, minlength=prob.n_src)
    c = np.clip((A - E) / np.maximum(T - E + m, 1e-300), 0.0, 1.0)
    np.maximum.at(out, x[agree], c[big[agree]])
    return out, c
