"""Payoff terms and tables of a scenario file, checked against the names the file declares.

A term is named by its ``id`` when it has one (``payoffs.oil_revenue``), else by its position
(``payoffs[3]``); a table entry by its state, player and positions (``tables.round.row[1][0]``),
as :mod:`recip.scenario.keys` prescribes for every message and override.

Every player should be paid by some term or table, unless ``[players.<p>] payoffs = "none"``
declares that it is paid nothing; and a player that acts in a state with a ``[tables.<state>]``
should have a table there unless a term pays it in that state. :func:`unpaid` reports both
(``recip validate`` shows them as errors), so that a forgotten payoff is not silently 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import ValidationError

from ..core.errors import ScenarioError, suggest
from ..core.limits import MAX_ABS_PAYOFF
from ..core.text import echo, kind_of
from .errors import from_validation_error
from .keys import format_key, item_names, parse_key
from .schema import ScenarioFile, UncertainValue


@dataclass(frozen=True)
class TermSpec:
    key: str
    id: str | None
    states: tuple[str, ...]
    when: dict[str, tuple[str, ...]]
    values: dict[str, float | UncertainValue]
    claims: tuple[str, ...]
    note: str | None


def need(name: str, valid, key: str, what: str) -> None:
    """Refuse ``name`` unless it is one of ``valid`` (one line naming ``key`` and the nearest
    valid names)."""
    if name not in valid:
        raise ScenarioError(f"unknown {what} {echo(name)}; {suggest(name, valid)}", key=key)


def term_keys(model: ScenarioFile) -> list[str]:
    """How messages and overrides name each payoff term: by id, else by position."""
    return [format_key(("payoffs", name)) for name in item_names(model.payoffs)]


def terms(model: ScenarioFile, by_name, players, names) -> tuple[TermSpec, ...]:
    out = []
    ids: set[str] = set()
    keys = term_keys(model)
    for t, term in enumerate(model.payoffs):
        key = keys[t]
        if term.id is not None:
            if term.id in ids:
                raise ScenarioError(
                    f"payoff term id {echo(term.id)} is used twice", key=f"payoffs[{t}].id"
                )
            ids.add(term.id)
        tstates, when = scope(key, term.state, term.when, by_name, players, names)
        values = dict(term.model_extra or {})
        for player in values:
            if player not in players:
                valid = [*players, "id", "state", "when", "claims", "note"]
                raise ScenarioError(
                    f"unknown key or player {echo(player)}; {suggest(player, valid)}",
                    key=f"{key}.{player}",
                )
        if not values:
            raise ScenarioError("a payoff term gives a value to at least one player", key=key)
        out.append(TermSpec(key, term.id, tstates, when, values, tuple(term.claims), term.note))
    return tuple(out)


def scope(key: str, state, when_in, by_name, players, names):
    """The states (all if ``state`` is None) and the partial joint action ``when`` of a term
    or rule written under ``key``, every name checked: each player named in ``when`` must act,
    with those actions, in every one of the states."""
    if state is None:
        tstates = tuple(names)
    elif isinstance(state, str):
        tstates = (state,)
    else:
        tstates = tuple(state)
        if not tstates:
            raise ScenarioError("list at least one state", key=f"{key}.state")
    for s in tstates:
        need(s, names, f"{key}.state", "state")
    when: dict[str, tuple[str, ...]] = {}
    for player, acts in when_in.items():
        need(player, players, f"{key}.when.{player}", "player")
        acts_t = (acts,) if isinstance(acts, str) else tuple(acts)
        if not acts_t:
            raise ScenarioError("list at least one action", key=f"{key}.when.{player}")
        for s in tstates:
            if player not in by_name[s].actions:
                raise ScenarioError(
                    f"{player} does not act in state '{s}', so 'when' cannot name its action",
                    key=f"{key}.when.{player}",
                )
            for a in acts_t:
                need(a, by_name[s].actions[player], f"{key}.when.{player}", "action")
        when[player] = acts_t
    return tstates, when


def tables(model: ScenarioFile, by_name, players) -> dict[str, dict[str, np.ndarray]]:
    out: dict[str, dict[str, np.ndarray]] = {}
    for sname, per_player in model.tables.items():
        key = f"tables.{sname}"
        need(sname, by_name, key, "state")
        st = by_name[sname]
        active = [p for p in players if p in st.actions]
        shape = tuple(len(st.actions[p]) for p in active)
        out[sname] = {}
        for player, nested in per_player.items():
            pkey = f"{key}.{player}"
            need(player, players, pkey, "player")
            out[sname][player] = _nested(nested, shape, pkey, active, st)
    return out


def _nested(nested: Any, shape: tuple[int, ...], key: str, active, st) -> np.ndarray:
    """The entries of one player's table in one state, checked, as an object array of
    ``shape`` (numbers and :class:`UncertainValue`), walked without recursion."""
    if shape:
        dims = " x ".join(f"{len(st.actions[p])} ({p}: {', '.join(st.actions[p])})" for p in active)
    else:
        dims = "a single number (nobody acts in this state)"
    flat: list[Any] = []
    stack: list[tuple[Any, int, str]] = [(nested, 0, key)]
    while stack:
        node, depth, where = stack.pop()
        if depth == len(shape):
            flat.append(_entry(node, where, dims))
            continue
        if not isinstance(node, list) or len(node) != shape[depth]:
            got = len(node) if isinstance(node, list) else "a single value"
            raise ScenarioError(
                f"incomplete payoff table: expected {shape[depth]} entries at this level "
                f"(got {got}); the table should be {dims}",
                key=where,
            )
        stack.extend(
            (child, depth + 1, f"{where}[{i}]") for i, child in reversed(list(enumerate(node)))
        )
    arr = np.empty(len(flat), dtype=object)
    arr[:] = flat
    return arr.reshape(shape)


def _entry(node: Any, where: str, dims: str) -> float | UncertainValue:
    if isinstance(node, UncertainValue):
        return node
    if isinstance(node, list):
        raise ScenarioError(f"the table nests too deeply; it should be {dims}", key=where)
    if isinstance(node, dict):
        try:
            return UncertainValue.model_validate(node)
        except ValidationError as exc:
            raise from_validation_error(
                exc, UncertainValue, None, node, prefix=parse_key(where)
            ) from None
    if isinstance(node, bool) or not isinstance(node, int | float):
        raise ScenarioError(f"must be a number, not {kind_of(node)}", key=where)
    if not math.isfinite(node) or abs(node) > MAX_ABS_PAYOFF:
        raise ScenarioError(
            f"must be a finite number within ±{MAX_ABS_PAYOFF:g} (MAX_ABS_PAYOFF), not "
            f"{echo(node)}",
            key=where,
        )
    return node


def declared_unpaid(model: ScenarioFile, spec_terms, spec_tables) -> frozenset[str]:
    """The players declared ``payoffs = "none"``, checked against the terms and tables: one
    that is declared unpaid and yet paid somewhere is an error."""
    if not isinstance(model.players, dict):
        return frozenset()
    declared = frozenset(p for p, v in model.players.items() if v.payoffs == "none")
    for p in declared:
        where = [t.key for t in spec_terms if p in t.values]
        where += [f"tables.{s}.{p}" for s, per_player in spec_tables.items() if p in per_player]
        if where:
            raise ScenarioError(
                f'{p} is declared to receive no payoff (payoffs = "none"), but {where[0]} pays '
                "it; remove one of the two",
                key=f"players.{p}.payoffs",
            )
    return declared


def unpaid(spec) -> list[ScenarioError]:
    """Players that would silently get 0 (see the module's docstring): one that no term or
    table pays, unless declared ``payoffs = "none"``; one that acts in a state whose
    ``[tables.<state>]`` has no table for it while no term pays it there."""
    found = []
    paid_in: dict[str, set[str]] = {p: set() for p in spec.players}
    for term in spec.terms:
        for p in term.values:
            paid_in[p].update(term.states)
    for sname, per_player in spec.tables.items():
        for p in per_player:
            paid_in[p].add(sname)
    for p in spec.players:
        if not paid_in[p] and p not in spec.unpaid:
            found.append(
                ScenarioError(
                    f"no payoff term or table pays {p}, so every outcome would be worth 0 to "
                    f"it; give it its payoffs, or declare that it has none: [players.{p}] "
                    'payoffs = "none"',
                    key=f"players.{p}",
                )
            )
    by_name = {s.name: s for s in spec.states}
    for sname, per_player in spec.tables.items():
        for p in spec.players:
            if p in by_name[sname].actions and p not in per_player and sname not in paid_in[p]:
                found.append(
                    ScenarioError(
                        f"{p} acts in state '{sname}' but has no table there and no payoff term "
                        f"pays it there, so its payoff would be 0 whatever happens; add "
                        f"tables.{sname}.{p} (all zeros if that is meant)",
                        key=f"tables.{sname}",
                    )
                )
    return found
