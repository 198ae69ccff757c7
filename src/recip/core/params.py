"""Uncertain values of a scenario: a nominal value and the distribution it may be drawn from.

Exact and simulated evaluation use the nominal value; uncertainty analyses sample the rest.
These are plain data (no validation library), so that anything built from a scenario pickles.
"""

from __future__ import annotations

from dataclasses import dataclass

DISTRIBUTIONS = ("uniform", "triangular", "normal")


@dataclass(frozen=True)
class Uncertain:
    """A nominal ``value`` with its plausible range and distribution: ``uniform`` on
    ``[low, high]``, ``triangular`` on ``[low, high]`` with mode ``value``, or ``normal`` with
    mean ``value`` and standard deviation ``sd``, truncated to ``[low, high]`` where given."""

    value: float
    low: float | None
    high: float | None
    sd: float | None
    distribution: str


@dataclass(frozen=True)
class Param:
    """One uncertain value: its dotted ``key`` in the scenario and its distribution."""

    key: str
    nominal: float
    uncertain: Uncertain
