"""Deviation gains at each player's own discount factor, and the verdicts they give.

:class:`~recip.engine.deviation.DeviationModel` solves at one discount factor ``delta`` for
every player. Player ``i``'s values, one-shot gains, Nash gain and best response depend on
``delta`` only through its own continuation values: the chain of situations does not depend on
``delta``, and the others play their automata whatever they discount. So with discount factors
of their own, :func:`check_each` checks once per *distinct* discount factor and takes each
player's part from the check at its own; a player's gains are exactly those of a scenario in
which everyone shared its discount factor.

:func:`verdict` turns gains and their rounding error bounds into ``"holds"``, ``"fails"`` or
``"undecided"`` (see :mod:`recip.questions.spe`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core.errors import ScenarioError
from ..engine.deviation import DeviationModel
from ..model.setting import Setting

__all__ = ["check", "check_discount", "check_discounts", "check_each", "verdict"]


def verdict(gains, errors, tol: float) -> str:
    """``"fails"`` if some gain exceeds both ``tol`` and its error bound, ``"holds"`` if every
    gain plus its error bound is at most ``tol``, else ``"undecided"`` (see
    :mod:`recip.questions.spe`). ``gains`` and ``errors`` are arrays of one shape (``-inf``: no
    deviation).

    >>> verdict(np.array([0.5, -1.0]), np.array([1e-12, 1e-12]), 1e-9)
    'fails'
    >>> verdict(np.array([1e-16]), np.array([1e-14]), 0.0)
    'undecided'
    """
    gains, errors = np.asarray(gains, dtype=float), np.asarray(errors, dtype=float)
    if (gains > np.maximum(tol, errors)).any():
        return "fails"
    return "holds" if (gains + errors <= tol).all() else "undecided"


def _checked(setting: Setting, discount: Any) -> float:
    if (
        isinstance(discount, bool)
        or not isinstance(discount, int | float)
        or not (0.0 <= float(discount) < 1.0)
    ):
        raise ScenarioError(
            f"the discount factor must be a number in [0, 1), not {discount!r}",
            file=setting.source,
            key="horizon.discount",
        )
    return float(discount)


def check_discounts(setting: Setting, discount: float | None) -> tuple[float, ...]:
    """Each player's discount factor to check at: ``discount`` for every player, else the
    scenario's (each player's own, where they have their own). An infinitely repeated game is
    needed: a scenario with a finite number of rounds must be given one explicitly."""
    if discount is None:
        if setting.rounds is not None:
            raise ScenarioError(
                f"subgame perfection is checked in the infinitely repeated game, but this "
                f"scenario has a finite horizon ({setting.rounds} rounds); pass a discount "
                "factor (the chance of another round) explicitly",
                file=setting.source,
                key="horizon.rounds",
            )
        return tuple(_checked(setting, d) for d in setting.discounts)
    return (_checked(setting, discount),) * len(setting.players)


def check_discount(setting: Setting, discount: float | None) -> float:
    """The one discount factor to check at (see :func:`check_discounts`); a
    :class:`ScenarioError` naming ``horizon.discount`` when the players have their own."""
    each = check_discounts(setting, discount)
    if any(d != each[0] for d in each):
        setting.discount  # noqa: B018 -- raises, naming horizon.discount
    return each[0]


def check(
    model: DeviationModel, discount: float, tol: float, solver=None, *, nash: bool = True
) -> dict[str, Any]:
    """Every gain of ``model`` at ``discount`` and the verdicts (see :mod:`recip.questions.spe`):
    ``values``, ``total``/``errors`` (one-shot gains in total discounted payoff, error bounds),
    ``status``; with ``nash``, also ``nash_round``/``nash_total``/``nash_errors`` per player
    and ``nash_status``."""
    values = model.values(discount, solver)
    total, errors = model.one_shot_gains(discount, values, solver, tol)
    found = {
        "values": values,
        "total": total,
        "errors": errors,
        "status": verdict(total, errors, tol),
    }
    if nash:
        rounds, totals, bounds = model.nash_gains(discount, values, total, errors, tol)
        each = [verdict(g, e, tol) for g, e in zip(totals, bounds, strict=True)]
        found["nash_status"] = _worst(each)
        found.update(nash_round=rounds, nash_total=totals, nash_errors=bounds)
    return found


def _worst(statuses: Sequence[str]) -> str:
    return next((v for v in ("fails", "undecided") if v in statuses), "holds")


def check_each(
    model: DeviationModel,
    discounts: Sequence[float],
    tol: float,
    *,
    nash: bool = True,
    runs: dict[float, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """:func:`check` with each player at its own discount factor (``discounts``, in player
    order): one check per distinct discount factor, each player's part taken from the check at
    its own. Adds ``gains`` (per-round one-shot gains, ``(n, N, A)``) and ``discounts``.
    ``runs``, if given, keeps the checks by discount factor for reuse."""
    runs = {} if runs is None else runs
    for d in sorted(set(discounts)):
        if d not in runs or (nash and "nash_total" not in runs[d]):
            runs[d] = check(model, d, tol, nash=nash)
    mine = [runs[d] for d in discounts]
    values = np.column_stack([run["values"][:, i] for i, run in enumerate(mine)])
    total = np.stack([run["total"][i] for i, run in enumerate(mine)])
    errors = np.stack([run["errors"][i] for i, run in enumerate(mine)])
    per_round = {d: model.gains(d, values) for d in set(discounts)}
    gains = np.stack([per_round[d][i] for i, d in enumerate(discounts)])
    found: dict[str, Any] = {
        "values": values,
        "total": total,
        "errors": errors,
        "gains": gains,
        "status": verdict(total, errors, tol),
        "discounts": tuple(float(d) for d in discounts),
    }
    if nash:
        for name in ("nash_round", "nash_total", "nash_errors"):
            found[name] = np.array([run[name][i] for i, run in enumerate(mine)])
        pairs = zip(found["nash_total"], found["nash_errors"], strict=True)
        found["nash_status"] = _worst([verdict(g, e, tol) for g, e in pairs])
    return found
