"""Shared builders for recip's tests: textbook games as plain scenario data.

Tests import the builders directly (``from conftest import pd_scenario``): they are plain
functions, usable inside hypothesis tests where function-scoped fixtures are not. One fixture
(``sindoor_report``) writes the bundled scenario's HTML report once per session.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import strategies as st

from recip.scenario.load import Scenario

#: The textbook prisoner's dilemma payoffs (R, S, T, P) and two other ones used throughout.
STANDARD = (3.0, 0.0, 5.0, 1.0)
DONATION = (2.0, -1.0, 3.0, 0.0)  # donation game b = 3, c = 1
SHIFTED = (10.0, -4.0, 11.5, 2.0)
PAYOFF_SETS = (STANDARD, DONATION, SHIFTED)

COOPERATE, DEFECT = 0, 1


def pd_data(
    R: float = 3.0,
    S: float = 0.0,
    T: float = 5.0,
    P: float = 1.0,
    *,
    discount: float | None = 0.9,
    rounds: int | None = None,
    noise: float | dict[str, float] = 0.0,
    strategies: dict[str, Any] | None = None,
    automata: dict[str, Any] | None = None,
    history: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A repeated prisoner's dilemma as scenario data: players ``row`` and ``col``, actions
    ``cooperate`` (+1 toward the other) and ``defect`` (-1), payoffs ``R, S, T, P``; players not
    named in ``strategies`` play ``aligning`` (tit-for-tat)."""
    horizon: dict[str, Any] = {}
    if discount is not None:
        horizon["discount"] = float(discount)
    if rounds is not None:
        horizon["rounds"] = int(rounds)
    data: dict[str, Any] = {
        "schema": 1,
        "title": "prisoner's dilemma",
        "players": ["row", "col"],
        "states": {
            "round": {
                "actions": {
                    "row": {"cooperate": {"col": 1}, "defect": {"col": -1}},
                    "col": {"cooperate": {"row": 1}, "defect": {"row": -1}},
                }
            }
        },
        "tables": {
            "round": {
                "row": [[float(R), float(S)], [float(T), float(P)]],
                "col": [[float(R), float(T)], [float(S), float(P)]],
            }
        },
        "horizon": horizon,
        "noise": {"execution": noise},
        "strategies": {"row": "aligning", "col": "aligning", **(strategies or {})},
    }
    if automata:
        data["automata"] = automata
    if history:
        data["history"] = history
    return data


def pd_scenario(*payoffs: float, **kw: Any) -> Scenario:
    """:func:`pd_data` loaded as a :class:`Scenario`."""
    return Scenario.from_dict(pd_data(*payoffs, **kw))


def script(moves: list[str], name: str = "script") -> dict[str, Any]:
    """A scenario automaton that plays ``moves`` in order, then repeats the last one."""
    memories = {}
    for t, move in enumerate(moves):
        nxt = f"t{min(t + 1, len(moves) - 1)}"
        memories[f"t{t}"] = {"play": move, "next": nxt}
    return {name: {"initial": "t0", "memories": memories}}


@st.composite
def pd_payoffs(draw) -> tuple[float, float, float, float]:
    """Prisoner's dilemma payoffs ``T > R > P > S`` (integers and halves, so gaps stay clear)."""
    values = draw(
        st.lists(
            st.integers(-20, 20).map(lambda v: v / 2), min_size=4, max_size=4, unique=True
        ).map(sorted)
    )
    S, P, R, T = values
    return R, S, T, P


def reactive_cooperation(p1: float, q1: float, p2: float, q2: float) -> tuple[float, float]:
    """Long-run cooperation rates of two reactive strategies ``(p, q)`` [Nowak-Sigmund1990]:
    ``c1 = (q1 + r1 q2) / (1 - r1 r2)`` with ``r = p - q``."""
    r1, r2 = p1 - q1, p2 - q2
    c1 = (q1 + r1 * q2) / (1 - r1 * r2)
    c2 = (q2 + r2 * q1) / (1 - r1 * r2)
    return c1, c2


def outcome_payoffs(R: float, S: float, T: float, P: float) -> np.ndarray:
    """Row's and col's payoffs at the outcomes CC, CD, DC, DD (row's move first), shape (4, 2)."""
    return np.array([[R, R], [S, T], [T, S], [P, P]], dtype=float)


