"""How sure is the verdict? The compared policies under the scenario's own declared uncertainty.

Every uncertain input the scenario declares (payoff values, the discount factor, noise rates,
strategy parameters, players' alternative strategies: :mod:`recip.model.inputs`) is sampled
with a seeded design (scrambled Sobol' by default, a Latin hypercube, or independent draws), and
at every draw each of the focal player's policies is evaluated *exactly*
(:mod:`recip.model.points`): payoff draws go through one solve per chain, discount draws one
solve each, and structural draws (a strategy parameter, an alternative) rebuild the scenario
and its chains, once per distinct combination.

The answer, per policy: the share of draws in which it is the focal player's best (ties within
:data:`recip.questions.compare.TIE` go to the earlier policy, as in ``recip compare``) with a
95% Wilson interval; and the distribution of each policy's advantage over the first. The Wilson
interval treats draws as independent: for a scrambled Sobol' or Latin hypercube design the
estimate varies less than that, so the interval is conservative. The interval is about sampling
only; the exact evaluation of each draw has no error beyond rounding.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.errors import ScenarioError
from ..core.limits import MAX_UNCERTAINTY_SAMPLES
from ..model.chunks import values_at
from ..model.conditions import Conditions
from ..model.inputs import Input, declared_inputs, sample
from ..model.profile import compile_profile
from ..model.result import Result
from ..model.sampling import DESIGNS, sobol_size
from ..model.setting import ScenarioLike, as_setting
from ..scenario.load import Scenario, load_scenario
from .checks import check_choice, check_count, check_seed
from .compare import TIE

#: The quantiles of each advantage that results report.
QUANTILES = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)
#: The 97.5% quantile of the standard normal (95% intervals).
Z95 = 1.959963984540054
#: Bins of the histogram of an advantage.
BINS = 40


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a binomial proportion [Wilson1927]:
    ``(p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)``.

    >>> [round(x, 4) for x in wilson(50, 100)]
    [0.4038, 0.5962]
    """
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    denom = 1 + z * z / n
    return (max(0.0, (centre - half) / denom), min(1.0, (centre + half) / denom))


@dataclass(frozen=True)
class Spread:
    """The distribution of one policy's advantage over the baseline across the draws."""

    policy: str
    mean: float
    sd: float
    quantiles: tuple[float, ...]
    positive: float  # share of draws with an advantage above the tie tolerance
    histogram: tuple[tuple[float, ...], tuple[int, ...]]  # bin edges, counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "mean": self.mean,
            "sd": self.sd,
            "quantiles": {f"{q:g}": v for q, v in zip(QUANTILES, self.quantiles, strict=True)},
            "share_positive": self.positive,
            "histogram": {"edges": list(self.histogram[0]), "counts": list(self.histogram[1])},
        }


