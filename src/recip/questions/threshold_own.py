"""Critical discount factors when the players have discount factors of their own.

Player ``i``'s value, one-shot gains and best-response gain depend on the discount factors only
through its own ``delta_i``: the chain of situations does not depend on any, and the others play
their automata whatever they discount (:mod:`recip.questions.gains`). So "the discount factor"
of a scan is, for each player, its own: each player gets its own curve in its own ``delta_i``,
with its own critical values, and the report compares each player's critical values with its own
discount factor in the scenario.

* ``what="advantage"``: the focal player's advantage is a function of the focal player's own
  discount factor only (the scan of :mod:`recip.questions.threshold` is unchanged); the answer
  at its own discount factor is added.
* ``what="spe"`` / ``"nash"``: player ``i``'s largest one-shot gain (or Nash gain) in total
  discounted payoff, as a function of ``delta_i``, for every player with a choice somewhere. The
  profile is subgame perfect (a Nash equilibrium) at the scenario's discount factors exactly
  when every player's own discount factor lies where its curve holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.text import join_words, number_text
from ..engine.deviation import DeviationModel
from ..engine.linalg import Resolvent
from ..model.best_response import best_response
from ..model.setting import Setting
from .gains import check, verdict
from .scan import Crossing, Interval, locate

ANSWERS = {"fails": 1, "holds": -1, "undecided": 0}
STATUS = {v: k for k, v in ANSWERS.items()}


@dataclass(frozen=True, eq=False)
class PlayerCurve:
    """One player's answer as a function of its own discount factor: the ``intervals`` of
    ``[0, 1)`` with their answer, the ``crossings``, the function on the grid (``samples``) and,
    for equilibria, the rounding error bound on the grid (``errors``); ``own`` is the player's
    own discount factor in the scenario and ``at_own`` the answer there."""

    player: str
    own: float
    intervals: tuple[Interval, ...]
    crossings: tuple[Crossing, ...]
    samples: np.ndarray
    at_own: str
    errors: tuple[float, ...] = ()

    def holding(self, good: str) -> tuple[Interval, ...]:
        return tuple(iv for iv in self.intervals if iv.status == good)

    def to_dict(self) -> dict[str, Any]:
        return {
            "player": self.player,
            "own_discount": self.own,
            "at_own_discount": self.at_own,
            "intervals": [iv.to_dict() for iv in self.intervals],
            "crossings": [c.to_dict() for c in self.crossings],
            "values": [float(v) if np.isfinite(v) else None for v in self.samples],
            **({"error_bounds": list(self.errors)} if self.errors else {}),
        }


def where_text(intervals: tuple[Interval, ...], good: str, whose: str) -> str:
    """Where the answer is ``good``, in words: ``when its discount factor is at least 0.5``."""
    chosen = [iv for iv in intervals if iv.status == good]
    if not chosen:
        return "at no discount factor in [0, 1)"
    if len(chosen) == 1 and len(intervals) == 1:
        return "at every discount factor in [0, 1)"
    if len(chosen) == 1 and not chosen[0].is_point:
        iv = chosen[0]
        if iv.high >= 1.0:
            bound = "at least" if iv.closed_low else "above"
            return f"when {whose} discount factor is {bound} {number_text(iv.low, 6)}"
        if iv.low == 0.0:
            bound = "at most" if iv.closed_high else "below"
            return f"when {whose} discount factor is {bound} {number_text(iv.high, 6)}"
    return f"for {whose} discount factors in {join_words([iv.text() for iv in chosen])}"


def scan_players(
    setting: Setting,
    model: DeviationModel,
    what: str,
    points: np.ndarray,
    tol: float,
) -> tuple[PlayerCurve, ...]:
    """Each player's equilibrium curve in its own discount factor (``what``: ``"spe"`` or
    ``"nash"``), for every player with a choice somewhere; one check of ``model`` per discount
    factor serves every player."""
    runs: dict[float, dict[str, Any]] = {}
    solver = Resolvent(model.transition)

    def found(d: float) -> dict[str, Any]:
        if d not in runs:
            runs[d] = check(model, d, tol, solver, nash=what == "nash")
        return runs[d]

    out = []
    for i, player in enumerate(setting.players):
        if not setting.acting(player):
            continue
        errors: dict[float, float] = {}

        def func(d: float, i: int = i, errors: dict = errors) -> tuple[float, int]:
            run = found(d)
            if what == "spe":
                errors[d] = float(run["errors"][i].max(initial=0.0))
                status = verdict(run["total"][i], run["errors"][i], tol)
                return float(run["total"][i].max(initial=-np.inf)), ANSWERS[status]
            errors[d] = float(run["nash_errors"][i])
            status = verdict(run["nash_total"][i], run["nash_errors"][i], tol)
            return float(run["nash_total"][i]), ANSWERS[status]

        intervals, crossings, samples = locate(func, points, what, tol)
        own = float(setting.discount_of(i))
        at_own = STATUS[func(own)[1]]  # checked at its own, not read off the intervals
        out.append(
            PlayerCurve(
                player=player,
                own=own,
                intervals=tuple(intervals),
                crossings=tuple(crossings),
                samples=samples,
                at_own=at_own,
                errors=tuple(errors[float(x)] for x in points),
            )
        )
    return tuple(out)


def named_own(
    setting: Setting, model: DeviationModel, curves: tuple[PlayerCurve, ...], tol: float
) -> list[dict[str, Any]]:
    """For each player and each interval of its own discount factor where it gains by
    deviating, at the interval's middle: its best response in words and what it gains (per
    round), when the best response gains from the start."""
    out = []
    for curve in curves:
        i = setting.players.index(curve.player)
        for iv in curve.intervals:
            if iv.status != "fails" or iv.is_point:
                continue
            d = 0.5 * (iv.low + min(iv.high, 1.0))
            run = check(model, d, tol)
            if run["nash_total"][i] > max(tol, run["nash_errors"][i]):
                br = best_response(model, i, d, run["values"])
                out.append(
                    {
                        "interval": iv.text(8),
                        "discount": d,
                        "player": curve.player,
                        "gain": br.gain,
                        "words": br.words,
                    }
                )
    return out


def own_sentence(what: str, curves: tuple[PlayerCurve, ...], subject: str, given: str) -> str:
    """The answer of per-player equilibrium curves in one sentence: where each player has no
    profitable deviation in its own discount factor, compared with its own; then the verdict at
    the scenario's own discount factors."""
    kind = "subgame perfect" if what == "spe" else "a Nash equilibrium"
    parts = [_clause(what, c) for c in curves]
    failing = [c.player for c in curves if c.at_own == "fails"]
    open_ = [c.player for c in curves if c.at_own == "undecided"]
    if failing:
        verdict = f"so {subject} is not {kind} at the scenario's discount factors, because of "
        verdict += join_words(failing)
    elif open_:
        verdict = (
            f"so {subject} is {kind} at the scenario's discount factors as far as floating "
            f"point can tell (undecided for {join_words(open_)})"
        )
    else:
        verdict = f"so {subject} is {kind} at the scenario's discount factors"
    return (
        "Each player's critical discount factors are in its own discount factor, compared with "
        f"its own: {'; '.join(parts)}; {verdict}{given}"
    )


