"""recip: a game-theoretic reciprocity simulator.

Scenario files describe players, world states drawn by nature, actions with stances and payoffs;
recip compares a *balancing* policy with an *aligning* (reciprocating) one over many rounds,
exactly where it can and by simulation where it must.

>>> import recip
>>> s = recip.load_scenario("prisoners-dilemma")
>>> round(recip.evaluate(s).value("row"), 4)
2.9035

The public names are imported lazily, so ``import recip`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ._version import __version__

_EXPORTS = {
    "load_scenario": "recip.scenario.load",
    "Scenario": "recip.scenario.load",
    "Setting": "recip.model.setting",
    "as_setting": "recip.model.setting",
    "compile_profile": "recip.model.profile",
    "strategy_game": "recip.model.strategy_game",
    "evaluate": "recip.questions.evaluate",
    "simulate": "recip.questions.evaluate",
    "compare": "recip.questions.compare",
    "equilibria": "recip.questions.stage",
    "meta_game": "recip.questions.meta",
    "is_subgame_perfect": "recip.questions.spe",
    "critical_discount": "recip.questions.threshold",
    "critical_discounts": "recip.questions.overlay",
    "timeline": "recip.questions.timeline",
    "one_vs_many": "recip.questions.horizons",
    "uncertainty": "recip.questions.uncertainty",
    "sensitivity": "recip.questions.sensitivity",
    "credibility": "recip.questions.credibility",
    "commit": "recip.questions.commitment",
    "sweep": "recip.questions.sweep",
    "explain": "recip.questions.explain",
    "what_if": "recip.questions.whatif",
    "report_data": "recip.questions.report_data",
    "Sweep": "recip.questions.sweep_result",
    "ScenarioError": "recip.core.errors",
    "AnalysisError": "recip.core.errors",
}
_MODULES = {"strategies": "recip.strategies"}

__all__ = ["__version__", *_EXPORTS, *_MODULES]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    if name in _MODULES:
        return import_module(_MODULES[name])
    raise AttributeError(f"module 'recip' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
