"""Critical discount factors: where a policy starts (or stops) paying, and where a profile
becomes an equilibrium.

Neither the Markov chain of a profile nor the closure of its situations depends on the discount
factor ``delta``, so each is built once and solved for many ``delta``:

* ``what="advantage"``: ``A(delta) = v_f(policies[1]; delta) - v_f(policies[0]; delta)``, the focal
  player's per-round value under one policy minus another, the others keeping their strategies.
  It is a rational function of ``delta``, so it either vanishes identically or has finitely many
  zeros;
* ``what="spe"``: ``G(delta)``, the largest one-shot gain of :mod:`recip.questions.spe` in
  total discounted payoff (the profile is subgame perfect iff ``G <= tol``); continuous and
  piecewise rational;
* ``what="nash"``: the largest Nash gain (what a best response adds from the start, in total
  discounted payoff), ``>= 0``.

For both, the answer at each ``delta`` is :func:`recip.questions.spe.verdict`'s: where the gains
are within their floating-point error bound of ``tol`` (which happens as ``delta -> 1``, the
error growing like ``eps / (1 - delta)`` or faster), the interval is ``"undecided"``, not
``"holds"``: rounding does not turn a real gain into an equilibrium, and with ``tol=0`` rounding
noise does not open gaps.

Every sign change or boundary in ``[0, 1)`` is found, not just the first: the function is
sampled on a grid (dense near 1), each bracket where the answer changes is refined by
:func:`scipy.optimize.brentq` (to about 1e-12; by bisection where the function does not change
sign, e.g. a Nash gain reaching 0), and between grid points where the answer does not change
each local minimum of the distance to the boundary is searched for a hidden dip (two close
crossings, or a root where the function touches zero without changing sign). Touch points are
located to about 1e-8 (the precision of a minimum search). A change of answer confined to less
than the grid spacing and not signalled by a local minimum on the grid can be missed; pass a
finer ``grid`` to look closer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.errors import ScenarioError, suggest
from ..core.text import join_words, number_text
from ..engine.linalg import Resolvent
from ..model.conditions import Conditions
from ..model.profile import compile_profile
from ..model.result import Result
from ..model.setting import as_setting
from .scan import Crossing, Interval, check_grid, locate
from .spe import TOTAL_UNITS, check
from .threshold_own import (
    PlayerCurve,
    named,
    named_own,
    own_advantage_text,
    own_headline,
    own_sentence,
    scan_players,
)

WHATS = ("advantage", "spe", "nash")


@dataclass(frozen=True, eq=False)
class CriticalDiscount(Result):
    """Result of :func:`critical_discount`.

    ``intervals`` partition ``[0, 1)`` by the answer; ``crossings`` are the discount factors
    where it changes; ``discounts`` and ``samples`` are the grid and the function on it (for
    plots). ``subject`` says what was compared or checked, ``conditions`` under what.

    When the players have discount factors of their own, ``by_player`` holds each player's
    curve in its own discount factor (:mod:`recip.questions.threshold_own`), with the answer at
    its own: for the advantage, the focal player's (the same scan as ``intervals``); for
    equilibria, every player with a choice (``intervals`` and ``crossings`` are then empty:
    there is no one discount factor to partition).
    """

    title: str
    conditions: Conditions
    what: str
    players: tuple[str, ...]
    profile: tuple[str, ...]
    focal: str | None
    policies: tuple[str, ...]
    intervals: tuple[Interval, ...]
    crossings: tuple[Crossing, ...]
    discounts: np.ndarray
    samples: np.ndarray
    tol: float
    units: str = "per round"
    notes: tuple[str, ...] = field(default=())
    grid_extra: dict[str, Any] = field(default_factory=dict)
    by_player: tuple[PlayerCurve, ...] = ()

    kind = "critical-discount"

    @property
    def summary(self) -> str:
        return self.sentence

    @property
    def roots(self) -> tuple[float, ...]:
        """The discount factors where the answer changes (crossings, boundaries and touches)."""
        return tuple(c.discount for c in self.crossings)

    def holding(self) -> tuple[Interval, ...]:
        """The intervals where the policy ``policies[1]`` pays more (advantage) or where the
        profile is an equilibrium (spe, nash)."""
        good = "positive" if self.what == "advantage" else "holds"
        return tuple(iv for iv in self.intervals if iv.status == good)

    def __repr__(self) -> str:
        return f"CriticalDiscount({self.what}: {self.sentence})"

    @property
    def headline(self) -> str:
        """The answer in short, for a figure's title (without the conditions)."""
        if self.by_player and self.what != "advantage":
            return own_headline(self.what, self.by_player)
        return self.sentence

    @property
    def sentence(self) -> str:
        """The answer in one sentence, with its conditions."""
        if self.what == "advantage":
            text = self._advantage_sentence()
            if self.by_player:
                text += " " + own_advantage_text(self.by_player[0], self.policies)
            return text
        if self.by_player:
            subject = (
                "the profile ("
                + ", ".join(f"{p}: {s}" for p, s in zip(self.players, self.profile, strict=True))
                + ")"
            )
            return own_sentence(
                self.what, self.by_player, subject, f", given {self.conditions.text()}."
            )
        return self._equilibrium_sentence()

    def _advantage_sentence(self) -> str:
        base, other = self.policies
        simple = [iv for iv in self.intervals if not iv.is_point]
        statuses = [iv.status for iv in simple]
        ties = [iv.text(6) for iv in self.intervals if iv.is_point]
        who = f"{other} pays {self.focal} more than {base}"
        given = f", given {self.conditions.text()}."
        tie_text = f" (they tie at {join_words(ties)})" if ties else ""
        if set(statuses) == {"zero"}:
            return (
                f"{other} and {base} give {self.focal} the same value at every discount "
                f"factor in [0, 1){given}"
            )
        if len(set(statuses)) == 1:
            if statuses[0] == "negative":
                who = f"{other} pays {self.focal} less than {base}"
            return f"{who} at every discount factor in [0, 1){tie_text}{given}"
        if statuses in (["negative", "positive"], ["positive", "negative"]):
            r = number_text(simple[0].high, 6)
            side = "above" if statuses[1] == "positive" else "below"
            other_side = "below" if side == "above" else "above"
            return (
                f"{who} when the discount factor is {side} {r}; {base} pays more "
                f"{other_side} it{tie_text}{given}"
            )
        more = join_words([iv.text() for iv in simple if iv.status == "positive"])
        less = join_words([iv.text() for iv in simple if iv.status == "negative"])
        same = join_words([iv.text() for iv in simple if iv.status == "zero"])
        text = f"{who} for discount factors in {more or 'none'}, and less in {less or 'none'}"
        if same:
            text += f"; they tie (within the tolerance) in {same}"
        return f"{text}{tie_text}{given}"

    def _equilibrium_sentence(self) -> str:
        kind = "subgame perfect" if self.what == "spe" else "a Nash equilibrium"
        subject = (
            "The profile ("
            + ", ".join(f"{p}: {s}" for p, s in zip(self.players, self.profile, strict=True))
            + ")"
        )
        given = f", given {self.conditions.text()}."
        open_ = [iv.text(8) for iv in self.intervals if iv.status == "undecided"]
        if open_:
            given = (
                f"{given[:-1]}; floating point cannot decide it in {join_words(open_)} (the gains "
                "there are within their rounding error of the tolerance)."
            )
        good = self.holding()
        if not good:
            decidable = " that floating point can decide" if open_ else ""
            return f"{subject} is {kind} at no discount factor in [0, 1){decidable}{given}"
        if len(good) == 1 and len(self.intervals) == 1:
            return f"{subject} is {kind} at every discount factor in [0, 1){given}"
        if len(good) == 1 and not good[0].is_point:
            iv = good[0]
            if iv.high >= 1.0:
                bound = "at least" if iv.closed_low else "above"
                return (
                    f"{subject} is {kind} when the discount factor is {bound} "
                    f"{number_text(iv.low, 6)}{given}"
                )
            if iv.low == 0.0:
                bound = "at most" if iv.closed_high else "below"
                return (
                    f"{subject} is {kind} when the discount factor is {bound} "
                    f"{number_text(iv.high, 6)}{given}"
                )
        if all(iv.is_point for iv in good):
            return (
                f"{subject} is {kind} only at the discount factor(s) "
                f"{join_words([number_text(iv.low, 8) for iv in good])}{given}"
            )
        return (
            f"{subject} is {kind} for discount factors in {join_words([iv.text() for iv in good])}"
            f"{given}"
        )

    def payload(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "sentence": self.sentence,
            "focal": self.focal,
            "policies": list(self.policies),
            "profile": dict(zip(self.players, self.profile, strict=True)),
            "intervals": [iv.to_dict() for iv in self.intervals],
            "crossings": [c.to_dict() for c in self.crossings],
            "tolerance": self.tol,
            "units": self.units,
            "grid": {
                "discounts": self.discounts.tolist(),
                "values": [float(v) if np.isfinite(v) else None for v in self.samples],
                **self.grid_extra,
            },
            "notes": list(self.notes),
            **({"by_player": [c.to_dict() for c in self.by_player]} if self.by_player else {}),
        }


