"""Truth discovery: sources' reliabilities and chosen values from plain observations (no RDF).

The reconciler hands `kg_trust` observations ``(object, source, value)`` and gets back, per
object, a chosen value with a confidence and, per source, an estimated reliability. The methods
it is measured against live beside it, each implemented from its paper, on the same index
(`observations.Problem`) so that every method sees the same input:

``classic``  majority vote, TruthFinder (Yin, Han, Yu 2008), Accu / AccuSim / AccuCopy (Dong,
             Berti-Equille, Srivastava, VLDB 2009).
``popaccu``  PopAccu (Dong, Saha, Srivastava, PVLDB 6(2) 2013).
``ltm``      LTM, the Latent Truth Model (Zhao et al., PVLDB 5(6) 2012), for multi-valued answers.
``crh``      CRH (Li et al., SIGMOD 2014), mixed categorical and continuous data.
``catd``     CATD (Li et al., PVLDB 8(4) 2014), CRH with confidence intervals for long-tail sources.
``lca``      SimpleLCA, GuessLCA, MistakeLCA (Pasternack and Roth, WWW 2013).
``method``   kg_trust, kg's own.
"""

from __future__ import annotations

from collections.abc import Callable

from kg.reconcile.truth.catd import catd
from kg.reconcile.truth.classic import accu, truthfinder, vote
from kg.reconcile.truth.crh import crh
from kg.reconcile.truth.lca import guess_lca, mistake_lca, simple_lca
from kg.reconcile.truth.ltm import ltm
from kg.reconcile.truth.method import kg_trust
from kg.reconcile.truth.observations import (
    Observation,
    Result,
    Similarity,
    jaccard_similarity,
    numeric_similarity,
)
from kg.reconcile.truth.popaccu import popaccu

__all__ = ["METHODS", "Observation", "Result", "Similarity", "accu", "catd", "crh", "guess_lca",
           "jaccard_similarity", "kg_trust", "ltm", "mistake_lca", "numeric_similarity", "popaccu",
           "simple_lca", "truthfinder", "vote"]

METHODS: dict[str, Callable[..., Result]] = {
    "vote": vote,
    "truthfinder": truthfinder,
    "accu": accu,
    "accucopy": lambda obs, **kw: accu(obs, copying=True, **kw),
    "popaccu": popaccu,
    "ltm": ltm,
    "crh": crh,
    "catd": catd,
    "simple_lca": simple_lca,
    "guess_lca": guess_lca,
    "mistake_lca": mistake_lca,
    "kg_trust": kg_trust,
}
