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
from .schema import ScenarioFile, UncertainValue

#: Largest number of joint actions in one world state (product of the active players' actions).
MAX_JOINT_ACTIONS = 65_536
#: Largest number of payoff entries (states x joint actions x players) a game may hold.
MAX_PAYOFF_ENTRIES = 5_000_000
PROBABILITY_TOLERANCE = 1e-9
RESERVED_STATE_KEYS = ("default",)


@dataclass(frozen=True)
class StateSpec:
    name: str
    label: str
    actions: dict[str, dict[str, dict[str, int]]]  # player -> action -> other player -> stance
    probability: float | None


@dataclass(frozen=True)
class TermSpec:
    key: str
    id: str | None
    states: tuple[str, ...]
    when: dict[str, tuple[str, ...]]
    values: dict[str, float | UncertainValue]
    claims: tuple[str, ...]
    note: str | None


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
    discount: float | None
    rounds: int | None
    noise: dict[str, float]
    strategies: dict[str, Any]
    automata: dict[str, Any]
    focal: str
    policies: tuple[Any, ...] | None
    claims_ref: str | None
    meta_candidates: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    claim_ids: frozenset[str] = field(default_factory=frozenset)


def _need(name: str, valid, key: str, what: str) -> None:
    if name not in valid:
        raise ScenarioError(f"unknown {what} '{name}'; {suggest(name, valid)}", key=key)


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
    if not model.states:
        raise ScenarioError("a scenario needs at least one world state", key="states")

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
    total_joint = sum(math.prod(len(a) for a in s.actions.values()) for s in states)
    if total_joint * len(players) > MAX_PAYOFF_ENTRIES:
        raise ScenarioError(
            f"the game has {total_joint * len(players)} payoff entries; recip's limit is "
            f"{MAX_PAYOFF_ENTRIES}",
            key="states",
        )

    transition, start, markov = _nature(model, states, state_names)
    history = _history(model, by_name, players)
    terms = _terms(model, by_name, players, state_names)
    tables = _tables(model, by_name, players)

    hz = model.horizon
    if hz.rounds is not None and hz.rounds <= 0:
        raise ScenarioError(f"rounds must be at least 1, not {hz.rounds}", key="horizon.rounds")
    if hz.discount is None and hz.rounds is None:
        raise ScenarioError(
            "give a discount factor in [0, 1) (e.g. discount = 0.9), a number of rounds, or both",
            key="horizon",
        )
    if hz.discount is not None and hz.discount >= 1.0 and hz.rounds is None:
        raise ScenarioError(
            f"discount must be in [0, 1) when no finite number of rounds is given (got "
            f"{hz.discount}); lower it or set horizon.rounds",
            key="horizon.discount",
        )

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
        terms=terms,
        tables=tables,
        discount=hz.discount,
        rounds=hz.rounds,
        noise=noise,
        strategies=dict(model.strategies),
        automata=dict(model.automata),
        focal=focal,
        policies=policies,
        claims_ref=model.claims,
        meta_candidates={p: tuple(c) for p, c in model.meta.candidates.items()},
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


def _terms(model, by_name, players, names):
    out = []
    ids: set[str] = set()
    for t, term in enumerate(model.payoffs):
        key = f"payoffs[{t}]"
        if term.id is not None:
            if term.id in ids:
                raise ScenarioError(f"payoff term id '{term.id}' is used twice", key=f"{key}.id")
            ids.add(term.id)
        if term.state is None:
            tstates = names
        elif isinstance(term.state, str):
            tstates = (term.state,)
        else:
            tstates = tuple(term.state)
            if not tstates:
                raise ScenarioError("list at least one state", key=f"{key}.state")
        for s in tstates:
            _need(s, names, f"{key}.state", "state")
        when: dict[str, tuple[str, ...]] = {}
        for player, acts in term.when.items():
            _need(player, players, f"{key}.when.{player}", "player")
            acts_t = (acts,) if isinstance(acts, str) else tuple(acts)
            for s in tstates:
                if player not in by_name[s].actions:
                    raise ScenarioError(
                        f"{player} does not act in state '{s}', so 'when' cannot name its action",
                        key=f"{key}.when.{player}",
                    )
                for a in acts_t:
                    _need(a, by_name[s].actions[player], f"{key}.when.{player}", "action")
            when[player] = acts_t
        values = dict(term.model_extra or {})
        for player in values:
            if player not in players:
                valid = [*players, "id", "state", "when", "claims", "note"]
                raise ScenarioError(
                    f"unknown key or player '{player}'; {suggest(player, valid)}",
                    key=f"{key}.{player}",
                )
        if not values:
            raise ScenarioError("a payoff term gives a value to at least one player", key=key)
        out.append(TermSpec(key, term.id, tstates, when, values, tuple(term.claims), term.note))
    return tuple(out)


def _tables(model, by_name, players):
    out: dict[str, dict[str, np.ndarray]] = {}
    for sname, per_player in model.tables.items():
        key = f"tables.{sname}"
        _need(sname, by_name, key, "state")
        st = by_name[sname]
        active = [p for p in players if p in st.actions]
        shape = tuple(len(st.actions[p]) for p in active)
        out[sname] = {}
        for player, nested in per_player.items():
            pkey = f"{key}.{player}"
            _need(player, players, pkey, "player")
            arr = _nested(nested, shape, pkey, active, st)
            out[sname][player] = arr
    return out


def _nested(nested: Any, shape: tuple[int, ...], key: str, active, st) -> np.ndarray:
    dims = " x ".join(f"{len(st.actions[p])} ({p}: {', '.join(st.actions[p])})" for p in active)
    flat: list[Any] = []

    def walk(node: Any, depth: int, where: str) -> None:
        if depth == len(shape):
            if isinstance(node, list):
                raise ScenarioError(f"the table nests too deeply; it should be {dims}", key=where)
            if isinstance(node, dict):
                try:
                    node = UncertainValue(**node)
                except Exception as exc:  # re-raised as a one-line scenario error
                    raise ScenarioError(f"not a valid uncertain value: {exc}", key=where) from None
            elif isinstance(node, bool) or not isinstance(node, int | float):
                raise ScenarioError(f"must be a number, not {node!r}", key=where)
            elif not math.isfinite(node):
                raise ScenarioError(f"must be a finite number, not {node!r}", key=where)
            flat.append(node)
            return
        if not isinstance(node, list) or len(node) != shape[depth]:
            got = len(node) if isinstance(node, list) else "a single value"
            raise ScenarioError(
                f"incomplete payoff table: expected {shape[depth]} entries at this level "
                f"(got {got}); the table should be {dims}",
                key=where,
            )
        for i, child in enumerate(node):
            walk(child, depth + 1, f"{where}[{i}]")

    walk(nested, 0, key)
    arr = np.empty(len(flat), dtype=object)
    arr[:] = flat
    return arr.reshape(shape) if shape else arr.reshape(())


def _noise(model, players):
    ex = model.noise.execution
    if isinstance(ex, dict):
        for p in ex:
            _need(p, players, f"noise.execution.{p}", "player")
        return {p: float(ex.get(p, 0.0)) for p in players}
    return {p: float(ex) for p in players}