def _clause(what: str, c: PlayerCurve) -> str:
    """Where one player has no profitable deviation in its own discount factor, and where its
    own lies: ``row has no profitable one-shot deviation when its discount factor is at least
    0.5; its own, 0.6, is in that range``."""
    none = (
        "no profitable one-shot deviation"
        if what == "spe"
        else "no strategy better than its own from the start"
    )
    gains = "gains by deviating once" if what == "spe" else "gains by another strategy"
    statuses = {iv.status for iv in c.intervals}
    if statuses == {"holds"}:
        return f"{c.player} has {none} at any discount factor in [0, 1), its own {c.own:g} included"
    if statuses == {"fails"}:
        return f"{c.player} {gains} at every discount factor in [0, 1), its own {c.own:g} included"
    if "holds" not in statuses:
        return (
            f"{c.player} has {none} at no discount factor in [0, 1) that floating point can "
            f"decide; its own is {c.own:g}"
        )
    here = {
        "holds": "is in that range",
        "fails": f"is not: it {gains}",
        "undecided": "is where floating point cannot decide",
    }[c.at_own]
    where = where_text(c.intervals, "holds", "its")
    return f"{c.player} has {none} {where}; its own, {c.own:g}, {here}"


def own_headline(what: str, curves: tuple[PlayerCurve, ...]) -> str:
    """The verdict at the scenario's own discount factors and each player's critical values
    against its own, in short (a figure's title)."""
    kind = "subgame perfect" if what == "spe" else "a Nash equilibrium"
    failing = [c.player for c in curves if c.at_own == "fails"]
    head = (
        f"Not {kind} at the players' own discount factors, because of {join_words(failing)}"
        if failing
        else f"{kind[0].upper()}{kind[1:]} at the players' own discount factors"
    )
    each = [
        f"{c.player}: critical "
        f"{join_words([number_text(x.discount, 4) for x in c.crossings]) or 'none'}, own {c.own:g}"
        for c in curves
    ]
    return f"{head} ({'; '.join(each)})"


def named(model, setting, intervals, tol: float) -> list[dict[str, Any]]:
    """For each interval where the profile is not an equilibrium, at its middle: the players
    whose best response gains from the start, what it is in words and what it gains (per round);
    when none gains from the start (subgame perfection fails off the path only), nothing."""
    out = []
    for iv in intervals:
        if iv.status != "fails" or iv.is_point:
            continue
        d = 0.5 * (iv.low + min(iv.high, 1.0))
        found = check(model, d, tol)
        for i, player in enumerate(setting.players):
            if found["nash_total"][i] > max(tol, found["nash_errors"][i]):
                br = best_response(model, i, d, found["values"])
                out.append(
                    {
                        "interval": iv.text(8),
                        "discount": d,
                        "player": player,
                        "gain": br.gain,
                        "words": br.words,
                    }
                )
    return out


def own_advantage_text(curve: PlayerCurve, policies: tuple[str, ...]) -> str:
    """The focal player's answer at its own discount factor, said to be its own."""
    base, other = policies
    side = {"positive": other, "negative": base}.get(curve.at_own)
    answer = f"{side} pays more" if side else f"{base} and {other} tie"
    return (
        f"The discount factor is {curve.player}'s own (each player's value depends on its own "
        f"only): at its own, {curve.own:g}, {answer}."
    )