# ----------------------------------------------------------------------------------------------
# Random valid scenarios

PLAYER_NAMES = ("ann", "bob", "cy")
STATE_NAMES = ("calm", "crisis", "war")
ACTION_NAMES = ("help", "wait", "harm")


def _split(draw, k: int) -> list[float]:
    """``k`` probabilities that add up to 1 (multiples of 1/8 keep sums exact)."""
    cuts = sorted(draw(st.lists(st.integers(0, 8), min_size=k - 1, max_size=k - 1)))
    edges = [0, *cuts, 8]
    return [(b - a) / 8 for a, b in itertools.pairwise(edges)]


def _value(draw):
    v = draw(st.integers(-6, 6)) / 2
    if draw(st.integers(0, 5)) == 0:
        return {"value": v, "low": v - 1.0, "high": v + 1.5}
    return v


def _fits_memory_one(structure, player, players) -> bool:
    opponent = None
    acting = False
    for actions in structure.values():
        if player not in actions:
            continue
        acting = True
        others = [p for p in players if p != player and p in actions]
        if len(others) != 1 or len(actions[player]) != 2 or len(actions[others[0]]) != 2:
            return False
        if opponent not in (None, others[0]):
            return False
        opponent = others[0]
    return acting


def _strategy(draw, player, players, structure, automata):
    acting_states = [s for s, acts in structure.items() if player in acts]
    options = ["balancing", "aligning", "always", "random", "myopic", "wsls", "automaton"]
    if _fits_memory_one(structure, player, players):
        options.append("memory-one")
    kind = draw(st.sampled_from(options))
    if kind == "aligning":
        spec: dict[str, Any] = {"name": "aligning"}
        if draw(st.booleans()):
            spec["initial"] = draw(st.sampled_from([-1, 0, 1]))
            spec["tolerance"] = draw(st.sampled_from([0.0, 0.5, 1.0]))
            spec["generosity"] = draw(st.sampled_from([0.0, 0.25]))
            spec["memory"] = draw(st.sampled_from(["last", "grim"]))
        return spec
    if kind == "always":
        return {
            "name": "always",
            "action": {
                s: draw(st.sampled_from(sorted(structure[s][player]))) for s in acting_states
            },
        }
    if kind == "wsls":
        if draw(st.booleans()):
            return {"name": "win-stay-lose-shift", "aspiration": draw(st.integers(-2, 2)) / 2}
        return "win-stay-lose-shift"
    if kind == "memory-one":
        p = [draw(st.sampled_from([0.0, 0.25, 0.8, 1.0])) for _ in range(4)]
        return {"name": "memory-one", "p": p, "initial": draw(st.sampled_from([0.0, 0.5, 1.0]))}
    if kind == "automaton":
        name = f"auto_{player}"
        automata[name] = _automaton(draw, player, players, structure)
        return name
    return kind


def _automaton(draw, player, players, structure):
    """Two memories; per-state plays (some mixed); rules on another player's action."""
    acting = [s for s, acts in structure.items() if player in acts]
    memories = {}
    for m in ("m0", "m1"):
        play: dict[str, Any] = {}
        for s in acting:
            actions = list(structure[s][player])
            if len(actions) > 1 and draw(st.booleans()):
                play[s] = {actions[0]: 0.5, actions[1]: 0.5}
            else:
                play[s] = draw(st.sampled_from(actions))
        rules = []
        watched = [(p, s) for s, acts in structure.items() for p in acts if p != player]
        if watched and draw(st.booleans()):
            other, s = draw(st.sampled_from(watched))
            rule = {"when": {other: draw(st.sampled_from(list(structure[s][other])))}}
            rule["to"] = draw(st.sampled_from(["m0", "m1"]))
            if draw(st.booleans()):
                rule["state"] = s
            rules.append(rule)
        memory: dict[str, Any] = {"play": play or {"default": "pass"}}
        if rules:
            memory["next"] = rules
        elif draw(st.booleans()):
            memory["next"] = "m1" if m == "m0" else "m0"
        memories[m] = memory
    return {"initial": "m0", "memories": memories}


