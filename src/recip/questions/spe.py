"""Subgame perfection of a profile of automata, by the one-shot deviation principle.

A subgame of the repeated game starts after any history and any draw of the world state. Every
player's continuation strategy depends on that history only through its automaton's memory, so a
subgame is a *situation* ``(s, m)``: a world state and a joint memory. The situations that some
history can produce are the closure of the start situations under *every* joint action (not just
the ones the profile plays with positive probability) and every move of nature: off the path of
play as well as on it. A scenario's scripted history is given: the closure starts after it.

Values are per round (normalised by ``1 - delta``). For the profile, ``V = (1 - delta) r +
delta P V`` on the closure, where ``r`` and ``P`` are the expected round payoffs and transitions
with execution noise (:mod:`recip.engine.deviation` builds them). Player ``i`` *intending*
action ``a`` in situation ``k`` (noise still applies to what it intends) and then following the
profile earns

    Q_i(k, a) = (1 - delta) rho_i(k, a) + delta sum_k' T_i(k, a, k') V_i(k'),

and the one-shot gain of that deviation is ``Q_i(k, a) - V_i(k)`` (per round; divide by
``1 - delta`` for the gain in total discounted payoff). By the one-shot deviation principle
[Fudenberg-Tirole1991, section 4.2; Blackwell1965] the profile is a subgame perfect equilibrium
iff no gain is positive anywhere in the closure. For a player that mixes, ``V_i(k)`` is the
mixture's value, so a mixture whose support actions are not all optimal shows up as a profitable
deviation to its best support action.

Nash equilibrium needs less: no strategy at all (not only one-shot deviations) may improve a
player's value from the start. Against the others' automata a player faces a finite Markov
decision problem over the same closure; policy iteration solves it exactly, and the difference
between its optimal value and the profile's value at the start is the player's *Nash gain*.

The scale of the verdict, and what rounding can decide
------------------------------------------------------
``tol`` applies to gains in **total discounted payoff** (the per-round gain over ``1 - delta``),
a scale on which a one-shot gain does not vanish as ``delta -> 1`` (win-stay-lose-shift in the
prisoner's dilemma ``(5, 3, 1, 0)`` gains ``2 (1 - delta)^2`` per round, ``2 (1 - delta)`` in
total). Each gain carries a bound on its floating-point error (growing like ``eps / (1 - delta)``
to ``eps / (1 - delta)^2``; :meth:`recip.engine.deviation.DeviationModel.one_shot_gains`), and
the verdict (:func:`verdict`) is ``"fails"`` when some gain exceeds both ``tol`` and its bound,
``"holds"`` when every gain plus its bound is at most ``tol``, else ``"undecided"``: the gains
within rounding count as ties (``subgame_perfect`` is true, also at ``tol=0``), and the result
says that floating point could not confirm it. Policy iteration for the Nash gains starts from
the profile and moves only where a one-shot gain "fails", so subgame perfection implies Nash
equilibrium at every tolerance, with Nash gains exactly 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.errors import ScenarioError
from ..engine.chain import MAX_CHAIN_STATES
from ..engine.deviation import DeviationModel
from ..model.best_response import best_response
from ..model.conditions import Conditions
from ..model.profile import compile_profile
from ..model.result import Result
from ..model.setting import Setting, as_setting
from .gains import check, check_discount, check_discounts, check_each, verdict

__all__ = [
    "SubgamePerfection",
    "Violation",
    "check",
    "check_discount",
    "check_discounts",
    "is_subgame_perfect",
    "verdict",
]

#: Most violations a result lists (the count and the largest gains are always exact).
MAX_LISTED = 100
#: What the tolerance and the ``*_total`` gains are measured in.
TOTAL_UNITS = "total discounted payoff: per-round gain / (1 - discount)"


@dataclass(frozen=True)
class Violation:
    """A profitable one-shot deviation: in world ``state`` with these ``memories`` (player ->
    memory label, for the players whose strategy has more than one memory), ``player`` intending
    ``deviation`` instead of what the profile plays (``profile_action``) gains ``gain`` per round
    and ``gain_total`` in total discounted payoff (the scale of the tolerance); ``on_path``: the
    situation is reached with positive chance when everyone follows the profile."""

    state: str
    memories: dict[str, str]
    player: str
    deviation: str
    profile_action: str
    gain: float
    on_path: bool
    gain_total: float = float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "memories": dict(self.memories),
            "player": self.player,
            "deviation": self.deviation,
            "profile_action": self.profile_action,
            "gain": self.gain,
            "gain_total": self.gain_total,
            "on_path": self.on_path,
        }


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


@dataclass(frozen=True, eq=False)
class SubgamePerfection(Result):
    """Result of :func:`is_subgame_perfect`; true in a boolean context iff the profile is a
    subgame perfect equilibrium: ``status`` (see the module docstring) is ``"holds"`` or
    ``"undecided"`` (then ``decided`` is false). ``tol``, ``max_gain_total``, ``error_bound``
    (of every one-shot gain) and ``nash_gains_total``/``nash_errors`` are in total discounted
    payoff; the other gains are per round. ``max_gain`` is the largest one-shot gain (negative:
    every deviation loses at least that much; ``-inf``: nobody ever has a choice);
    ``violations`` lists the profitable deviations, largest first (at most ``MAX_LISTED``;
    ``n_violations`` counts them all); ``nash_gains[i]`` is what player ``i`` gains from the
    start with its best strategy against the others' automata (``nash_status``); ``failing``
    the players with a profitable one-shot deviation somewhere.

    When the players have discount factors of their own, ``discount`` is None and
    ``discounts[i]`` is player ``i``'s: its gains (per round, and in total discounted payoff
    ``/(1 - discounts[i])``) are at its own.
    """

    title: str
    conditions: Conditions
    players: tuple[str, ...]
    profile: tuple[str, ...]
    discount: float | None
    noise: tuple[float, ...]
    tol: float
    max_gain: float
    max_gain_on_path: float
    max_gain_off_path: float
    n_situations: int
    n_on_path: int
    n_violations: int
    violations: tuple[Violation, ...]
    nash_gains: tuple[float, ...]
    history: int = 0
    status: str = "holds"
    max_gain_total: float = -np.inf
    error_bound: float = 0.0
    nash_status: str = "holds"
    nash_gains_total: tuple[float, ...] = ()
    nash_errors: tuple[float, ...] = ()
    #: Player -> its best response in words, for each player whose best response gains.
    best_responses: dict[str, str] = field(default_factory=dict)
    discounts: tuple[float, ...] = ()
    failing: tuple[str, ...] = ()

    @property
    def subgame_perfect(self) -> bool:
        return self.status != "fails"

    @property
    def decided(self) -> bool:
        """Whether floating point resolves every gain against the tolerance."""
        return self.status != "undecided" and self.nash_status != "undecided"

    @property
    def nash(self) -> bool:
        return self.nash_status != "fails"

    def __bool__(self) -> bool:
        return self.subgame_perfect

    def __repr__(self) -> str:
        if self.status == "fails":
            verdict = f"not subgame perfect (gain {self.max_gain_total:.4g} in total)"
        else:
            verdict = "subgame perfect" + (" (undecided at this precision)" * (not self.decided))
        at = (
            f"discount {self.discount:g}"
            if self.discount is not None
            else "discounts "
            + ", ".join(f"{p} {d:g}" for p, d in zip(self.players, self.discounts, strict=True))
        )
        return f"SubgamePerfection({verdict} at {at})"

    kind = "subgame-perfection"

    @property
    def summary(self) -> str:
        profile = ", ".join(f"{p}: {s}" for p, s in zip(self.players, self.profile, strict=True))
        given = f"given {self.conditions.text()}."
        if self.status == "holds":
            return f"The profile ({profile}) is subgame perfect, {given}"
        if self.status == "undecided":
            return (
                f"The profile ({profile}) is subgame perfect as far as floating point can tell: "
                f"its largest one-shot gain, {self.max_gain_total:.4g} in total discounted "
                f"payoff, is within the rounding error bound {self.error_bound:.2g} of the "
                f"tolerance {self.tol:g}, {given}"
            )
        nash = {
            "holds": "a Nash equilibrium",
            "undecided": "a Nash equilibrium as far as floating point can tell",
            "fails": "not a Nash equilibrium either",
        }[self.nash_status]
        who = ""
        if self.discount is None and self.failing:
            own = ", ".join(
                f"{p} at its own {self.discounts[self.players.index(p)]:g}" for p in self.failing
            )
            who = f" because of {own}"
        return (
            f"The profile ({profile}) is not subgame perfect{who} (a one-shot deviation gains up "
            f"to {self.max_gain:.4g} per round, {self.max_gain_total:.4g} in total discounted "
            f"payoff) and {nash}, {given}"
        )

    def payload(self) -> dict[str, Any]:
        return {
            "subgame_perfect": self.subgame_perfect,
            "nash": self.nash,
            "status": self.status,
            "nash_status": self.nash_status,
            "decided": self.decided,
            "profile": dict(zip(self.players, self.profile, strict=True)),
            "discount": self.discount,
            "discounts": dict(zip(self.players, self.discounts, strict=True)),
            "failing_players": list(self.failing),
            "noise": dict(zip(self.players, self.noise, strict=True)),
            "tolerance": self.tol,
            "tolerance_units": TOTAL_UNITS,
            "units": "per round: (1 - discount) x total discounted payoff",
            "max_gain": _finite(self.max_gain),
            "max_gain_on_path": _finite(self.max_gain_on_path),
            "max_gain_off_path": _finite(self.max_gain_off_path),
            "max_gain_total": _finite(self.max_gain_total),
            "error_bound": self.error_bound,
            "situations": self.n_situations,
            "situations_on_path": self.n_on_path,
            "violations_count": self.n_violations,
            "violations": [v.to_dict() for v in self.violations],
            "nash_gains": dict(zip(self.players, self.nash_gains, strict=True)),
            "nash_gains_total": dict(zip(self.players, self.nash_gains_total, strict=True)),
            "nash_errors": dict(zip(self.players, self.nash_errors, strict=True)),
            "best_responses": dict(self.best_responses),
        }


def _action_text(game, i: int, s: int, probs: np.ndarray) -> str:
    names = game.actions[s][i]
    support = np.flatnonzero(probs > 0)
    if len(support) == 1:
        return names[support[0]]
    return "mixing " + ", ".join(f"{names[a]} {probs[a]:.3g}" for a in support)


def is_subgame_perfect(
    scenario,
    profile=None,
    *,
    discount: float | None = None,
    tol: float = 1e-9,
    max_states: int = MAX_CHAIN_STATES,
) -> SubgamePerfection:
    """Check whether a profile of automata is a subgame perfect equilibrium of the infinitely
    repeated game, by the one-shot deviation principle over every situation (world state, joint
    memory) that any sequence of actions can reach, on and off the path of play.

    For every such situation ``k``, player ``i`` and action ``a``, the one-shot gain is
    ``Q_i(k, a) - V_i(k)`` with ``V = (1 - delta)(I - delta P)^-1 r`` the profile's per-round
    values and ``Q_i(k, a) = (1 - delta) rho_i(k, a) + delta T_i(k, a) V_i`` the value of
    intending ``a`` once and then following the profile (execution noise as in the scenario).
    The profile is subgame perfect iff no gain, in total discounted payoff (``/(1 - delta)``),
    exceeds ``tol`` and its floating-point error bound; gains within rounding of ``tol`` count
    as ties and make the verdict ``"undecided"`` (see the module docstring). Also computed:
    each player's Nash gain (its best response's value from the start, by policy iteration
    started from the profile, minus the profile's).

    Parameters
    ----------
    scenario:
        A :class:`recip.Scenario`.
    profile:
        Player -> strategy; players left out play the scenario's ``[strategies]``.
    discount:
        The discount factor (continuation probability) in ``[0, 1)`` of every player; default
        the scenario's (each player's own, where the players have their own: each player's
        gains are then at its own discount factor).
    tol:
        Gains up to ``tol``, in total discounted payoff (units of one round's payoff), count as
        ties; so do gains within their rounding error bound, which the result reports.
    max_states:
        Limit on the number of situations (raises :class:`recip.ScenarioError` beyond it).

    Returns
    -------
    SubgamePerfection
        True in a boolean context iff subgame perfect; lists the violations (world state,
        memories, player, deviation, gain, on or off the path), the largest gains on and off
        the path, and the Nash gains.

    >>> from recip import load_scenario
    >>> grim = {"memories": {
    ...     "trust": {"play": "cooperate", "next": [{"when": {"row": "defect"}, "to": "punish"},
    ...                                             {"when": {"col": "defect"}, "to": "punish"}]},
    ...     "punish": {"play": "defect"}}}
    >>> pd = load_scenario("prisoners-dilemma").with_overrides(
    ...     {"noise.execution": 0.0, "automata": {"grim": grim}})
    >>> bool(is_subgame_perfect(pd, {"row": "grim", "col": "grim"}, discount=0.6))  # >= 1/2
    True
    >>> bool(is_subgame_perfect(pd, {"row": "grim", "col": "grim"}, discount=0.4))
    False
    """
    setting = as_setting(scenario)
    discounts = check_discounts(setting, discount)
    if isinstance(tol, bool) or not isinstance(tol, int | float) or not tol >= 0:
        raise ScenarioError(f"the tolerance must be a number >= 0, not {tol!r}", key="tol")
    strategies = setting.profile(profile)
    model = compile_profile(setting, strategies).deviation_model(max_states)
    return summarise(setting, strategies, model, discounts, float(tol))


def summarise(
    setting: Setting,
    strategies,
    model: DeviationModel,
    discounts: tuple[float, ...],
    tol: float,
) -> SubgamePerfection:
    """Check ``model`` with each player at its discount factor (``discounts``, in player order)
    and package the answer as a :class:`SubgamePerfection`."""
    found = check_each(model, discounts, tol)
    total, errors = found["total"], found["errors"]
    gains = found["gains"]
    common = all(d == discounts[0] for d in discounts)
    discount = discounts[0] if common else None
    game = model.game
    per_situation = gains.max(axis=(0, 2), initial=-np.inf)
    on = model.on_path
    i_idx, k_idx, a_idx = np.nonzero(total > np.maximum(tol, errors))
    order = np.argsort(-gains[i_idx, k_idx, a_idx], kind="stable")[:MAX_LISTED]
    shown = [p for p, a in zip(game.players, model.automata, strict=True) if a.n_memories > 1]
    violations = []
    for o in order:
        i, k, a = int(i_idx[o]), int(k_idx[o]), int(a_idx[o])
        s = int(model.world[k])
        violations.append(
            Violation(
                state=game.states[s],
                memories={
                    p: model.automata[game.player_index(p)].memory_labels[
                        model.memories[k, game.player_index(p)]
                    ]
                    for p in shown
                },
                player=game.players[i],
                deviation=game.actions[s][i][a],
                profile_action=_action_text(game, i, s, model.policy[i, k]),
                gain=float(gains[i, k, a]),
                on_path=bool(on[k]),
                gain_total=float(total[i, k, a]),
            )
        )
    named = {}
    for i, p in enumerate(game.players):
        if found["nash_total"][i] > max(tol, found["nash_errors"][i]):
            named[p] = best_response(model, i, discounts[i], found["values"]).words
    return SubgamePerfection(
        title=f"{setting.title}: is the profile subgame perfect?",
        conditions=setting.conditions(strategies, infinite=True, discount=discounts),
        players=game.players,
        profile=tuple(s.label for s in strategies),
        discount=discount,
        noise=model.noise,
        tol=tol,
        max_gain=float(per_situation.max(initial=-np.inf)),
        max_gain_on_path=float(per_situation[on].max(initial=-np.inf)),
        max_gain_off_path=float(per_situation[~on].max(initial=-np.inf)),
        n_situations=model.size,
        n_on_path=int(on.sum()),
        n_violations=len(i_idx),
        violations=tuple(violations),
        nash_gains=tuple(float(g) for g in found["nash_round"]),
        history=len(game.history),
        status=found["status"],
        max_gain_total=float(total.max(initial=-np.inf)),
        error_bound=float(errors.max(initial=0.0)),
        nash_status=found["nash_status"],
        nash_gains_total=tuple(float(g) for g in found["nash_total"]),
        nash_errors=tuple(float(e) for e in found["nash_errors"]),
        best_responses=named,
        discounts=tuple(discounts),
        failing=tuple(
            p for i, p in enumerate(game.players) if (total[i] > np.maximum(tol, errors[i])).any()
        ),
    )
