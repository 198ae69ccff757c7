"""Argument checks of the public functions: a wrong argument is a :class:`ScenarioError` that
names it and says what would be valid, never an error from deep inside."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ..core.errors import ScenarioError, suggest
from ..core.limits import MAX_REPLICATES, MAX_SIMULATED_ROUNDS


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_choice(value: Any, valid: Sequence[str], key: str) -> str:
    if not isinstance(value, str) or value not in valid:
        raise ScenarioError(
            f"{key} must be one of {', '.join(valid)}, not {_shown(value)}; "
            f"{suggest(str(value), valid)}",
            key=key,
        )
    return value


def check_flag(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise ScenarioError(f"{key} must be True or False, not {_shown(value)}", key=key)
    return value


_COUNT_LIMITS = {"replicates": MAX_REPLICATES, "rounds": MAX_SIMULATED_ROUNDS}


def check_count(value: Any, key: str, *, low: int = 0, high: int | None = None) -> int:
    """A whole number in ``[low, high]`` (``high`` defaults to recip's limit for ``key``)."""
    high = high if high is not None else _COUNT_LIMITS.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(f"{key} must be a whole number, not {_shown(value)}", key=key)
    if value < low:
        raise ScenarioError(f"{key} must be at least {low}, not {value}", key=key)
    if high is not None and value > high:
        raise ScenarioError(
            f"{key} = {value} is more than recip's limit of {high}; use fewer", key=key
        )
    return value


def check_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ScenarioError(f"seed must be a non-negative whole number, not {_shown(seed)}")
    return seed


def check_number(
    value: Any,
    key: str,
    *,
    low: float | None = None,
    high: float | None = None,
    high_open: bool = False,
) -> float:
    """A finite real number in ``[low, high]`` (``[low, high)`` with ``high_open``)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ScenarioError(f"{key} must be a finite number, not {_shown(value)}", key=key)
    too_high = high is not None and (value >= high if high_open else value > high)
    if (low is not None and value < low) or too_high:
        rng = f"[{low:g}, {high:g}{')' if high_open else ']'}"
        raise ScenarioError(f"{key} must be in {rng}, not {value:g}", key=key)
    return float(value)
