"""Stage-game equilibria of a scenario, world state by world state (``recip equilibria``).

In each world state the players who choose play a one-shot game: their payoffs for every joint
action of that state (nominal values). Its Nash equilibria (see :mod:`recip.games.nash` for the
solvers and what they guarantee) say what myopic play would settle on there -- the benchmark the
repeated game is measured against. Players who do not choose in a state still receive payoffs;
each equilibrium reports every player's expected payoff.

>>> from recip import load_scenario
>>> result = stage_equilibria(load_scenario("prisoners-dilemma"))
>>> result
StageEquilibria('prisoners-dilemma', round: 1 equilibrium)
>>> result.states[0].equilibria[0].actions
{'row': {'defect': 1.0}, 'col': {'defect': 1.0}}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.errors import ScenarioError, suggest
from ..games.nash import NashResult, nash_equilibria
from ..model.conditions import Conditions
from ..model.result import Result
from ..model.setting import ScenarioLike, as_setting


@dataclass(frozen=True, eq=False)
class LabelledEquilibrium:
    """An equilibrium of one state's stage game in the scenario's words.

    ``actions[p]`` maps each action that active player ``p`` plays to its probability;
    ``payoffs[p]`` is every player's (active or not) expected stage payoff.
    """

    actions: dict[str, dict[str, float]]
    payoffs: dict[str, float]
    pure: bool
    regret: float

    def describe(self) -> str:
        parts = []
        for player, mix in self.actions.items():
            if len(mix) == 1:
                parts.append(f"{player} {next(iter(mix))}")
            else:
                parts.append(f"{player} " + " / ".join(f"{a} {_num(p)}" for a, p in mix.items()))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "actions": self.actions,
            "payoffs": self.payoffs,
            "pure": self.pure,
            "regret": self.regret,
        }


@dataclass(frozen=True, eq=False)
class StateEquilibria:
    """The stage game of one world state and its equilibria."""

    state: str
    label: str
    players: tuple[str, ...]  # the players who choose here
    actions: tuple[tuple[str, ...], ...]  # their actions
    equilibria: tuple[LabelledEquilibrium, ...]
    result: NashResult | None  # None when nobody chooses

    @property
    def degenerate(self) -> bool:
        return bool(self.result is not None and self.result.degenerate)

    @property
    def complete(self) -> bool:
        return self.result is None or self.result.complete

    def __repr__(self) -> str:
        n = len(self.equilibria)
        return f"StateEquilibria({self.state!r}, {n} equilibri{'um' if n == 1 else 'a'})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "label": self.label,
            "players": list(self.players),
            "actions": {p: list(a) for p, a in zip(self.players, self.actions, strict=True)},
            "method": self.result.method if self.result else None,
            "complete": self.complete,
            "degenerate": self.degenerate,
            "message": self.result.message if self.result else "nobody chooses in this state",
            "equilibria": [eq.to_dict() for eq in self.equilibria],
        }


@dataclass(frozen=True, eq=False)
class StageEquilibria(Result):
    """Stage-game equilibria of a scenario's world states (all, or the one asked for)."""

    title: str
    conditions: Conditions
    scenario: str
    players: tuple[str, ...]
    states: tuple[StateEquilibria, ...]

    kind = "stage-equilibria"

    @property
    def summary(self) -> str:
        parts = []
        for s in self.states:
            n = len(s.equilibria)
            what = (
                "nobody chooses"
                if s.result is None
                else (
                    f"{n} equilibri{'um' if n == 1 else 'a'}"
                    + ("" if s.complete else " (not guaranteed complete)")
                )
            )
            parts.append(f"{s.state}: {what}")
        return "Stage-game equilibria (one round, nominal payoffs): " + "; ".join(parts) + "."

    def __repr__(self) -> str:
        parts = ", ".join(
            f"{s.state}: {len(s.equilibria)} equilibri{'um' if len(s.equilibria) == 1 else 'a'}"
            for s in self.states
        )
        return f"StageEquilibria({self.scenario!r}, {parts})"

    def __getitem__(self, state: str) -> StateEquilibria:
        for s in self.states:
            if s.state == state:
                return s
        raise KeyError(state)

    def payload(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "states": [s.to_dict() for s in self.states],
        }


