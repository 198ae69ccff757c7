"""Cross-reference checks of a scenario file, after its structure has been validated.

Every name used anywhere must be declared (with a close-match suggestion when it is not),
probabilities must add up, tables must be complete and the game must fit recip's documented
limits. The result is a :class:`Spec`: the scenario with every name resolved and every default
filled in, in the order the file declares things.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.errors import ScenarioError
from ..core.limits import (
    MAX_JOINT_ACTIONS,
    MAX_PAYOFF_ENTRIES,
    MAX_PLAYERS,
    MAX_STANCE_ENTRIES,
    MAX_WORLD_STATES,
)
from ..core.params import Param
from .inputs import alternatives, inputs, nominal, strategy_inputs
from .nature_spec import RuleSpec, nature
from .nature_spec import history as history_of
from .nature_spec import rules as rules_of
from .payoff_spec import TermSpec, declared_unpaid, need, tables, terms
from .schema import ScenarioFile

RESERVED_STATE_KEYS = ("default",)


@dataclass(frozen=True)
class StateSpec:
    name: str
    label: str
    actions: dict[str, dict[str, dict[str, int]]]  # player -> action -> other player -> stance
    probability: float | None


@dataclass(frozen=True)
class Spec:
    title: str
    description: str | None
    players: tuple[str, ...]
    player_labels: dict[str, str]
    states: tuple[StateSpec, ...]
    transition: np.ndarray
    start: np.ndarray
    markov: bool
    history: tuple[tuple[str, dict[str, str], str | None], ...]
    terms: tuple[TermSpec, ...]
    tables: dict[str, dict[str, np.ndarray]]  # state -> player -> object array of values
    #: The nominal discount factor: one number for every player, each player's (a table in
    #: player order), or None (a finite horizon without discounting).
    discount: float | dict[str, float] | None
    rounds: int | None
    noise: dict[str, float]
    strategies: dict[str, Any]
    automata: dict[str, Any]
    focal: str
    policies: tuple[Any, ...] | None
    claims_ref: str | None
    meta_candidates: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    claim_ids: frozenset[str] = field(default_factory=frozenset)
    #: Players declared to receive no payoff (``[players.<p>] payoffs = "none"``).
    unpaid: frozenset[str] = field(default_factory=frozenset)
    #: Uncertain inputs other than payoffs: discount, noise rates, strategy parameters.
    inputs: tuple[Param, ...] = ()
    #: Per player, structural alternatives: ``(strategy spec, weight)`` pairs.
    alternatives: dict[str, tuple[tuple[Any, float], ...]] = field(default_factory=dict)
    #: ``[[nature.after]]``: where the round's joint action sets the next state's law.
    rules: tuple[RuleSpec, ...] = ()
    #: Whether the file says where the analysed rounds start (``nature.start``).
    start_given: bool = True
    #: Per player, the chance of misreading each other player's action (``noise.observation``).
    observation: dict[str, float] = field(default_factory=dict)


def check(model: ScenarioFile) -> Spec:
    """Resolve and check every cross-reference of a validated scenario file."""
    if isinstance(model.players, list):
        players = tuple(model.players)
        seen: set[str] = set()
        for i, p in enumerate(players):
            if p in seen:
                raise ScenarioError(f"player '{p}' is listed twice", key=f"players[{i}]")
            seen.add(p)
        labels = {p: p for p in players}
    else:
        players = tuple(model.players)
        labels = {p: (v.label or p) for p, v in model.players.items()}
    if not players:
        raise ScenarioError("a scenario needs at least one player", key="players")
    if len(players) > MAX_PLAYERS:
        raise ScenarioError(
            f"{len(players)} players; recip's limit is {MAX_PLAYERS} (MAX_PLAYERS)", key="players"
        )
    if not model.states:
        raise ScenarioError("a scenario needs at least one world state", key="states")
    if len(model.states) > MAX_WORLD_STATES:
        raise ScenarioError(
            f"{len(model.states)} world states; recip's limit is {MAX_WORLD_STATES} "
            "(MAX_WORLD_STATES): merge states that play alike",
            key="states",
        )

    states = []
    for sname, st in model.states.items():
        if sname in RESERVED_STATE_KEYS:
            raise ScenarioError(f"'{sname}' is reserved; choose another state name", key="states")
        if sname in players:
            raise ScenarioError(
                f"state '{sname}' has the same name as a player; names must be distinct",
                key=f"states.{sname}",
            )
        joint = 1
        for player, acts in st.actions.items():
            key = f"states.{sname}.actions.{player}"
            need(player, players, key, "player")
            if not acts:
                raise ScenarioError(
                    f"{player} has an empty action list in state '{sname}'; list at least one "
                    "action, or leave the player out so that it passes",
                    key=key,
                )
            for action, stances in acts.items():
                for other in stances:
                    need(other, players, f"{key}.{action}.{other}", "player")
                    if other == player:
                        raise ScenarioError(
                            "a stance is toward another player, not oneself",
                            key=f"{key}.{action}.{other}",
                        )
            joint *= len(acts)
        if joint > MAX_JOINT_ACTIONS:
            raise ScenarioError(
                f"state '{sname}' has {joint} joint actions; recip's limit is "
                f"{MAX_JOINT_ACTIONS} (fewer players or actions in this state)",
                key=f"states.{sname}.actions",
            )
        ordered = {
            p: {a: dict(s) for a, s in st.actions[p].items()} for p in players if p in st.actions
        }
        states.append(StateSpec(sname, st.label or sname, ordered, st.probability))
    state_names = tuple(s.name for s in states)
    by_name = {s.name: s for s in states}
    _check_sizes(states, players)

    transition, start, markov = nature(model, states, state_names)
    history = history_of(model, by_name, players)
    rules = rules_of(model, by_name, players, state_names)
    spec_terms = terms(model, by_name, players, state_names)
    spec_tables = tables(model, by_name, players)
    unpaid = declared_unpaid(model, spec_terms, spec_tables)

    hz = model.horizon
    if hz.rounds is not None and hz.rounds <= 0:
        raise ScenarioError(f"rounds must be at least 1, not {hz.rounds}", key="horizon.rounds")
    discount = _discount(model, players)

    noise = _noise(model, players)
    observation = _noise(model, players, "observation")
    for player in model.strategies:
        need(player, players, f"strategies.{player}", "player")
    for name in model.automata:
        if name in players or name in state_names:
            raise ScenarioError(
                f"automaton '{name}' shares its name with a player or state", key=f"automata.{name}"
            )
    # the focal player of comparisons: [compare] focal, else the first player
    focal = model.compare.focal
    if focal is not None:
        need(focal, players, "compare.focal", "player")
    else:
        focal = players[0]
    policies = tuple(model.compare.policies) if model.compare.policies is not None else None
    if policies is not None and not policies:
        raise ScenarioError("list at least one policy to compare", key="compare.policies")

    for player, cands in model.meta.candidates.items():
        need(player, players, f"meta.candidates.{player}", "player")
        if not cands:
            raise ScenarioError(
                "list at least one candidate strategy", key=f"meta.candidates.{player}"
            )

    return Spec(
        title=model.title,
        description=model.description,
        players=players,
        player_labels=labels,
        states=tuple(states),
        transition=transition,
        start=start,
        markov=markov,
        history=history,
        terms=spec_terms,
        tables=spec_tables,
        discount=discount,
        rounds=hz.rounds,
        noise=noise,
        observation=observation,
        strategies=strategy_inputs(dict(model.strategies))[0],
        automata=dict(model.automata),
        focal=focal,
        policies=policies,
        claims_ref=model.claims,
        meta_candidates={p: tuple(c) for p, c in model.meta.candidates.items()},
        unpaid=unpaid,
        inputs=inputs(model, players),
        alternatives=alternatives(model, players),
        rules=rules,
        start_given=model.nature is not None and model.nature.start is not None,
    )


def _check_sizes(states: list[StateSpec], players: tuple[str, ...]) -> None:
    """Refuse a game whose arrays would be too large, from their shapes, before any is made:
    the payoff tensor (states x the largest state's joint actions x players: every state is
    padded to the largest) and the stance tensor (states x players x most actions x players)."""
    n, S = len(players), len(states)
    most_joint = max(math.prod(len(a) for a in s.actions.values()) for s in states)
    most_actions = max((len(a) for s in states for a in s.actions.values()), default=1)
    if S * most_joint * n > MAX_PAYOFF_ENTRIES:
        raise ScenarioError(
            f"the game's payoff tensor would have {S * most_joint * n:,} entries ({S} states x "
            f"{most_joint} joint actions in the largest state x {n} players); recip's limit is "
            f"{MAX_PAYOFF_ENTRIES:,} (MAX_PAYOFF_ENTRIES): fewer states, players or actions",
            key="states",
        )
    if S * n * most_actions * n > MAX_STANCE_ENTRIES:
        raise ScenarioError(
            f"the game's stance table would have {S * n * most_actions * n:,} entries ({S} "
            f"states x {n} players x {most_actions} actions x {n} players); recip's limit is "
            f"{MAX_STANCE_ENTRIES:,} (MAX_STANCE_ENTRIES): fewer states, players or actions",
            key="states",
        )


def _discount(model, players) -> float | dict[str, float] | None:
    """The nominal discount factor: one number, or each player's (a table that lists every
    player), each in [0, 1) unless the number of rounds is finite."""
    hz = model.horizon
    if hz.discount is None:
        if hz.rounds is None:
            raise ScenarioError(
                "give a discount factor in [0, 1) (e.g. discount = 0.9), a number of rounds, or "
                "both",
                key="horizon",
            )
        return None
    if isinstance(hz.discount, dict):
        for p in hz.discount:
            need(p, players, f"horizon.discount.{p}", "player")
        missing = [p for p in players if p not in hz.discount]
        if missing:
            raise ScenarioError(
                f"a table of discount factors lists every player; it has none for "
                f"{', '.join(missing)} (players: {', '.join(players)}); or write one number for "
                "all (discount = 0.9)",
                key="horizon.discount",
            )
        values = {p: nominal(hz.discount[p]) for p in players}
        where = {p: f"horizon.discount.{p}" for p in players}
    else:
        values = {None: nominal(hz.discount)}
        where = {None: "horizon.discount"}
    for p, d in values.items():
        if d >= 1.0 and hz.rounds is None:
            raise ScenarioError(
                f"discount must be in [0, 1) when no finite number of rounds is given (got "
                f"{d}); lower it or set horizon.rounds",
                key=where[p],
            )
    return values.get(None, values)


def _noise(model, players, kind: str = "execution"):
    """Each player's nominal rate of ``noise.<kind>`` (``execution`` or ``observation``)."""
    ex = getattr(model.noise, kind)
    if isinstance(ex, dict):
        for p in ex:
            need(p, players, f"noise.{kind}.{p}", "player")
        return {p: nominal(ex.get(p, 0.0)) for p in players}
    return {p: nominal(ex) for p in players}
