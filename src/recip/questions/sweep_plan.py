"""A sweep's plan: its points, and every check made before any work starts.

A grid is the full product of the keys' values (:mod:`recip.questions.sweep_spec`), the first key
varying slowest; a design draws ``samples`` points from ``seed`` (each key uniform over its range,
or one of its values with equal chance). Before any work: the sweep must fit recip's limits
(:mod:`recip.core.limits`: points, numbers in the table, structural combinations), and the
scenario's schema must accept the values -- every explicit value and option, the ends and one
interior value of every range, and with several structural keys every combination of those --
checked by :meth:`~recip.Scenario.with_overrides` as ``--set`` would check them. A value in
between that the schema refuses nonetheless (a rule no end shows) stops the sweep with the same
one-line message when its chunk reaches it, and the checkpoints of that run are removed.

A sweep asks *what if*, so it may cross the range a scenario declares for an uncertain value
(which says how likely values are): such a range is widened to cover the sweep, and a note says so.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.errors import ScenarioError
from ..core.limits import (
    MAX_CHUNK_POINTS,
    MAX_SWEEP_CELLS,
    MAX_SWEEP_POINTS,
    MAX_SWEEP_STRUCTURES,
    SWEEP_CHUNK_MIN,
    SWEEP_CHUNKS,
)
from ..core.text import echo
from ..model.chunks import CHUNK
from ..model.points import Axis, PointEvaluator, widen
from ..model.sampling import DESIGNS, sobol_size, unit_points
from ..scenario.keys import item_names, parse_key
from ..scenario.load import Scenario, load_scenario
from .checks import check_count, check_seed
from .sweep_spec import Swept, read_spec


@dataclass(frozen=True, eq=False)
class SweepPlan:
    """A checked sweep, ready to run: the ``scenario`` asked about and the ``base`` it is
    evaluated on (declared ranges widened), the swept ``inputs`` and the ``points``, the focal
    player and policies (as given, and their ``labels``), what the work costs (``structures``:
    distinct structural combinations; ``solves``: distinct combinations with the discount
    factor, per policy) and how it is cut (``chunk`` points per chunk, ``chunks`` in all)."""

    scenario: Scenario
    base: Scenario
    inputs: tuple[Swept, ...]
    points: np.ndarray
    design: str | None
    seed: int
    focal: str
    focal_given: str | None
    policies: tuple[Any, ...] | None
    labels: tuple[str, ...]
    players: tuple[str, ...]
    structures: int
    solves: int
    chunk: int
    chunks: int
    notes: tuple[str, ...]

    @property
    def axes(self) -> tuple[Axis, ...]:
        return tuple(s.axis for s in self.inputs)


def chunk_size(n_points: int, n_structures: int = 1) -> int:
    """Points per chunk by default: about :data:`~recip.core.limits.SWEEP_CHUNKS` chunks, but
    no fewer points than a structural combination has on average (a chunk builds the chains of
    every combination it touches, so cheap points are not cut finer than their chains), and
    from :data:`~recip.core.limits.SWEEP_CHUNK_MIN` to ``CHUNK`` points -- a function of the
    sweep only, never of the workers, so that every executor gets the same chunks."""
    size = max(math.ceil(n_points / SWEEP_CHUNKS), n_points // max(n_structures, 1))
    return int(min(CHUNK, max(SWEEP_CHUNK_MIN, size)))


def plan_sweep(
    scenario: Scenario | str,
    grid: Mapping[str, Any] | None,
    *,
    design: str | None = None,
    samples: int | None = None,
    seed: int = 0,
    focal: str | None = None,
    policies: Sequence[Any] | None = None,
    chunk: int | None = None,
    origins: Mapping[str, str] | None = None,
) -> SweepPlan:
    """Read and check a sweep (see :func:`recip.questions.sweep.sweep` for the arguments)."""
    s = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    check_design(design, samples)
    check_seed(seed)
    if chunk is not None:
        check_count(chunk, "chunk", low=1, high=MAX_CHUNK_POINTS)
    if not isinstance(grid, Mapping) or not grid:
        raise ScenarioError(
            "give at least one key to sweep, e.g. {'horizon.discount': '0.5:0.99:50'} "
            "(on the command line: --vary horizon.discount=0.5:0.99:50)",
            key="grid",
        )
    origins = origins or {}
    swept = tuple(
        read_spec(s, key, spec, design=design, origin=origins.get(key, "grid"))
        for key, spec in grid.items()
    )
    seen: dict[str, Swept] = {}
    for item in swept:
        if item.key in seen:
            raise ScenarioError(
                f"the key is swept twice ({seen[item.key].where} and {item.where})", key=item.key
            )
        seen[item.key] = item
    evaluator = PointEvaluator(s, [i.axis for i in swept], focal=focal, policies=policies)
    labels, players = evaluator.labels, tuple(evaluator.setting.players)
    n_points = count_points(swept, design, samples)
    cells = n_points * (len(swept) + len(labels) * (len(players) + 1))
    if n_points > MAX_SWEEP_POINTS or cells > MAX_SWEEP_CELLS:
        raise ScenarioError(
            f"the sweep has {n_points:,} points and its table {cells:,} numbers; recip's limits "
            f"are {MAX_SWEEP_POINTS:,} points (MAX_SWEEP_POINTS) and {MAX_SWEEP_CELLS:,} "
            "numbers (MAX_SWEEP_CELLS): sweep fewer values",
            key="grid",
        )
    check_structures(structure_count(swept, design, n_points))
    base, notes = widened(s, swept)
    X = points(swept, design, samples, seed)
    n_structures = structures(swept, X)
    check_structures(n_structures)
    check_values(base, swept)
    cols = [k for k, i in enumerate(swept) if i.axis.kind in ("structure", "discount")]
    size = chunk if chunk is not None else chunk_size(len(X), n_structures)
    return SweepPlan(
        scenario=s,
        base=base,
        inputs=swept,
        points=X,
        design=design,
        seed=seed,
        focal=evaluator.focal,
        focal_given=focal,
        policies=tuple(policies) if policies is not None else None,
        labels=labels,
        players=players,
        structures=n_structures,
        solves=len(np.unique(X[:, cols], axis=0)) if cols else 1,
        chunk=size,
        chunks=math.ceil(len(X) / size),
        notes=tuple(notes),
    )


# -- points ---------------------------------------------------------------------------------------


def count_points(swept: Sequence[Swept], design: str | None, samples: int | None) -> int:
    """The number of points: the product of the counts, or the design's samples (a power of
    two for Sobol')."""
    if design is None:
        return math.prod(s.count for s in swept)
    return sobol_size(samples) if design == "sobol" else int(samples)  # type: ignore[arg-type]


