"""Commitment: the focal player commits to a policy and its partners optimise instead of following
their rules (``recip compare --partners best-respond``).

The leader-follower reading of "India will remember": under each of the focal player's policies,
each *adaptive* partner plays its exact best response to everyone else's strategy (the optimum
of its Markov decision problem on the situations any history reaches; see
:mod:`recip.model.best_response`). With one adaptive partner that is the answer. With several,
best responses are iterated, partner by partner, until none of them gains from changing (a
fixed point among them: every adaptive partner best-responds to the others), or until
``max_passes`` passes, when the result says that no fixed point was found and how much each
partner could still gain (best responses may cycle).

The focal player's value under each commitment is then evaluated exactly, as ``compare`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.errors import ScenarioError
from ..model.best_response import best_response
from ..model.conditions import Conditions
from ..model.evaluation import Evaluation
from ..model.profile import compile_profile
from ..model.result import Result
from ..model.setting import ScenarioLike, as_setting
from ..strategies.fixed import FixedAutomaton
from .checks import check_count
from .compare import TIE
from .gains import check_discounts

#: Passes of best responses (each adaptive partner once per pass) before giving up.
MAX_PASSES = 20


@dataclass(frozen=True, eq=False)
class Commitment:
    """One policy of the focal player with the partners' answers: ``evaluation`` of the final
    profile; ``responses[p]`` what adaptive partner ``p`` does (in words, or ``None`` when its
    own strategy was already its best response); ``converged``: whether every adaptive partner
    best-responds to the others; ``left[p]``: what ``p`` could still gain (per round) if not."""

    policy: str
    evaluation: Evaluation
    responses: dict[str, str | None]
    converged: bool
    passes: int
    left: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "values": dict(
                zip(self.evaluation.players, map(float, self.evaluation.values), strict=True)
            ),
            "responses": dict(self.responses),
            "converged": self.converged,
            "passes": self.passes,
            "left": dict(self.left),
        }


@dataclass(frozen=True, eq=False)
class CommitmentComparison(Result):
    """Result of :func:`commit`: one :class:`Commitment` per policy of the focal player."""

    title: str
    conditions: Conditions
    focal: str
    adaptive: tuple[str, ...]
    commitments: tuple[Commitment, ...]
    discount: float | None
    #: Each player's discount factor when the players have their own (``discount`` is then
    #: None): each adaptive partner best-responds at its own.
    discounts: tuple[tuple[str, float], ...] = ()

    kind = "commitment"

    @property
    def policies(self) -> tuple[str, ...]:
        return tuple(c.policy for c in self.commitments)

    def value(self, k: int) -> float:
        return float(self.commitments[k].evaluation.value(self.focal))

    @property
    def best(self) -> int:
        values = np.array([self.value(k) for k in range(len(self.commitments))])
        return int(np.flatnonzero(values >= values.max() - TIE)[0])

    @property
    def summary(self) -> str:
        k = self.best
        who = " and ".join(self.adaptive)
        unsettled = [c.policy for c in self.commitments if not c.converged]
        tail = (
            f" (no fixed point among the partners' best responses under {', '.join(unsettled)})"
            if unsettled
            else ""
        )
        if len(self.commitments) == 1:
            return (
                f"committed to {self.policies[0]}, with {who} best-responding, {self.focal} "
                f"gets {self.value(0):.4g} per round{tail}"
            )
        others = [
            f"{c.policy} {self.value(j):.4g}" for j, c in enumerate(self.commitments) if j != k
        ]
        return (
            f"committed, with {who} best-responding: {self.policies[k]} is best for "
            f"{self.focal} ({self.value(k):.4g} per round; {', '.join(others)}){tail}"
        )

    def payload(self) -> dict[str, Any]:
        return {
            "focal": self.focal,
            "adaptive": list(self.adaptive),
            "discount": self.discount,
            **({"discounts": dict(self.discounts)} if self.discounts else {}),
            "best": self.policies[self.best],
            "commitments": [c.to_dict() for c in self.commitments],
        }


def commit(
    scenario: ScenarioLike,
    *,
    focal: str | None = None,
    policies: Sequence[Any] | None = None,
    partners: Sequence[str] | None = None,
    discount: float | None = None,
    max_passes: int = MAX_PASSES,
) -> CommitmentComparison:
    """The focal player commits to each of ``policies``; each of ``partners`` (default: every
    other player with a choice) plays its exact best response to the others, iterated to a fixed
    point among them (at most ``max_passes`` passes). Defaults as in :func:`recip.compare`;
    ``discount`` (one for every player) defaults to the scenario's (an infinite horizon): each
    player's own, where the players have their own, each partner then best-responding at its
    own discount factor.

    >>> r = commit("sindoor-2025", partners=["india"])
    >>> r.commitments[0].responses["india"]
    'support in russia_isolated'
    """
    setting = as_setting(scenario)
    discounts = check_discounts(setting, discount)
    check_count(max_passes, "max_passes", low=1, high=1000)
    focal = setting.check_player(
        focal if focal is not None else setting.focal, "compare.focal", "focal player"
    )
    if partners is None:
        adaptive = [p for p in setting.players if p != focal and setting.acting(p)]
    else:
        if isinstance(partners, str) or not isinstance(partners, Sequence):
            raise ScenarioError(f"partners are a list of players, not {partners!r}", key="partners")
        adaptive = list(dict.fromkeys(setting.check_player(p, "partners") for p in partners))
        if focal in adaptive:
            raise ScenarioError(
                f"{focal} is the focal player: it commits, it does not best-respond",
                key="partners",
            )
    if not adaptive:
        raise ScenarioError(
            "no partner has a choice to make: nobody can best-respond", key="partners"
        )
    parsed, _ = setting.policy_list(policies)
    setting = setting.with_horizon(discount=discounts, rounds=None)
    out = [_commit(setting, focal, p, adaptive, max_passes) for p in parsed]
    own = setting.own_discounts
    return CommitmentComparison(
        title=f"{setting.title}: {focal} commits, {' and '.join(adaptive)} best-respond",
        conditions=setting.conditions(
            setting.profile({focal: parsed[0]}), focal=focal, infinite=True, weighted_by=focal
        ),
        focal=focal,
        adaptive=tuple(adaptive),
        commitments=tuple(out),
        discount=None if own else discounts[0],
        discounts=tuple(zip(setting.players, discounts, strict=True)) if own else (),
    )


def _commit(setting, focal, policy, adaptive, max_passes) -> Commitment:
    strategies = list(setting.profile({focal: policy}))
    index = {p: setting.players.index(p) for p in adaptive}
    responses: dict[str, str | None] = dict.fromkeys(adaptive)
    left: dict[str, float] = {}
    converged, passes = False, 0
    for passes in range(1, max_passes + 1):  # noqa: B007 (the count is reported)
        changed = False
        for p in adaptive:
            i = index[p]
            discount = setting.discount_of(i)  # the partner's own
            # a gain below this (total discounted payoff 1e-9) is rounding, not a reason to change
            tol = 1e-9 * (1.0 - discount)
            model = compile_profile(setting, tuple(strategies)).deviations
            br = best_response(model, i, discount)
            left[p] = max(br.gain, 0.0)
            if br.gain > tol:
                strategies[i] = FixedAutomaton(br.automaton, f"best response of {p}")
                responses[p] = br.words
                changed = True
        if not changed:
            converged = True
            break
    if converged:
        left = {}
    evaluation = compile_profile(setting, tuple(strategies)).evaluation(weighted_by=focal)
    return Commitment(
        policy=policy.label,
        evaluation=evaluation,
        responses=responses,
        converged=converged,
        passes=passes,
        left=left,
    )