@st.composite
def scenario_dicts(
    draw,
    *,
    max_players: int = 3,
    max_states: int = 3,
    max_actions: int = 3,
    discounts: tuple[float, ...] = (0.0, 0.5, 0.8, 0.9),
    max_rounds: int = 8,
    noise: tuple[float, ...] = (0.0, 0.05, 0.2),
    moves: bool = True,
) -> dict[str, Any]:
    """Random valid scenario data: 1-3 players, 1-3 states, random actions and stances, i.i.d.
    or Markov nature (with ``moves``, sometimes rules by which the actions move it: a stochastic
    game), optional scripted history, payoff terms and tables (some values
    uncertain), any horizon, noise, and a fitting library strategy (or automaton) per player."""
    n = draw(st.integers(1, max_players))
    players = list(PLAYER_NAMES[:n])
    n_states = draw(st.integers(1, max_states))
    states = list(STATE_NAMES[:n_states])
    structure: dict[str, dict[str, dict[str, dict[str, int]]]] = {}
    for s in states:
        structure[s] = {}
        for p in players:
            if draw(st.integers(0, 4)) == 0:
                continue  # passes in this state
            k = draw(st.integers(1, max_actions))
            actions = {}
            for a in ACTION_NAMES[:k]:
                toward = {}
                for q in players:
                    if q != p:
                        stance = draw(st.sampled_from([-1, 0, 0, 1]))
                        if stance:
                            toward[q] = stance
                actions[a] = toward
            structure[s][p] = actions
    data: dict[str, Any] = {
        "schema": 1,
        "title": "generated",
        "players": players,
        "states": {s: {"actions": structure[s]} for s in states},
    }
    history = []
    for _ in range(draw(st.integers(0, 2))):
        s = draw(st.sampled_from(states))
        acts = {p: draw(st.sampled_from(sorted(structure[s][p]))) for p in structure[s]}
        history.append({"state": s, "actions": acts})
    if history:
        data["history"] = history
    if n_states > 1 and draw(st.booleans()):
        transitions = {}
        for s in states:
            probs = _split(draw, n_states)
            transitions[s] = {t: p for t, p in zip(states, probs, strict=True) if p > 0}
        nature: dict[str, Any] = {"transitions": transitions}
        start = draw(st.sampled_from(["state", "table", "after-history"]))
        if start == "state" or (start == "after-history" and not history):
            nature["start"] = draw(st.sampled_from(states))
        elif start == "table":
            nature["start"] = dict(zip(states, _split(draw, n_states), strict=True))
        data["nature"] = nature
    elif n_states > 1:
        for s, p in zip(states, _split(draw, n_states), strict=True):
            data["states"][s]["probability"] = p
    if moves and n_states > 1 and draw(st.booleans()):
        rules = []  # a stochastic game: the actions move nature
        for _ in range(draw(st.integers(1, 3))):
            rule: dict[str, Any] = {}
            if draw(st.integers(0, 3)):
                where = draw(st.sampled_from(states))
                rule["state"] = where
                acting = sorted(structure[where])
                if acting and draw(st.integers(0, 3)):
                    p = draw(st.sampled_from(acting))
                    acts = sorted(structure[where][p])
                    chosen = draw(st.lists(st.sampled_from(acts), min_size=1, unique=True))
                    rule["when"] = {p: chosen[0] if len(chosen) == 1 else chosen}
            probs = _split(draw, n_states)
            rule["next"] = {t: q for t, q in zip(states, probs, strict=True) if q > 0}
            rules.append(rule)
        data.setdefault("nature", {})["after"] = rules
    terms = []
    for _ in range(draw(st.integers(0, 3))):
        term: dict[str, Any] = {}
        where = draw(st.sampled_from(states))
        if draw(st.booleans()):
            term["state"] = where
            acting = sorted(structure[where])
            for p in acting:
                if draw(st.booleans()):
                    term["when"] = {p: draw(st.sampled_from(sorted(structure[where][p])))}
                    break
        for p in players:
            if draw(st.booleans()):
                term[p] = _value(draw)
        if not any(p in term for p in players):
            term[players[0]] = _value(draw)
        terms.append(term)
    if terms:
        data["payoffs"] = terms
    tables = {}
    for s in states:
        active = [p for p in players if p in structure[s]]
        if not active or not draw(st.booleans()):
            continue
        shape = [len(structure[s][p]) for p in active]
        tables[s] = {}
        for p in players:
            if draw(st.integers(0, 3)) == 0:
                continue
            flat = [_value(draw) for _ in range(int(np.prod(shape)))]
            tables[s][p] = np.array(flat, dtype=object).reshape(shape).tolist()
        if not tables[s]:
            del tables[s]
    if tables:
        data["tables"] = tables
    horizon: dict[str, Any] = {}
    kind = draw(st.sampled_from(["discount", "rounds", "both"]))
    if kind in ("discount", "both"):
        horizon["discount"] = draw(st.sampled_from(discounts))
    if kind in ("rounds", "both"):
        horizon["rounds"] = draw(st.integers(1, max_rounds))
    data["horizon"] = horizon
    if draw(st.booleans()):
        data["noise"] = {"execution": draw(st.sampled_from(noise))}
    else:
        data["noise"] = {"execution": {p: draw(st.sampled_from(noise)) for p in players}}
    automata: dict[str, Any] = {}
    strategies = {}
    for p in players:
        if any(p in structure[s] for s in states):
            strategies[p] = _strategy(draw, p, players, structure, automata)
    data["strategies"] = strategies
    if automata:
        data["automata"] = automata
    return data