@dataclass(frozen=True, eq=False)
class Uncertainty(Result):
    """Result of :func:`uncertainty`.

    ``best_share[k]`` is the share of draws in which policy ``k`` is the focal player's best,
    ``best_interval[k]`` its 95% Wilson interval; ``spreads`` the advantage of each policy over
    the first; ``X`` the draws (one column per input) and ``values[k, p, i]`` player ``i``'s
    value at draw ``k`` when the focal player follows policy ``p``.
    """

    title: str
    conditions: Conditions
    focal: str
    policies: tuple[str, ...]
    inputs: tuple[Input, ...]
    method: str
    seed: int
    X: np.ndarray = field(repr=False)
    values: np.ndarray = field(repr=False)
    best_share: np.ndarray
    best_interval: np.ndarray
    spreads: tuple[Spread, ...]
    nominal_best: int
    players: tuple[str, ...] = ()
    discovery: Any = None
    notes: tuple[str, ...] = ()

    kind = "uncertainty"

    @property
    def samples(self) -> int:
        return len(self.X)

    @property
    def advantages(self) -> np.ndarray:
        """``advantages[k, p]``: the focal player's value under policy ``p`` minus under the
        first policy, at draw ``k``."""
        f = self.players.index(self.focal)
        return self.values[:, :, f] - self.values[:, :1, f]

    @property
    def summary(self) -> str:
        k = self.nominal_best
        share = self.best_share[k]
        lo, hi = self.best_interval[k]
        base = (
            f"{self.policies[k]}, the nominal verdict for {self.focal}, is best in "
            f"{100 * share:.1f}% of {self.samples} draws (95% interval {100 * lo:.1f}% to "
            f"{100 * hi:.1f}%) of the scenario's {len(self.inputs)} uncertain inputs"
        )
        if len(self.policies) == 2:
            s = self.spreads[0]
            base += (
                f"; {self.policies[1]}'s advantage over {self.policies[0]} has median "
                f"{s.quantiles[3]:.4g} per round, 90% of draws between {s.quantiles[1]:.4g} "
                f"and {s.quantiles[5]:.4g}"
            )
        return base + "."

    def payload(self) -> dict[str, Any]:
        return {
            "focal": self.focal,
            "policies": list(self.policies),
            "samples": self.samples,
            "design": self.method,
            "seed": self.seed,
            "inputs": [i.to_dict() for i in self.inputs],
            "best": {
                p: {"share": float(s), "interval": [float(x) for x in ci]}
                for p, s, ci in zip(self.policies, self.best_share, self.best_interval, strict=True)
            },
            "nominal_best": self.policies[self.nominal_best],
            "advantage": [s.to_dict() for s in self.spreads],
            "flip_region": self.discovery.to_dict() if self.discovery is not None else None,
            "notes": list(self.notes),
        }


def _scenario(scenario: ScenarioLike) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, str):
        return load_scenario(scenario)
    if hasattr(scenario, "__fspath__"):
        return load_scenario(scenario)
    raise ScenarioError(
        "uncertainty needs the scenario itself (a recip.Scenario, a bundled scenario's name or "
        f"a file path), not a {type(scenario).__name__}",
        key="scenario",
    )


def select_inputs(scenario: Scenario, keys: Sequence[str] | None) -> list[Input]:
    """The scenario's declared inputs, or the ones named by ``keys`` (each must be declared)."""
    inputs = declared_inputs(scenario)
    if keys is None:
        return inputs
    if isinstance(keys, str) or not isinstance(keys, Sequence):
        raise ScenarioError(f"inputs are a list of dotted keys, not {keys!r}", key="inputs")
    by_key = {i.key: i for i in inputs}
    out = []
    for key in keys:
        canonical = scenario.canonical_key(key)
        if canonical not in by_key:
            from ..core.errors import suggest

            raise ScenarioError(
                f"{key!r} is not an uncertain input of this scenario; {suggest(key, list(by_key))}",
                key="inputs",
            )
        out.append(by_key[canonical])
    return out


