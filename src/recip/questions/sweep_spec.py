"""What a sweep varies: the specification of each swept key, read and checked.

A swept key is any dotted key of the scenario (the dialect of ``--set``), with either

* a **range** ``low:high:count`` -- ``count >= 2`` values from ``low`` to ``high``, ends
  included, evenly spaced (interior values rounded to 12 significant digits, so that
  ``0.5:0.99:50`` gives ``0.51``, not ``0.5100000000000001``; the rounded values are the ones
  evaluated and written); with a design (``sobol``, ``lhs``, ``random``), ``low:high`` and the
  design draws the values, uniformly over the range;
* or **explicit values** ``v1,v2,...`` -- numbers, or for a structural key any value the key
  takes, such as strategies (``strategies.india=aligning,myopic``); each written as a
  ``--set`` value is (TOML, else plain text), commas inside ``{ }``, ``[ ]`` or quotes
  belonging to the value. With a design, a point takes one of them with equal chance.

A range must be non-empty and increasing, a count a whole number >= 2, values finite and
distinct; a payoff value or a discount factor must be a number. Whether the scenario accepts
the values is checked by :mod:`recip.questions.sweep_plan`.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.errors import ScenarioError
from ..core.limits import MAX_SWEEP_POINTS
from ..core.text import echo
from ..model.points import Axis, make_axis
from ..scenario.load import Scenario
from ..scenario.overrides import toml_value, value_text

#: Significant digits of the interior values of a range.
GRID_DIGITS = 12
_NUMBER = r"\s*[-+]?(?:\d[\d_]*\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|inf|nan)\s*"
_RANGE = re.compile(rf"^({_NUMBER}):({_NUMBER})(?::({_NUMBER}))?$")


@dataclass(frozen=True)
class Swept:
    """One swept key: its ``axis`` (canonical key, kind, options), how it was given (``origin``
    and ``spec``, for messages and results), and either its ``values`` (a grid's values or the
    explicit values: numbers, or the options in ``axis.options``) or, for a range under a
    design, ``low`` and ``high``; ``ranged`` says the key was given a range."""

    axis: Axis
    origin: str
    spec: str
    values: tuple[float, ...] = ()
    low: float | None = None
    high: float | None = None
    ranged: bool = False

    @property
    def key(self) -> str:
        return self.axis.key

    @property
    def where(self) -> str:
        return f"{self.origin} {self.key}={self.spec}"

    @property
    def numeric(self) -> bool:
        return not self.axis.options

    @property
    def span(self) -> tuple[float, float]:
        """The smallest and largest number the key takes (numeric keys)."""
        if self.values:
            return min(self.values), max(self.values)
        return self.low, self.high  # type: ignore[return-value]

    @property
    def count(self) -> int:
        """How many values the key takes on a grid (a design's range: none, 0)."""
        return len(self.axis.options) or len(self.values)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "kind": self.axis.kind, "spec": self.spec}
        if self.axis.options:
            out["values"] = list(self.axis.options)
        elif self.values:
            out["values"] = list(self.values)
        else:
            out.update({"low": self.low, "high": self.high})
        return out


def is_sweep_text(text: str) -> bool:
    """Whether a ``--set`` value asks for a sweep: a range of numbers ``a:b`` or ``a:b:n``, or
    values separated by commas outside braces, brackets and quotes.

    >>> is_sweep_text("0.5:0.99:50"), is_sweep_text("aligning,myopic"), is_sweep_text("0.9")
    (True, True, False)
    >>> is_sweep_text("always:support"), is_sweep_text('{ name = "aligning", tolerance = 1 }')
    (False, False)
    """
    return _RANGE.match(text) is not None or len(split_values(text)) > 1