def stage_equilibria(
    scenario: ScenarioLike,
    state: str | None = None,
    *,
    method: str = "auto",
    options: Mapping[str, Any] | None = None,
) -> StageEquilibria:
    """Nash equilibria of the stage game of each world state of ``scenario`` (or of ``state``).

    Parameters
    ----------
    scenario
        A :class:`recip.Scenario`, or a bundled scenario's name or a path.
    state
        One world state's name; ``None`` for every state.
    method, options
        Passed to :func:`recip.games.nash.nash_equilibria`.

    Returns
    -------
    StageEquilibria
        Per state: who chooses, their actions, the equilibria in action names with every
        player's expected payoff, and whether the list is complete and the game degenerate.
    """
    setting = as_setting(scenario)
    game = setting.game
    if state is not None and state not in game.states:
        raise ScenarioError(
            f"no world state {state!r}; {suggest(str(state), game.states)}",
            file=setting.source,
            key="--state",
        )
    labels = setting.state_labels
    chosen = [state] if state is not None else list(game.states)
    out = []
    for name in chosen:
        s = game.state_index(name)
        active, tensor = game.stage_game(s)
        players = tuple(game.players[i] for i in active)
        actions = tuple(game.actions[s][i] for i in active)
        table = game.payoffs[s, : game.n_joint[s]]  # (joint action, every player)
        if not active:
            payoffs = {p: float(v) for p, v in zip(game.players, table[0], strict=True)}
            nobody = LabelledEquilibrium({}, payoffs, True, 0.0)
            out.append(StateEquilibria(name, labels[name], (), (), (nobody,), None))
            continue
        result = nash_equilibria(tensor, method=method, options=options)
        labelled = []
        for eq in result:
            joint = eq.strategies[0]
            for x in eq.strategies[1:]:
                joint = np.multiply.outer(joint, x)
            expected = joint.reshape(-1) @ table
            mixes = {
                p: {acts[a]: float(x[a]) for a in np.flatnonzero(x)}
                for p, acts, x in zip(players, actions, eq.strategies, strict=True)
            }
            pays = {p: float(v) for p, v in zip(game.players, expected, strict=True)}
            labelled.append(LabelledEquilibrium(mixes, pays, eq.pure, eq.regret))
        out.append(StateEquilibria(name, labels[name], players, actions, tuple(labelled), result))
    return StageEquilibria(
        title=f"{setting.title}: equilibria of each world state's one-round game",
        conditions=setting.conditions(),
        scenario=setting.origin.name,
        players=game.players,
        states=tuple(out),
    )


def equilibria(
    scenario: ScenarioLike,
    *,
    state: str | None = None,
    meta: bool = False,
    method: str = "auto",
    options: Mapping[str, Any] | None = None,
    **meta_options: Any,
):
    """Equilibria of a scenario: of each world state's stage game (default), or with
    ``meta=True`` of the meta-game in which players choose among repeated-game strategies
    (:func:`recip.questions.meta.meta_game`, which receives ``meta_options``: ``candidates``,
    ``limit_of_means``, ``tol``).

    >>> import recip
    >>> recip.equilibria("prisoners-dilemma").states[0].equilibria[0].describe()
    'row defect; col defect'
    """
    if not isinstance(meta, bool):
        raise ScenarioError(f"meta must be True or False, not {meta!r}", key="meta")
    if meta:
        from .meta import meta_game

        if state is not None:
            raise ScenarioError(
                "a state's stage game and the meta-game are different games: give state or "
                "meta, not both",
                key="state",
            )
        if options is not None:
            raise ScenarioError(
                "options apply to stage games; the meta-game takes tol=", key="options"
            )
        return meta_game(scenario, method=method, **meta_options)
    if meta_options:
        unknown = ", ".join(sorted(meta_options))
        raise ScenarioError(f"{unknown}: only for the meta-game (meta=True)")
    return stage_equilibria(scenario, state, method=method, options=options)


def _num(x: float) -> str:
    return f"{x:.4g}"
