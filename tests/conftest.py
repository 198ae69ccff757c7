"""Shared builders for recip's tests: textbook games as plain scenario data.

Tests import the builders directly (``from conftest import pd_scenario``): they are plain
functions, usable inside hypothesis tests where function-scoped fixtures are not.
"""

from __future__ import annotations

from typing import Any

import numpy as np
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
    ``cooperate`` (+1 toward the other) and ``defect`` (-1), payoffs ``R, S, T, P``."""
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
        "strategies": strategies or {"row": "aligning", "col": "aligning"},
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