#: Six players with long names, for figures that must stay readable with six of everything.
SIX = (
    "russian-federation",
    "republic-of-india",
    "islamic-republic-of-pakistan",
    "peoples-republic-of-china",
    "united-states-of-america",
    "european-union-27",
)
#: Six policies of the first player.
SIX_POLICIES = (
    "balancing",
    "aligning",
    "always:defect",
    "always:cooperate",
    "myopic",
    "win-stay-lose-shift",
)


def six_partners_data() -> dict[str, Any]:
    """A public-goods world of six players: cooperating costs the cooperator 1 (uncertain:
    0.5 to 1.5 for the first player) and gives every other player 0.4; cooperation sides with
    everyone (+1), defection against everyone (-1). The first player compares six policies; the
    others cooperate (memoryless, so that every chain stays small)."""
    first = SIX[0]
    actions = {
        p: {
            "cooperate": {q: 1 for q in SIX if q != p},
            "defect": {q: -1 for q in SIX if q != p},
        }
        for p in SIX
    }
    terms: list[dict[str, Any]] = []
    for k, p in enumerate(SIX):
        cost: Any = {"value": -1.0, "low": -1.5, "high": -0.5} if p == first else -1.0
        terms.append({"id": f"cost{k}", "state": "round", "when": {p: "cooperate"}, p: cost})
        gift = {q: 0.4 for q in SIX if q != p}
        terms.append({"id": f"gift{k}", "state": "round", "when": {p: "cooperate"}, **gift})
    return {
        "schema": 1,
        "title": "Six partners in a public-goods world, with a title long enough to need "
        "wrapping at any width a figure has: " + "and so on " * 8,
        "players": list(SIX),
        "states": {"round": {"actions": actions}},
        "payoffs": terms,
        "horizon": {"discount": {"value": 0.8, "low": 0.6, "high": 0.95}},
        "noise": {"execution": 0.02},
        "strategies": {p: "always:cooperate" for p in SIX[1:]},
        "compare": {"focal": first, "policies": list(SIX_POLICIES)},
    }


def six_partners() -> Scenario:
    return Scenario.from_dict(six_partners_data(), name="six-partners")


#: The figures ``recip report sindoor-2025`` shows, in the order of the page.
REPORT_FIGURES = (
    "payoffs",
    "discount",
    "tornado",
    "uncertainty",
    "region",
    "credibility",
    "discount-overlay",
)


@pytest.fixture(scope="session")
def sindoor_report(tmp_path_factory) -> Path:
    """``recip report sindoor-2025`` written once for the session (the HTML tests and the
    browser test read it): the page's path."""
    folder = tmp_path_factory.mktemp("report")
    r = subprocess.run(
        [sys.executable, "-m", "recip", "report", "sindoor-2025", "--out", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    return folder / "report.html"
