"""Uncertain inputs beyond payoffs: the discount factor, execution noise, numeric strategy
parameters, and structural alternatives (a player's strategy drawn from a list with weights).

In a file, any of these numbers may be written as an uncertain value, like a payoff::

    [horizon]
    discount = { value = 0.9, low = 0.5, high = 0.99 }
    [noise]
    execution = { value = 0.02, low = 0.0, high = 0.1 }
    [strategies]
    india = { name = "aligning", tolerance = { value = 0.0, low = 0.0, high = 0.5 } }
    [[alternatives.india]]
    strategy = "aligning"
    weight = 0.5

Exact and simulated runs use the nominal ``value`` (and the ``[strategies]`` entry, whatever the
alternatives say); uncertainty and sensitivity analyses sample the rest. Each input is keyed by
where it sits, in the dialect of overrides: ``horizon.discount`` (or
``horizon.discount.<player>``), ``noise.execution`` (or
``noise.execution.<player>``), ``strategies.<player>.<parameter>``; alternatives by
``strategies.<player>``.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import ScenarioError, suggest
from ..core.params import Param, Uncertain
from ..core.text import echo
from .schema import ScenarioFile, UncertainValue

#: Weights of alternatives add up to 1 within this.
WEIGHT_TOLERANCE = 1e-9
#: The keys of an uncertain value written as a table.
UNCERTAIN_KEYS = frozenset(UncertainValue.model_fields)


def uncertain(v: UncertainValue) -> Uncertain:
    """The plain-data form of a validated uncertain value."""
    dist = v.distribution or ("normal" if v.sd is not None else "uniform")
    return Uncertain(float(v.value), v.low, v.high, v.sd, dist)


def nominal(v: float | UncertainValue | None) -> float | None:
    """The number exact and simulated runs use."""
    if v is None:
        return None
    return float(v.value) if isinstance(v, UncertainValue) else float(v)


def _within(v: UncertainValue, key: str, low: float, high: float, high_open: bool) -> None:
    """Every end of an uncertain value's range lies where the number itself may."""
    for end in ("value", "low", "high"):
        x = getattr(v, end)
        if x is None:
            continue
        if x < low or x > high or (high_open and x >= high):
            rng = f"[{low:g}, {high:g}{')' if high_open else ']'}"
            raise ScenarioError(
                f"'{end}' must be in {rng}, like the number it describes, not {x:g}",
                key=f"{key}.{end}",
            )
    normal = v.distribution == "normal" or (v.distribution is None and v.sd is not None)
    if normal and (v.low is None or v.high is None):
        raise ScenarioError(
            f"a normal value here needs both 'low' and 'high' (it must stay in [{low:g}, "
            f"{high:g}{')' if high_open else ']'})",
            key=key,
        )


def is_uncertain_table(value: Any) -> bool:
    """Whether a strategy parameter written as a table is an uncertain value (a ``value`` and
    a range or a standard deviation, nothing else) rather than a table parameter such as
    ``aligning``'s per-partner ``initial``."""
    return (
        isinstance(value, dict)
        and "value" in value
        and bool({"low", "high", "sd"} & set(value))
        and set(value) <= UNCERTAIN_KEYS
    )


def strategy_inputs(
    strategies: dict[str, Any],
) -> tuple[dict[str, Any], list[tuple[str, UncertainValue]]]:
    """The strategies with every uncertain parameter replaced by its nominal value, and the
    uncertain parameters as ``(key, value)`` pairs."""
    plain: dict[str, Any] = {}
    found: list[tuple[str, UncertainValue]] = []
    for player, spec in strategies.items():
        if not isinstance(spec, dict):
            plain[player] = spec
            continue
        out = {}
        for name, value in spec.items():
            if is_uncertain_table(value):
                key = f"strategies.{player}.{name}"
                try:
                    parsed = UncertainValue(**value)
                except (TypeError, ValueError) as exc:
                    # pydantic's own message (its last line is a link to its documentation)
                    errors = exc.errors() if hasattr(exc, "errors") else []
                    message = (
                        str(errors[0]["msg"]).removeprefix("Value error, ")
                        if errors
                        else str(exc).splitlines()[-1] or "not an uncertain value"
                    )
                    raise ScenarioError(
                        f"not a valid uncertain value: {message[:200]}", key=key
                    ) from None
                found.append((key, parsed))
                out[name] = float(parsed.value)
            else:
                out[name] = value
        plain[player] = out
    return plain, found


def inputs(model: ScenarioFile, players: tuple[str, ...]) -> tuple[Param, ...]:
    """The uncertain discount factors, noise rates and strategy parameters of a file, checked:
    each range lies where its number may (a discount in [0, 1), or [0, 1] with a finite number
    of rounds; a noise rate in [0, 1]). Strategy parameters' ranges are checked by the
    strategies when the scenario loads."""
    out: list[Param] = []
    discount = model.horizon.discount
    own = discount.items() if isinstance(discount, dict) else [(None, discount)]
    for player, d in own:
        if isinstance(d, UncertainValue):
            key = "horizon.discount" + (f".{player}" if player else "")
            _within(d, key, 0.0, 1.0, model.horizon.rounds is None)
            out.append(Param(key, float(d.value), uncertain(d)))
    ex = model.noise.execution
    rates = ex.items() if isinstance(ex, dict) else [(None, ex)]
    for player, rate in rates:
        if isinstance(rate, UncertainValue):
            key = "noise.execution" + (f".{player}" if player else "")
            _within(rate, key, 0.0, 1.0, False)
            out.append(Param(key, float(rate.value), uncertain(rate)))
    _, found = strategy_inputs(dict(model.strategies))
    out += [Param(key, float(v.value), uncertain(v)) for key, v in found]
    return tuple(out)


def alternatives(
    model: ScenarioFile, players: tuple[str, ...]
) -> dict[str, tuple[tuple[Any, float], ...]]:
    """Each player's structural alternatives as ``(strategy spec, weight)`` pairs, checked: the
    player exists, the list is not empty, and the weights add up to 1."""
    out = {}
    for player, options in model.alternatives.items():
        key = f"alternatives.{player}"
        if player not in players:
            raise ScenarioError(
                f"unknown player {echo(player)}; {suggest(player, players)}", key=key
            )
        if not options:
            raise ScenarioError("list at least one alternative strategy", key=key)
        total = sum(o.weight for o in options)
        if abs(total - 1.0) > WEIGHT_TOLERANCE:
            raise ScenarioError(f"the weights add up to {total:.6g}, not 1", key=key)
        out[player] = tuple((o.strategy, float(o.weight)) for o in options)
    return out