def points(swept: Sequence[Swept], design: str | None, samples: int | None, seed: int):
    """The points ``X`` (one row per point, one column per key: a number, or an option's
    index), in the grid's order (first key slowest) or the design's."""
    if design is None:
        columns = [
            np.arange(len(s.axis.options), dtype=float) if s.axis.options else np.array(s.values)
            for s in swept
        ]
        mesh = np.meshgrid(*columns, indexing="ij")
        return np.column_stack([m.reshape(-1) for m in mesh])
    u = unit_points(len(swept), samples, method=design, seed=seed)
    out = np.empty_like(u)
    for k, s in enumerate(swept):
        if s.values or s.axis.options:
            m = s.count
            pick = np.minimum((u[:, k] * m).astype(np.int64), m - 1)
            out[:, k] = pick if s.axis.options else np.array(s.values)[pick]
        else:
            out[:, k] = s.low + u[:, k] * (s.high - s.low)
    return out


def structures(swept: Sequence[Swept], X: np.ndarray) -> int:
    """Distinct combinations of structural values among the points (each builds its chains)."""
    cols = [k for k, s in enumerate(swept) if s.axis.kind == "structure"]
    if not cols:
        return 1
    return len(np.unique(X[:, cols], axis=0))


def structure_count(swept: Sequence[Swept], design: str | None, n_points: int) -> int:
    """An upper bound of :func:`structures`, known before the points are drawn."""
    structural = [s for s in swept if s.axis.kind == "structure"]
    if design is not None and any(not s.count for s in structural):
        return n_points
    return min(n_points, math.prod(s.count for s in structural))


def check_design(design: Any, samples: Any) -> None:
    if design is None:
        if samples is not None:
            raise ScenarioError(
                "samples are drawn by a design: add --design sobol|lhs|random", key="samples"
            )
        return
    if design not in DESIGNS:
        raise ScenarioError(
            f"unknown design {echo(design)}; valid: {', '.join(DESIGNS)}", key="design"
        )
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 2:
        given = "" if samples is None else f", not {echo(samples)}"
        raise ScenarioError(
            f"a {design} design needs --samples N (a whole number >= 2){given}", key="samples"
        )


