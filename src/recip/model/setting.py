"""The setting of every question: a picklable, file-free description of the repeated game.

A :class:`Setting` holds what the questions need and nothing that ties it to a file: the
:class:`~recip.core.game.Game` (players, world states, actions, stances, payoffs, nature, scripted
history), the horizon, execution noise, each player's strategy, the scenario's own automata, the
focal player and candidate lists, and where it came from (:class:`Origin`). It pickles, so that
an executor can ship it to another process or machine, and it caches compiled automata, so that
many questions about one setting compile each strategy once.

>>> s = as_setting("prisoners-dilemma")
>>> s.players, s.focal, s.discount
(('row', 'col'), 'row', 0.9)
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..core.automaton import Automaton
from ..core.errors import ScenarioError, suggest
from ..core.game import Game
from ..scenario.load import Scenario, load_scenario
from ..strategies import Strategy, compile_for, parse
from .conditions import Conditions, criterion

#: A player's candidates in the meta-game when the scenario lists none (after its own strategy).
DEFAULT_CANDIDATES = ("balancing", "aligning", "myopic")
#: The focal player's policies compared when the scenario lists none.
DEFAULT_POLICIES = ("balancing", "aligning")


@dataclass(frozen=True)
class Origin:
    """Where a setting came from: the scenario's name, title, file (or ``<text>``/``<dict>``),
    the SHA-256 of its data, the claim map it encodes, and the overrides applied to it."""

    name: str
    title: str
    source: str
    hash: str
    claims: str | None = None
    overrides: tuple[tuple[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "hash": self.hash, "claims": self.claims}


@dataclass(frozen=True, eq=False)
class Setting:
    """Everything a question needs about a scenario, as plain, picklable data.

    ``strategies[i]`` is player ``i``'s strategy from the scenario's ``[strategies]`` (``None``
    when it has none); ``automata`` the scenario's own automata (so that their names parse as
    strategies); ``policies`` the focal player's candidate policies (``[compare]``, else
    balancing and aligning); ``candidates`` the scenario's ``[meta]`` lists.
    """

    game: Game
    #: Each player's discount factor, in player order (None: a finite horizon, undiscounted).
    discounts: tuple[float, ...] | None
    rounds: int | None
    noise: tuple[float, ...]
    strategies: tuple[Strategy | None, ...]
    automata: Mapping[str, Any]
    focal: str
    policies: tuple[Any, ...]
    policies_given: bool
    candidates: Mapping[str, tuple[Any, ...]]
    origin: Origin
    player_labels: Mapping[str, str]
    state_labels: Mapping[str, str]
    _compiled: dict = field(default_factory=dict, repr=False, compare=False)

    def __repr__(self) -> str:
        return (
            f"Setting({self.origin.name!r}, players={list(self.players)}, "
            f"states={list(self.game.states)}, discount={self.discount_text()}, "
            f"rounds={self.rounds})"
        )

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_compiled"] = {}  # a cache: rebuilt where the setting is used
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # -- what the game is ------------------------------------------------------------------

    @property
    def players(self) -> tuple[str, ...]:
        return self.game.players

    @property
    def title(self) -> str:
        return self.origin.title

    @property
    def source(self) -> str:
        return self.origin.source

    @property
    def history(self) -> int:
        """Number of scripted rounds before the analysis starts."""
        return len(self.game.history)

    def acting(self, player: str) -> bool:
        """Whether ``player`` has a choice in some world state."""
        return bool(self.game.acts[:, self.game.player_index(player)].any())

    def check_player(self, player: Any, key: str, what: str = "player") -> str:
        """``player`` if it is one of the setting's players, else a :class:`ScenarioError`."""
        if not isinstance(player, str) or player not in self.players:
            raise ScenarioError(
                f"unknown {what} {player!r}; {suggest(str(player), self.players)}",
                file=self.source,
                key=key,
            )
        return player

    # -- discount factors ------------------------------------------------------------------

    @property
    def own_discounts(self) -> bool:
        """Whether the players have discount factors of their own (not all the same)."""
        d = self.discounts
        return d is not None and any(x != d[0] for x in d)

    @property
    def discount(self) -> float | None:
        """The discount factor every player shares (None without discounting). When each
        player has its own, a :class:`ScenarioError` naming ``horizon.discount``: what asks for
        one discount factor must not silently use one player's for another's."""
        if self.discounts is None:
            return None
        if self.own_discounts:
            raise ScenarioError(
                f"this analysis takes one discount factor for every player, but the players "
                f"have their own ({self.discount_text()}); set one for all, e.g. --set "
                f"horizon.discount={max(self.discounts):g}",
                file=self.source,
                key="horizon.discount",
            )
        return self.discounts[0]

    def discount_of(self, player: int | str) -> float | None:
        """Player ``player``'s (index or name) discount factor (None without discounting)."""
        if self.discounts is None:
            return None
        i = player if isinstance(player, int) else self.game.player_index(player)
        return self.discounts[i]

    def discount_text(self) -> str:
        """The discount factors in words: one number, or each player's."""
        if self.discounts is None:
            return "none"
        if not self.own_discounts:
            return f"{self.discounts[0]:g}"
        return ", ".join(f"{p} {d:g}" for p, d in zip(self.players, self.discounts, strict=True))

    def with_horizon(self, *, discount: Any, rounds: int | None) -> Setting:
        """The same setting with another horizon (the compiled automata are shared):
        ``discount`` one number for every player, one per player (a sequence in player order),
        or None."""
        return replace(
            self,
            discounts=_per_player(discount, self.players),
            rounds=rounds,
            _compiled=self._compiled,
        )

    def with_payoffs(self, payoffs) -> Setting:
        """The same setting with another payoff tensor (of the same shape)."""
        return replace(self, game=self.game.with_payoffs(payoffs), _compiled={})

    # -- strategies ------------------------------------------------------------------------

    def parse(self, spec: Any, key: str) -> Strategy:
        """A strategy from a spec (a name, ``always:<action>``, a table with parameters, one of
        the scenario's automata, or a :class:`~recip.strategies.Strategy`)."""
        return parse(spec, dict(self.automata), key=key)

    def profile(self, chosen: Mapping[str, Any] | None = None) -> tuple[Strategy, ...]:
        """Every player's strategy: ``chosen`` first, then the scenario's ``[strategies]``.

        A player that never acts needs no strategy (it passes); any other player without one is
        an error naming the missing key.
        """
        if chosen is not None and not isinstance(chosen, Mapping):
            raise ScenarioError(
                f"a profile maps players to strategies, e.g. {{'{self.players[0]}': "
                f"'aligning'}}; got {_short(chosen)}",
                key="profile",
            )
        picked: dict[str, Strategy] = {}
        for player, spec in (chosen or {}).items():
            self.check_player(player, f"profile.{player}")
            picked[player] = self.parse(spec, f"profile.{player}")
        out = []
        for i, player in enumerate(self.players):
            if player in picked:
                out.append(picked[player])
            elif self.strategies[i] is not None:
                out.append(self.strategies[i])
            elif not self.acting(player):
                out.append(parse("balancing"))
            else:
                raise ScenarioError(
                    f"no strategy for {player}: add it to [strategies] (e.g. {player} = "
                    f'"aligning"), to the profile, or on the command line with --set '
                    f"strategies.{player}=aligning",
                    file=self.source,
                    key=f"strategies.{player}",
                )
        return tuple(out)

    def compile(self, player: int, strategy: Strategy) -> Automaton:
        """``strategy`` compiled for player ``player`` (cached: compiled once per setting)."""
        key = (player, strategy.identity)
        automaton = self._compiled.get(key)
        if automaton is None:
            try:
                automaton = compile_for(self.game, self.players[player], strategy)
            except ScenarioError as exc:
                raise exc.located(self.source) from None
            self._compiled[key] = automaton
        return automaton

    def compile_profile(self, strategies: Sequence[Strategy]) -> tuple[Automaton, ...]:
        return tuple(self.compile(i, s) for i, s in enumerate(strategies))

    def policy_list(self, policies: Sequence[Any] | None = None) -> tuple[list[Strategy], str]:
        """The focal player's policies, parsed: ``policies`` if given, else the scenario's
        (``[compare]``, else balancing and aligning); and the key that names them."""
        if policies is None:
            where = "compare.policies" if self.policies_given else "policies"
            specs = list(self.policies)
        else:
            where = "policies"
            if isinstance(policies, str | Mapping) or not isinstance(policies, Sequence):
                raise ScenarioError(
                    f"policies are a list of strategies, e.g. ['balancing', 'aligning']; got "
                    f"{_short(policies)}",
                    key="policies",
                )
            specs = list(policies)
        if not specs:
            raise ScenarioError("give at least one policy to compare", key=where)
        try:
            parsed = [self.parse(p, f"{where}[{k}]") for k, p in enumerate(specs)]
        except ScenarioError as exc:
            raise (exc.located(self.source) if where.startswith("compare") else exc) from None
        return parsed, where

    def candidate_specs(self, player: str) -> tuple[list[Any], bool]:
        """A player's meta-game candidates when none are given: the scenario's ``[meta]`` entry
        (``given`` is then true), else its own strategy (if any), balancing, aligning, myopic
        and every constant action (``always:<action>``, for each action it has wherever it
        acts)."""
        if player in self.candidates:
            return list(self.candidates[player]), True
        i = self.game.player_index(player)
        own = self.strategies[i]
        acting = [s for s in range(self.game.n_states) if self.game.acts[s, i]]
        common: list[str] = []
        if acting:
            common = [
                a
                for a in self.game.actions[acting[0]][i]
                if all(a in self.game.actions[s][i] for s in acting)
            ]
        constant = [f"always:{a}" for a in common]
        return [*([own] if own is not None else []), *DEFAULT_CANDIDATES, *constant], False

    # -- the sentence of assumptions -------------------------------------------------------

    def conditions(
        self,
        strategies: Sequence[Strategy] | None = None,
        *,
        focal: str | None = None,
        limit_of_means: bool = False,
        infinite: bool = False,
        discount: Any = None,
        discount_varies: bool = False,
        weighted_by: str | None = None,
    ) -> Conditions:
        """The :class:`Conditions` of an answer about this setting: the horizon (``discount``,
        one number or one per player, overrides the setting's; ``infinite`` for equilibria of
        the infinitely repeated game), noise, history and, with ``focal``, the other acting
        players' strategies. When the players' discount factors differ, each is stated, and
        ``weighted_by`` names the player whose discount factor weights the reported
        frequencies."""
        rounds = None if (limit_of_means or infinite) else self.rounds
        own = self.discounts if discount is None else _per_player(discount, self.players)
        if limit_of_means:
            own = None
        each: tuple[tuple[str, float], ...] = ()
        disc = None if own is None else own[0]
        if own is not None and any(d != own[0] for d in own):
            each = tuple(zip(self.players, own, strict=True))
        others: tuple[tuple[str, str], ...] = ()
        if focal is not None and strategies is not None:
            others = tuple(
                (p, s.stated_label)
                for p, s in zip(self.players, strategies, strict=True)
                if p != focal and self.acting(p)
            )
        return Conditions(
            criterion=criterion(disc, rounds, limit_of_means),
            discount=None if each else disc,
            rounds=rounds,
            noise=tuple(zip(self.players, self.noise, strict=True)),
            history=self.history,
            others=others,
            infinite=infinite,
            discount_varies=discount_varies,
            discounts=each,
            weighted_by=weighted_by if each else None,
        )

    # -- construction ----------------------------------------------------------------------

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Setting:
        """The setting of a loaded scenario (cached: one per scenario object)."""
        cached = _SETTINGS.get(scenario)
        if cached is not None:
            return cached
        spec = scenario.spec
        strategies = tuple(
            parse(spec.strategies[p], dict(spec.automata), key=f"strategies.{p}")
            if p in spec.strategies
            else None
            for p in spec.players
        )
        policies = spec.policies if spec.policies is not None else DEFAULT_POLICIES
        setting = cls(
            game=scenario.game,
            discounts=_per_player(spec.discount, spec.players),
            rounds=spec.rounds,
            noise=tuple(float(spec.noise[p]) for p in spec.players),
            strategies=strategies,
            automata=dict(spec.automata),
            focal=spec.focal,
            policies=tuple(policies),
            policies_given=spec.policies is not None,
            candidates={p: tuple(c) for p, c in spec.meta_candidates.items()},
            origin=Origin(
                name=scenario.name,
                title=scenario.title,
                source=scenario.source,
                hash=scenario.hash,
                claims=scenario.claim_map.citation() if scenario.claim_map else None,
                overrides=tuple(scenario.overrides),
            ),
            player_labels=dict(spec.player_labels),
            state_labels={s.name: s.label for s in spec.states},
        )
        _SETTINGS[scenario] = setting
        return setting


