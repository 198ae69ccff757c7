"""The strategy game: candidate repeated-game strategies played against each other.

Each acting player chooses one strategy among its candidates; the payoff of a profile of
candidates is every player's exact per-round value in the repeated game (the setting's horizon
and noise). The result is a finite normal-form game ``payoffs[c_1, ..., c_k, i]`` over the ``k``
players who ever act (those who never act pass and are left out). The meta-game analyses it; so
will tournaments and evolutionary dynamics.

>>> from recip.model.setting import as_setting
>>> s = as_setting("prisoners-dilemma").with_horizon(discount=0.9, rounds=None)
>>> g = strategy_game(s, {p: ["always:defect", "aligning"] for p in ("row", "col")})
>>> g.labels, g.payoffs.shape
((('always:defect', 'aligning'), ('always:defect', 'aligning')), (2, 2, 2))
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.errors import ScenarioError
from ..strategies import Strategy, parse
from .profile import compile_profile
from .setting import Setting, _short, as_setting

#: Largest number of candidate profiles (chains to build and solve).
MAX_PROFILES = 20_000


@dataclass(frozen=True, eq=False)
class StrategyGame:
    """``payoffs[c_1, ..., c_k, i]``: player ``players[i]``'s exact per-round value when every
    acting player ``j`` follows ``candidates[j][c_j]``."""

    setting: Setting
    players: tuple[str, ...]
    passive: tuple[str, ...]
    candidates: tuple[tuple[Strategy, ...], ...]
    payoffs: np.ndarray
    limit_of_means: bool = False

    @property
    def labels(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(s.label for s in cands) for cands in self.candidates)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(c) for c in self.candidates)


def _parse_candidates(
    setting: Setting, player: str, specs: Any, given: bool
) -> tuple[Strategy, ...]:
    key = f"meta.candidates.{player}"
    if isinstance(specs, str | Mapping) or not isinstance(specs, Sequence) or not specs:
        raise ScenarioError(
            f"the candidates of {player} are a non-empty list of strategies, not {_short(specs)}",
            file=setting.source,
            key=key,
        )
    parsed: list[Strategy] = []
    for k, spec in enumerate(specs):
        strat = setting.parse(spec, f"{key}[{k}]")
        if any(p.label == strat.label for p in parsed):
            if given:
                raise ScenarioError(
                    f"candidate {strat.label} is listed twice for {player}",
                    file=setting.source,
                    key=key,
                )
            continue
        parsed.append(strat)
    return tuple(parsed)


def strategy_game(
    setting: Setting | Any,
    candidates: Mapping[str, Sequence[Any]] | None = None,
    *,
    limit_of_means: bool = False,
    progress=None,
) -> StrategyGame:
    """Build the :class:`StrategyGame` of ``setting``: ``candidates`` per player, else the
    scenario's ``[meta]`` lists, else each player's own strategy, balancing and aligning.

    Each candidate is compiled once per player; each profile's chain is built and solved once.
    ``progress(1)`` is called after each profile. ``setting`` may be anything
    :func:`~recip.model.setting.as_setting` takes (a Setting, a Scenario, a name or a path).
    """
    setting = as_setting(setting)
    if candidates is not None and not isinstance(candidates, Mapping):
        raise ScenarioError(
            f"candidates map players to lists of strategies; got {_short(candidates)}",
            key="candidates",
        )
    given = dict(candidates or {})
    for player in given:
        setting.check_player(player, f"meta.candidates.{player}")
    acting = [i for i, p in enumerate(setting.players) if setting.acting(p)]
    players = tuple(setting.players[i] for i in acting)
    passive = tuple(p for i, p in enumerate(setting.players) if i not in acting)
    for player in given:
        if player in passive:
            raise ScenarioError(
                f"{player} never acts in this scenario, so it has no strategy to choose",
                file=setting.source,
                key=f"meta.candidates.{player}",
            )
    if not players:
        raise ScenarioError(
            "nobody ever acts in this scenario: there is no strategy game",
            file=setting.source,
            key="states",
        )
    parsed = []
    for p in players:
        if p in given:
            parsed.append(_parse_candidates(setting, p, given[p], True))
        else:
            specs, from_file = setting.candidate_specs(p)
            parsed.append(_parse_candidates(setting, p, specs, from_file))
    shape = tuple(len(c) for c in parsed)
    n_profiles = int(np.prod(shape, dtype=float))
    if n_profiles > MAX_PROFILES:
        raise ScenarioError(
            f"the strategy game has {n_profiles} candidate profiles; recip's limit is "
            f"{MAX_PROFILES} (fewer candidates)",
            file=setting.source,
            key="meta.candidates",
        )
    passive_strategy = parse("balancing")
    payoffs = np.zeros((*shape, len(players)))
    for idx in itertools.product(*(range(n) for n in shape)):
        strategies = []
        for i in range(len(setting.players)):
            if i in acting:
                a = acting.index(i)
                strategies.append(parsed[a][idx[a]])
            else:
                strategies.append(passive_strategy)
        profile = compile_profile(setting, strategies)
        payoffs[idx] = profile.values(limit_of_means=limit_of_means)[acting]
        if progress is not None:
            progress(1)
    return StrategyGame(setting, players, passive, tuple(parsed), payoffs, limit_of_means)