def uncertainty(
    scenario: ScenarioLike,
    *,
    samples: int = 4096,
    seed: int = 0,
    method: str = "sobol",
    focal: str | None = None,
    policies: Sequence[Any] | None = None,
    inputs: Sequence[str] | None = None,
    workers: int | None = 1,
    executor: str = "local",
    progress: Callable[[int], None] | None = None,
) -> Uncertainty:
    """The probability that each compared policy is the focal player's best, and the
    distribution of its advantage, under the scenario's declared uncertainty.

    ``samples`` draws (rounded up to a power of two for Sobol') of every declared uncertain
    input (or those named by ``inputs``), with the design ``method`` (``"sobol"``, ``"lhs"``,
    ``"random"``) and ``seed``; each draw evaluated exactly, on ``workers`` processes of the
    ``executor``. Defaults for ``focal`` and ``policies`` as in :func:`recip.compare`.

    >>> import recip
    >>> u = uncertainty("sindoor-2025", samples=64, seed=1, inputs=["horizon.discount"])
    >>> u.policies, u.samples
    (('balancing', 'aligning'), 64)
    """
    check_count(samples, "samples", low=2, high=MAX_UNCERTAINTY_SAMPLES)
    check_seed(seed)
    check_choice(method, DESIGNS, "method")
    base = _scenario(scenario)
    setting = as_setting(base)
    chosen = select_inputs(base, inputs)
    if not chosen:
        raise ScenarioError(
            "this scenario declares no uncertain input: write a payoff, the discount factor, "
            "noise or a strategy parameter as { value = ..., low = ..., high = ... }, or give a "
            "player [[alternatives]] (see docs/scenario-format.md)",
            file=setting.source,
            key="inputs",
        )
    focal_name = setting.check_player(
        focal if focal is not None else setting.focal, "compare.focal", "focal player"
    )
    parsed, _ = setting.policy_list(policies)
    if len(parsed) < 2:
        raise ScenarioError("compare at least two policies", key="policies")
    n = sobol_size(samples) if method == "sobol" else samples
    X = sample(chosen, n, seed=seed, method=method)
    axes = [i.axis for i in chosen]
    values = values_at(
        base,
        axes,
        X,
        focal=focal_name,
        policies=parsed,
        workers=workers,
        executor=executor,
        progress=progress,
    )
    f = setting.players.index(focal_name)
    focal_values = values[:, :, f]
    adv = focal_values - focal_values[:, :1]
    best = np.argmax(adv >= adv.max(axis=1, keepdims=True) - TIE, axis=1)
    counts = np.bincount(best, minlength=len(parsed))
    share = counts / n
    interval = np.array([wilson(int(c), n) for c in counts])
    spreads = tuple(_spread(parsed[p].label, adv[:, p]) for p in range(1, len(parsed)))
    nominal = np.array(
        [compile_profile(setting, setting.profile({focal_name: p})).values()[f] for p in parsed]
    )
    nominal_adv = nominal - nominal[0]
    nominal_best = int(np.flatnonzero(nominal_adv >= nominal_adv.max() - TIE)[0])
    notes = []
    if method == "sobol" and n != samples:
        notes.append(f"{n} Sobol' draws (the next power of two after {samples}).")
    strategies = setting.profile({focal_name: parsed[0]})
    conditions = setting.conditions(strategies, focal=focal_name)
    discovery = _flip_region(chosen, X, best, nominal_best)
    return Uncertainty(
        title=f"{setting.title}: how sure is the verdict for {focal_name}?",
        conditions=conditions,
        focal=focal_name,
        policies=tuple(p.label for p in parsed),
        inputs=tuple(chosen),
        method=method,
        seed=seed,
        X=X,
        values=values,
        best_share=share,
        best_interval=interval,
        spreads=spreads,
        nominal_best=nominal_best,
        players=setting.players,
        discovery=discovery,
        notes=tuple(notes),
    )


def _spread(policy: str, adv: np.ndarray) -> Spread:
    counts, edges = np.histogram(adv, bins=BINS)
    return Spread(
        policy=policy,
        mean=float(adv.mean()),
        sd=float(adv.std(ddof=1)) if len(adv) > 1 else 0.0,
        quantiles=tuple(float(q) for q in np.quantile(adv, QUANTILES)),
        positive=float((adv > TIE).mean()),
        histogram=(tuple(float(e) for e in edges), tuple(int(c) for c in counts)),
    )


def _flip_region(inputs: Sequence[Input], X: np.ndarray, best: np.ndarray, nominal_best: int):
    """Where another policy than the nominal verdict wins, as readable boxes (when scenario
    discovery is available and some draws flip)."""
    flips = best != nominal_best
    if not flips.any() or flips.all():
        return None
    try:
        from .discovery import describe_flips
    except ImportError:  # pragma: no cover - discovery ships with recip
        return None
    return describe_flips(inputs, X, flips)
