"""Truth-discovery methods from the literature, side by side with kg's own (``kg.truth``).

One module per method, each implemented from its paper (cited in the module docstring) on the
shared index of :mod:`kg.truth` (:class:`kg.truth._Problem`), so that every method sees exactly
the same observations and returns the same :class:`kg.truth.Result`:

``popaccu``  PopAccu (Dong, Saha, Srivastava, PVLDB 6(2) 2013): Accu with the false-value
             distribution estimated from the data instead of uniform over n values.
``ltm``      LTM, the Latent Truth Model (Zhao, Rubinstein, Gemmell, Han, PVLDB 5(6) 2012):
             per-fact truth with two-sided source quality, for multi-valued answers.
``crh``      CRH (Li, Li, Gao, Zhao, Fan, Han, SIGMOD 2014): source weights from a loss over
             mixed categorical and continuous data.
``catd``     CATD (Li, Li, Gao, Su, Zhao, Fan, Han, PVLDB 8(4) 2014): CRH's weights with a
             confidence interval for sources that make few claims (long-tail data).

Majority vote, TruthFinder and the Accu family (Accu / AccuSim / AccuCopy) live in
:mod:`kg.truth` beside ``kg_trust``; :data:`METHODS` names them all.
"""

from __future__ import annotations

from collections.abc import Callable

from kg import truth as _truth
from kg.truth_methods.catd import catd
from kg.truth_methods.crh import crh
from kg.truth_methods.ltm import ltm
from kg.truth_methods.popaccu import popaccu

__all__ = ["METHODS", "catd", "crh", "ltm", "popaccu"]

METHODS: dict[str, Callable[..., _truth.Result]] = {
    "vote": _truth.vote,
    "truthfinder": _truth.truthfinder,
    "accu": _truth.accu,
    "accucopy": lambda obs, **kw: _truth.accu(obs, copying=True, **kw),
    "popaccu": popaccu,
    "ltm": ltm,
    "crh": crh,
    "catd": catd,
    "kg_trust": _truth.kg_trust,
}