_SETTINGS: weakref.WeakKeyDictionary[Scenario, Setting] = weakref.WeakKeyDictionary()

#: What every question accepts as its scenario (see :func:`as_setting`).
ScenarioLike = Setting | Scenario | str | Path


def _per_player(discount: Any, players: Sequence[str]) -> tuple[float, ...] | None:
    """Each player's discount factor from one number, a mapping player -> number or a sequence
    in player order (None stays None)."""
    if discount is None:
        return None
    if isinstance(discount, Mapping):
        return tuple(float(discount[p]) for p in players)
    if isinstance(discount, Sequence):
        if len(discount) != len(players):
            raise ScenarioError(
                f"give one discount factor per player ({len(players)}), not {len(discount)}",
                key="horizon.discount",
            )
        return tuple(float(d) for d in discount)
    return (float(discount),) * len(players)


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def as_setting(scenario: ScenarioLike) -> Setting:
    """A :class:`Setting` from a setting, a :class:`~recip.Scenario`, a bundled scenario's
    name, a path, or TOML text; anything else is a :class:`ScenarioError`."""
    if isinstance(scenario, Setting):
        return scenario
    if isinstance(scenario, Scenario):
        return Setting.from_scenario(scenario)
    if isinstance(scenario, str | Path):
        return Setting.from_scenario(load_scenario(scenario))
    raise ScenarioError(
        "expected a scenario: a recip.Scenario, a bundled scenario's name or a file path; got "
        f"{type(scenario).__name__} {_short(scenario)}",
        key="scenario",
    )
