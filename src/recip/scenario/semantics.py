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

from ..core.errors import ScenarioError, suggest
from ..core.limits import (
    MAX_JOINT_ACTIONS,
    MAX_PAYOFF_ENTRIES,
    MAX_PLAYERS,
    MAX_STANCE_ENTRIES,
    MAX_WORLD_STATES,
)
from ..core.params import Param
from ..core.text import echo
from .inputs import alternatives, inputs, nominal, strategy_inputs
from .payoff_spec import TermSpec, declared_unpaid, scope, tables, terms
from .schema import ScenarioFile

PROBABILITY_TOLERANCE = 1e-9
RESERVED_STATE_KEYS = ("default",)


@dataclass(frozen=True)
class StateSpec:
    name: str
    label: str
    actions: dict[str, dict[str, dict[str, int]]]  # player -> action -> other player -> stance
    probability: float | None


@dataclass(frozen=True)
class RuleSpec:
    """One ``[[nature.after]]`` rule: in ``states``, after a joint action matching ``when``,
    the next world state is drawn from ``next`` (a law over the states, in their order)."""

    key: str
    states: tuple[str, ...]
    when: dict[str, tuple[str, ...]]
    next: np.ndarray
    claims: tuple[str, ...]
    note: str | None
    names: tuple[str, ...] = ()  # every world state, in order

    @property
    def next_named(self) -> dict[str, float]:
        """The next state's law by state name (positive chances only)."""
        return {s: float(p) for s, p in zip(self.names, self.next, strict=True) if p > 0}


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


def _need(name: str, valid, key: str, what: str) -> None:
    if name not in valid:
        raise ScenarioError(f"unknown {what} {echo(name)}; {suggest(name, valid)}", key=key)


def _check_prob_sum(total: float, key: str, what: str) -> None:
    if abs(total - 1.0) > PROBABILITY_TOLERANCE:
        raise ScenarioError(f"{what} add up to {total:.6g}, not 1", key=key)


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
            _need(player, players, key, "player")
            if not acts:
                raise ScenarioError(
                    f"{player} has an empty action list in state '{sname}'; list at least one "
                    "action, or leave the player out so that it passes",
                    key=key,
                )
            for action, stances in acts.items():
                for other in stances:
                    _need(other, players, f"{key}.{action}.{other}", "player")
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

    transition, start, markov = _nature(model, states, state_names)
    history = _history(model, by_name, players)
    rules = _rules(model, by_name, players, state_names)
    spec_terms = terms(model, by_name, players, state_names)
    spec_tables = tables(model, by_name, players)
    unpaid = declared_unpaid(model, spec_terms, spec_tables)

    hz = model.horizon
    if hz.rounds is not None and hz.rounds <= 0:
        raise ScenarioError(f"rounds must be at least 1, not {hz.rounds}", key="horizon.rounds")
    discount = _discount(model, players)

    noise = _noise(model, players)
    for player in model.strategies:
        _need(player, players, f"strategies.{player}", "player")
    for name in model.automata:
        if name in players or name in state_names:
            raise ScenarioError(
                f"automaton '{name}' shares its name with a player or state", key=f"automata.{name}"
            )
    # the focal player of comparisons: [compare] focal, else the first player
    focal = model.compare.focal
    if focal is not None:
        _need(focal, players, "compare.focal", "player")
    else:
        focal = players[0]
    policies = tuple(model.compare.policies) if model.compare.policies is not None else None
    if policies is not None and not policies:
        raise ScenarioError("list at least one policy to compare", key="compare.policies")

    for player, cands in model.meta.candidates.items():
        _need(player, players, f"meta.candidates.{player}", "player")
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