def check_structures(n: int) -> None:
    if n > MAX_SWEEP_STRUCTURES:
        raise ScenarioError(
            f"the sweep has {n:,} distinct combinations of structural values (strategy "
            "parameters, strategies, noise, ...), each a rebuilt scenario and its chains; "
            f"recip's limit is {MAX_SWEEP_STRUCTURES:,} (MAX_SWEEP_STRUCTURES): sweep fewer "
            "structural values (payoff values and the discount factor are cheap)",
            key="grid",
        )


# -- the scenario's own values, and the check of every value ------------------------------------


def lookup(data: Any, key: str) -> Any:
    """The value at ``key`` in plain scenario data, or None where the file does not set it."""
    node = data
    for part in parse_key(key):
        if isinstance(node, Mapping) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, Sequence) and not isinstance(node, str):
            names = item_names(node)
            if isinstance(part, int):
                node = node[part] if part < len(node) else None
            else:
                node = node[names.index(part)] if part in names else None
        else:
            return None
        if node is None:
            return None
    return node


def widened(scenario: Scenario, swept: Sequence[Swept]) -> tuple[Scenario, list[str]]:
    """``scenario`` with the declared range of every swept uncertain value widened to cover
    the sweep, and a note for each."""
    changes: dict[str, float] = {}
    notes = []
    for s in swept:
        current = lookup(scenario.data, s.key)
        if not s.numeric or not isinstance(current, Mapping) or "value" not in current:
            continue
        lo, hi = s.span
        low, high = current.get("low"), current.get("high")
        if low is not None and lo < low:
            changes[f"{s.key}.low"] = lo
        if high is not None and hi > high:
            changes[f"{s.key}.high"] = hi
        if any(f"{s.key}.{end}" in changes for end in ("low", "high")):
            declared = f"{'-inf' if low is None else f'{low:g}'} to " + (
                "inf" if high is None else f"{high:g}"
            )
            notes.append(
                f"the sweep of {s.key} ({lo:g} to {hi:g}) crosses the range the scenario "
                f"declares for it ({declared}): that range says how likely values are, a sweep "
                "asks what if"
            )
    if not changes:
        return scenario, notes
    try:
        return scenario.with_overrides(changes), notes
    except ScenarioError:
        return scenario, []  # the values themselves are then checked (and refused) one by one


def _typed(scenario: Scenario, s: Swept, x: float) -> Any:
    """The override the points evaluator makes of ``x``: an option, a float, or a whole
    number where the schema wants one."""
    if s.axis.options:
        return s.axis.options[int(x)]
    if float(x).is_integer():
        try:
            scenario.with_overrides({s.key: float(x)})
        except ScenarioError:
            return int(x)
    return float(x)


def _checked(s: Swept) -> list[float]:
    """The values of a key checked before any work: every option and explicit value; of a
    range, its ends and one interior value (which a whole-number key would refuse when the
    step is not whole); of a payoff, its ends (payoffs enter linearly: nothing else can fail)."""
    if s.axis.options:
        return list(range(len(s.axis.options)))
    lo, hi = s.span
    if s.axis.kind == "payoff":
        return [lo, hi]
    if s.values and not s.ranged:
        return sorted(set(s.values))
    inner = s.values[1] if s.values else (lo + hi) / 2
    return sorted({lo, inner, hi})


def check_values(scenario: Scenario, swept: Sequence[Swept]) -> None:
    """Refuse, before any work, a value the scenario's schema does not accept: each key's
    checked values (:func:`_checked`), and with several structural keys every combination of
    their checked values."""
    checks = [_checked(s) for s in swept]
    for s, values in zip(swept, checks, strict=True):
        for x in values:
            try:
                change = {s.key: _typed(scenario, s, x)}
                scenario.with_overrides({**change, **widen(scenario, change)})
            except ScenarioError as exc:
                raise ScenarioError(
                    f"at {s.axis.text(x)}: {exc.message}", file=s.where, key=exc.key or s.key
                ) from None
    cols = [k for k, s in enumerate(swept) if s.axis.kind == "structure"]
    if len(cols) < 2:
        return
    for row in itertools.product(*(checks[c] for c in cols)):
        changes = {
            swept[c].key: _typed(scenario, swept[c], x) for c, x in zip(cols, row, strict=True)
        }
        try:
            scenario.with_overrides({**changes, **widen(scenario, changes)})
        except ScenarioError as exc:
            at = ", ".join(
                f"{swept[c].key}={swept[c].axis.text(x)}" for c, x in zip(cols, row, strict=True)
            )
            raise ScenarioError(
                f"at the point {at}: {exc.message}",
                file=" ".join(swept[c].where for c in cols),
                key=exc.key,
            ) from None
