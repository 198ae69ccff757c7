"""One round versus many: what each policy earns the focal player in the next round alone, and
per round over the scenario's whole horizon, next to the best any plan could do in each.

* **one round** -- the expected payoff of the first round (after any scripted history): the
  value at discount factor 0, where only the present counts;
* **the myopic best response** -- the most the focal player can expect in that one round
  against the others' strategies (its exact best response at discount factor 0);
* **many rounds** -- each policy's per-round value under the scenario's criterion, as
  ``recip compare`` reports it;
* **the far-sighted best response** -- the most any plan earns per round against the others'
  strategies at the scenario's discount factor (infinite discounted horizons only; the
  credibility check's best response).

The others keep their strategies throughout; both best responses are exact (policy iteration
on every situation a history can reach, :mod:`recip.model.best_response`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.text import join_words
from ..model.best_response import best_response
from ..model.conditions import Conditions
from ..model.profile import compile_profile
from ..model.result import Result
from ..model.setting import ScenarioLike, as_setting
from .compare import TIE


@dataclass(frozen=True, eq=False)
class OneVersusMany(Result):
    """Result of :func:`one_vs_many`: ``one_round[k]`` and ``long_run[k]`` are the focal
    player's first-round payoff and per-round value under policy ``k``; ``myopic`` and
    ``far_sighted`` the best responses' values with their words (``far_sighted`` is None
    unless the horizon is infinite and discounted)."""

    title: str
    conditions: Conditions
    focal: str
    policies: tuple[str, ...]
    one_round: np.ndarray
    long_run: np.ndarray
    myopic: tuple[float, str]
    far_sighted: tuple[float, str] | None
    discount: float | None
    criterion: str
    notes: tuple[str, ...] = ()

    kind = "one-vs-many"

    def best(self, values: np.ndarray) -> list[str]:
        """The policies within :data:`~recip.questions.compare.TIE` of the largest value."""
        return [p for p, v in zip(self.policies, values, strict=True) if v >= values.max() - TIE]

    @property
    def summary(self) -> str:
        one, many = self.best(self.one_round), self.best(self.long_run)
        text = (
            f"In one round {join_words(one)} {'pays' if len(one) == 1 else 'pay'} {self.focal} "
            f"most ({self.one_round.max():.4g}; a myopic best response {self.myopic[0]:.4g}); "
            f"over many rounds {join_words(many)} {'does' if len(many) == 1 else 'do'} "
            f"({self.long_run.max():.4g} per round"
        )
        if self.far_sighted is not None:
            text += f"; the best response {self.far_sighted[0]:.4g}"
        return f"{text}), given {self.conditions.text()}."

    def payload(self) -> dict[str, Any]:
        return {
            "focal": self.focal,
            "policies": list(self.policies),
            "criterion": self.criterion,
            "discount": self.discount,
            "one_round": {p: float(v) for p, v in zip(self.policies, self.one_round, strict=True)},
            "long_run": {p: float(v) for p, v in zip(self.policies, self.long_run, strict=True)},
            "myopic_best_response": {"value": self.myopic[0], "words": self.myopic[1]},
            "best_response": (
                None
                if self.far_sighted is None
                else {"value": self.far_sighted[0], "words": self.far_sighted[1]}
            ),
            "notes": list(self.notes),
        }


def one_vs_many(
    scenario: ScenarioLike,
    *,
    focal: str | None = None,
    policies: Sequence[Any] | None = None,
) -> OneVersusMany:
    """Each of ``focal``'s ``policies`` (defaults as in :func:`recip.compare`) in one round and
    over many, with the myopic and the far-sighted best response to the others' strategies.

    >>> r = one_vs_many("prisoners-dilemma")
    >>> round(r.myopic[0], 4), r.myopic[1]   # defect against tit for tat, noise 0.01
    (4.9401, 'defect in round whatever happened before')
    """
    setting = as_setting(scenario)
    focal = setting.check_player(
        focal if focal is not None else setting.focal, "compare.focal", "focal player"
    )
    parsed, _ = setting.policy_list(policies)
    f = setting.players.index(focal)
    one, many = [], []
    first = None
    for policy in parsed:
        compiled = compile_profile(setting, setting.profile({focal: policy}))
        ev = compiled.evaluation(curve_rounds=1)
        one.append(float(ev.curve[0, f]))
        many.append(float(ev.values[f]))
        first = first or compiled
    model = first.deviations
    now = best_response(model, f, 0.0)
    myopic = (now.value, now.words)
    far, notes = None, []
    if setting.rounds is None and setting.discount is not None:
        later = best_response(model, f, float(setting.discount))
        far = (later.value, later.words)
    else:
        notes.append(
            "the far-sighted best response is computed for infinite discounted horizons only"
        )
    strategies = setting.profile({focal: parsed[0]})
    conditions = setting.conditions(strategies, focal=focal)
    return OneVersusMany(
        title=f"{setting.title}: one round or many for {focal}?",
        conditions=conditions,
        focal=focal,
        policies=tuple(p.label for p in parsed),
        one_round=np.array(one),
        long_run=np.array(many),
        myopic=myopic,
        far_sighted=far,
        discount=setting.discount,
        criterion=conditions.criterion,
        notes=tuple(notes),
    )