def _nature(model, states, names):
    n = len(names)
    nature = model.nature
    markov = nature is not None and nature.transitions is not None
    if markov:
        for s in states:
            if s.probability is not None:
                raise ScenarioError(
                    "a state's probability is for i.i.d. nature; with [nature.transitions] "
                    "remove it",
                    key=f"states.{s.name}.probability",
                )
        matrix = np.zeros((n, n))
        for sname in names:
            if sname not in nature.transitions:
                raise ScenarioError(
                    f"no transition row for state '{sname}'", key=f"nature.transitions.{sname}"
                )
        for sname, row in nature.transitions.items():
            key = f"nature.transitions.{sname}"
            _need(sname, names, key, "state")
            for target, p in row.items():
                _need(target, names, f"{key}.{target}", "state")
                matrix[names.index(sname), names.index(target)] = p
            _check_prob_sum(float(sum(row.values())), key, "the transition chances")
        iid = None
    else:
        probs = [s.probability for s in states]
        if n == 1 and probs[0] is None:
            probs = [1.0]
        missing = [s.name for s, p in zip(states, probs, strict=True) if p is None]
        if missing:
            raise ScenarioError(
                "every state needs a probability when nature is i.i.d. (or give "
                "[nature.transitions])",
                key=f"states.{missing[0]}.probability",
            )
        _check_prob_sum(float(sum(probs)), "states", "the state probabilities")
        iid = np.asarray(probs, dtype=float)
        matrix = np.tile(iid, (n, 1))
    start = None
    if nature is not None and nature.start is not None:
        if isinstance(nature.start, str):
            _need(nature.start, names, "nature.start", "state")
            start = np.zeros(n)
            start[names.index(nature.start)] = 1.0
        else:
            start = np.zeros(n)
            for sname, p in nature.start.items():
                _need(sname, names, f"nature.start.{sname}", "state")
                start[names.index(sname)] = p
            _check_prob_sum(float(start.sum()), "nature.start", "the start chances")
    if start is None:
        if iid is not None:
            start = iid.copy()
        elif not model.history:
            raise ScenarioError(
                "with Markov nature, say where it starts: nature.start = a state or a table of "
                "chances",
                key="nature.start",
            )
    if start is None:  # Markov nature after scripted history: continue from its last state
        start = matrix[names.index(model.history[-1].state)].copy()
    return matrix, start, markov


def _rules(model, by_name, players, names) -> tuple[RuleSpec, ...]:
    if model.nature is None:
        return ()
    out = []
    for r, rule in enumerate(model.nature.after):
        key = f"nature.after[{r}]"
        states, when = scope(key, rule.state, rule.when, by_name, players, names)
        law = np.zeros(len(names))
        for target, p in rule.next.items():
            _need(target, names, f"{key}.next.{target}", "state")
            law[names.index(target)] = p
        if not rule.next:
            raise ScenarioError("give the chance of at least one next state", key=f"{key}.next")
        _check_prob_sum(float(law.sum()), f"{key}.next", "the next state's chances")
        out.append(RuleSpec(key, states, when, law, tuple(rule.claims), rule.note, tuple(names)))
    return tuple(out)


def _history(model, by_name, players):
    out = []
    for r, rnd in enumerate(model.history):
        key = f"history[{r}]"
        _need(rnd.state, by_name, f"{key}.state", "state")
        st = by_name[rnd.state]
        for player, action in rnd.actions.items():
            _need(player, players, f"{key}.actions.{player}", "player")
            if player not in st.actions:
                raise ScenarioError(
                    f"{player} does not act in state '{rnd.state}'",
                    key=f"{key}.actions.{player}",
                )
            _need(action, st.actions[player], f"{key}.actions.{player}", "action")
        for player in st.actions:
            if player not in rnd.actions:
                raise ScenarioError(
                    f"{player} acts in state '{rnd.state}': say which action it took "
                    f"({', '.join(st.actions[player])})",
                    key=f"{key}.actions",
                )
        out.append((rnd.state, dict(rnd.actions), rnd.label))
    return tuple(out)


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
            _need(p, players, f"horizon.discount.{p}", "player")
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


def _noise(model, players):
    ex = model.noise.execution
    if isinstance(ex, dict):
        for p in ex:
            _need(p, players, f"noise.execution.{p}", "player")
        return {p: nominal(ex.get(p, 0.0)) for p in players}
    return {p: nominal(ex) for p in players}