def split_values(text: str) -> list[str]:
    """``text`` cut at the commas that are not inside ``{ }``, ``[ ]`` or quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _number(text: str) -> float:
    return float(text.replace("_", ""))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def grid_values(low: float, high: float, count: int) -> tuple[float, ...]:
    """``count`` evenly spaced values from ``low`` to ``high`` (ends exact, the others rounded
    to :data:`GRID_DIGITS` significant digits unless that would merge two of them).

    >>> grid_values(0.5, 0.99, 50)[1:3]
    (0.51, 0.52)
    """
    raw = np.linspace(low, high, count)
    rounded = [float(f"{x:.{GRID_DIGITS}g}") for x in raw]
    rounded[0], rounded[-1] = float(low), float(high)
    if len(set(rounded)) < count or any(b <= a for a, b in itertools.pairwise(rounded)):
        rounded = [float(x) for x in raw]
    return tuple(rounded)


def read_spec(
    scenario: Scenario, key: Any, spec: Any, *, design: str | None, origin: str = "grid"
) -> Swept:
    """One swept key: ``spec`` is a string (a range or comma-separated values, as on the
    command line) or a sequence of explicit values."""
    if not isinstance(key, str):
        raise ScenarioError(f"a swept key is a dotted key, not {echo(key)}", key=origin)
    text = spec if isinstance(spec, str) else ",".join(value_text(v) for v in _as_list(spec))
    where = f"{origin} {key}={text}"
    try:
        canonical = scenario.canonical_key(key)
    except ScenarioError as exc:
        raise ScenarioError(exc.message, file=where, key=exc.key or key) from None
    if isinstance(spec, str):
        m = _RANGE.match(spec)
        if m is not None:
            low, high = _number(m.group(1)), _number(m.group(2))
            count = None if m.group(3) is None else m.group(3).strip()
            return _range(scenario, canonical, spec, where, origin, low, high, count, design)
        values = [toml_value(part) for part in split_values(spec)]
    else:
        values = _as_list(spec)
    return _explicit(scenario, canonical, text, where, origin, values)


def _as_list(spec: Any) -> list[Any]:
    if isinstance(spec, np.ndarray):
        return [x.item() for x in spec.reshape(-1)]
    if isinstance(spec, Sequence) and not isinstance(spec, str | bytes):
        return list(spec)
    raise ScenarioError(
        f"a swept key takes a range 'low:high:count', values 'v1,v2,...' or a list of values, "
        f"not {echo(spec)}",
        key="grid",
    )


def _range(scenario, key, spec, where, origin, low, high, count, design) -> Swept:
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ScenarioError("the ends of a range must be finite numbers", file=where, key=key)
    if low == high:
        raise ScenarioError(
            f"the range is empty: both ends are {low:g}; give low < high (or one value with --set)",
            file=where,
            key=key,
        )
    if low > high:
        raise ScenarioError(
            f"the range is reversed: {low:g} > {high:g}; write it low:high, e.g. {high:g}:{low:g}",
            file=where,
            key=key,
        )
    axis = make_axis(scenario, key)
    if design is not None:
        if count is not None:
            raise ScenarioError(
                f"a {design} design draws its own points: give the range as low:high, without "
                "a count (the number of points is --samples)",
                file=where,
                key=key,
            )
        return Swept(axis, origin, spec, low=low, high=high, ranged=True)
    if count is None:
        raise ScenarioError(
            "a grid needs a count: low:high:count (count >= 2 values, ends included), or use "
            "--design with --samples",
            file=where,
            key=key,
        )
    try:
        n = _number(count)
    except ValueError:
        n = math.nan
    if not (math.isfinite(n) and n.is_integer() and n >= 2):
        raise ScenarioError(
            f"the count of a range must be a whole number >= 2, not {echo(count)}",
            file=where,
            key=key,
        )
    if n > MAX_SWEEP_POINTS:
        raise ScenarioError(
            f"{int(n):,} values are over recip's limit of {MAX_SWEEP_POINTS:,} points "
            "(MAX_SWEEP_POINTS): use a smaller count",
            file=where,
            key=key,
        )
    return Swept(axis, origin, spec, values=grid_values(low, high, int(n)), ranged=True)


def _explicit(scenario, key, text, where, origin, values) -> Swept:
    if len(values) < 2:
        raise ScenarioError(
            "a swept key needs at least two values (a range low:high:count, or v1,v2,...); "
            "to fix one value, use --set KEY=VALUE",
            file=where,
            key=key,
        )
    if len(values) > MAX_SWEEP_POINTS:
        raise ScenarioError(
            f"{len(values):,} values are over recip's limit of {MAX_SWEEP_POINTS:,} points "
            "(MAX_SWEEP_POINTS)",
            file=where,
            key=key,
        )
    shown = [value_text(v) for v in values]
    for i, v in enumerate(values):
        if v == "":
            raise ScenarioError("a value is missing between two commas", file=where, key=key)
        if _is_number(v) and not math.isfinite(v):
            raise ScenarioError(f"values must be finite, not {v}", file=where, key=key)
        if shown.index(shown[i]) != i:
            raise ScenarioError(f"the value {shown[i]} is listed twice", file=where, key=key)
    if all(_is_number(v) for v in values):
        return Swept(make_axis(scenario, key), origin, text, values=tuple(float(v) for v in values))
    axis = make_axis(scenario, key)
    if axis.kind != "structure":
        what = "a payoff value" if axis.kind == "payoff" else "a discount factor"
        words = [t for t, v in zip(shown, values, strict=True) if not _is_number(v)]
        raise ScenarioError(
            f"{what} is a number; {', '.join(words)} is not",
            file=where,
            key=key,
        )
    return Swept(make_axis(scenario, key, values), origin, text)