# ----------------------------------------------------------------------------------------------
# The functions of the discount factor


def critical_discount(
    scenario,
    *,
    focal: str | None = None,
    policies: Sequence[Any] | None = None,
    what: str = "advantage",
    grid: int | Sequence[float] | None = None,
    profile: Mapping[str, Any] | None = None,
    tol: float = 1e-9,
) -> CriticalDiscount:
    """Every discount factor in ``[0, 1)`` at which the answer to a question changes.

    ``what="advantage"``: where ``A(delta) = v_f(policies[1]) - v_f(policies[0])`` changes sign,
    for the focal player ``f`` (defaults: the scenario's ``[compare]`` focal player and its first
    two policies, else the first player, ``balancing`` vs ``aligning``); the other
    players play ``profile`` completed by the scenario's ``[strategies]``. With a finite horizon of
    ``T`` rounds the value is the ``delta``-weighted mean of the ``T`` rounds.

    ``what="spe"``: where the profile (``profile`` completed by ``[strategies]``) is subgame
    perfect: the largest one-shot gain, in total discounted payoff, ``G(delta) <= tol`` (see
    :func:`recip.is_subgame_perfect`). ``what="nash"``: where it is a Nash equilibrium (every
    player's best-response gain from the start ``<= tol``, also in total discounted payoff).
    Both treat the game as infinitely repeated with continuation probability ``delta``; where
    floating point cannot resolve the gains against ``tol`` the interval is ``"undecided"``.

    Parameters
    ----------
    grid:
        The discount factors sampled before refinement: a number of evenly spaced points in
        ``[0, 1)`` or a list; default 199 points to 0.99 plus 9 closer to 1.
    tol:
        Advantages within ``tol`` (per round) count as zero; for ``"spe"`` and ``"nash"``,
        gains within ``tol`` in total discounted payoff (per-round gain / (1 - delta)) do.

    Returns
    -------
    CriticalDiscount
        The intervals of ``[0, 1)`` with their answer, the crossings, the function on the grid
        and a sentence stating the answer with its conditions.

    >>> from recip import load_scenario
    >>> pd = load_scenario("prisoners-dilemma").with_overrides({"noise.execution": 0.0})
    >>> r = critical_discount(pd, policies=["always:defect", "aligning"])
    >>> [round(x, 10) for x in r.roots]   # (T - R) / (T - P) = 2 / 4
    [0.5]
    >>> r.sentence.split(";")[0]
    'aligning pays row more than always:defect when the discount factor is above 0.5'
    """
    if what not in WHATS:
        raise ScenarioError(f"unknown question {what!r}; {suggest(str(what), WHATS)}", key="what")
    if isinstance(tol, bool) or not isinstance(tol, int | float) or not tol >= 0:
        raise ScenarioError(f"the tolerance must be a number >= 0, not {tol!r}", key="tol")
    points = check_grid(grid)
    setting = as_setting(scenario)
    notes: list[str] = []
    if what == "advantage":
        focal = setting.check_player(
            focal if focal is not None else setting.focal, "compare.focal", "focal player"
        )
        if profile is not None and not isinstance(profile, Mapping):
            setting.profile(profile)  # the error message of a malformed profile
        if profile and focal in profile:
            raise ScenarioError(
                f"the profile gives a strategy to the focal player {focal}, whose strategies are "
                "the two policies compared; leave it out of the profile",
                file=setting.source,
                key=f"profile.{focal}",
            )
        parsed, where = setting.policy_list(policies)
        if len(parsed) < 2 or (policies is not None and len(parsed) != 2):
            raise ScenarioError(
                f"the advantage compares exactly two policies (baseline first), got {len(parsed)}",
                file=setting.source if where.startswith("compare") else None,
                key=where,
            )
        if policies is None and len(parsed) > 2:
            notes.append(
                f"Compared the scenario's first two policies ({parsed[0].label}, "
                f"{parsed[1].label})."
            )
        parsed = parsed[:2]
        f = setting.players.index(focal)
        value = []
        for pol in parsed:
            strategies = setting.profile({**(profile or {}), focal: pol})
            value.append(compile_profile(setting, strategies).discount_function(f))

        def func(discount: float) -> float:
            return value[1](discount) - value[0](discount)

        labels = tuple(p.label for p in parsed)
        conditions = setting.conditions(strategies, focal=focal, discount_varies=True)
        title = f"{setting.title}: where {labels[1]} starts to pay {focal} more than {labels[0]}"
    else:
        if focal is not None or policies is not None:
            notes.append("focal and policies apply to the advantage only; ignored.")
        if setting.rounds is not None:
            notes.append(
                f"The scenario's {setting.rounds} rounds are ignored: equilibria are checked in "
                "the infinitely repeated game, with the discount factor as the chance of another "
                "round."
            )
        focal, labels = None, ()
        strategies = setting.profile(profile)
        model = compile_profile(setting, strategies).deviations
        solver = Resolvent(model.transition)
        answers = {"fails": 1, "holds": -1, "undecided": 0}
        errors: dict[float, float] = {}

        def func(discount: float) -> tuple[float, int]:
            found = check(model, discount, float(tol), solver, nash=what == "nash")
            if what == "spe":
                value = float(found["total"].max(initial=-np.inf))
                errors[discount] = float(found["errors"].max(initial=0.0))
                return value, answers[found["status"]]
            errors[discount] = float(found["nash_errors"].max(initial=0.0))
            return float(found["nash_total"].max()), answers[found["nash_status"]]

        conditions = setting.conditions(strategies, infinite=True, discount_varies=True)
        kind = "subgame perfect" if what == "spe" else "a Nash equilibrium"
        title = f"{setting.title}: where the profile is {kind}"

    by_player: tuple[PlayerCurve, ...] = ()
    if what != "advantage" and setting.own_discounts and any(map(setting.acting, setting.players)):
        # each player's curve in its own discount factor; no one discount factor for all
        by_player = scan_players(setting, model, what, points, float(tol))
        intervals, crossings, samples = [], [], np.full(len(points), np.nan)
        extra = {"best_responses": named_own(setting, model, by_player, float(tol))}
    else:
        intervals, crossings, samples = locate(func, points, what, tol)
        extra = {"error_bounds": [errors[float(x)] for x in points]} if what != "advantage" else {}
    if what != "advantage" and not by_player:
        extra["best_responses"] = named(model, setting, intervals, float(tol))
    if what == "advantage" and setting.own_discounts:
        own = float(setting.discount_of(focal))
        here = func(own)  # the answer at its own discount factor, evaluated there
        status = "zero" if abs(here) <= tol else "positive" if here > 0 else "negative"
        by_player = (PlayerCurve(focal, own, tuple(intervals), tuple(crossings), samples, status),)
    return CriticalDiscount(
        title=title,
        conditions=conditions,
        what=what,
        players=setting.players,
        profile=tuple(s.stated_label for s in strategies),
        focal=focal,
        policies=labels,
        intervals=tuple(intervals),
        crossings=tuple(crossings),
        discounts=points,
        samples=samples,
        tol=float(tol),
        units="per round" if what == "advantage" else TOTAL_UNITS,
        notes=tuple(notes),
        grid_extra=extra,
        by_player=by_player,
    )
