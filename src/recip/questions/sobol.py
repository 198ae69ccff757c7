"""Sobol' indices of any vectorised function of independent inputs, with bootstrap intervals.

For ``Y = f(X_1, ..., X_d)`` with independent inputs, the *first-order* index of ``X_i`` is the
share of ``Var(Y)`` explained by ``X_i`` alone, and the *total* index the share in which ``X_i``
takes part, interactions included [Sobol2001]_:

    S_i  = Var(E[Y | X_i]) / Var(Y),          ST_i = E[Var(Y | X_~i)] / Var(Y).

They are estimated from two independent samples ``A`` and ``B`` of ``n`` points and the ``d``
matrices ``AB_i`` (``A`` with column ``i`` taken from ``B``): ``n (d + 2)`` evaluations of
``f``, with the estimators of [Saltelli2010]_ as :func:`scipy.stats.sobol_indices` implements
them. The intervals are percentile bootstrap intervals over the ``n`` rows (each resample keeps
the rows of ``A``, ``B`` and every ``AB_i`` together), drawn from a seeded generator.

Why scipy rather than SALib: scipy is already recip's dependency, is maintained with the
scientific Python stack, takes evaluations computed elsewhere (so that ``f`` is called once, on
every point at once, and the design is recip's own seeded one) and offers bootstrap intervals;
SALib would add a dependency (pandas, multiprocess) for the same estimators. The bootstrap is
run here with :func:`scipy.stats.bootstrap` and a seeded generator because
``SobolResult.bootstrap`` draws from numpy's global random state, which would make intervals
differ from run to run.

.. [Sobol2001] I. M. Sobol', Global sensitivity indices for nonlinear mathematical models and
   their Monte Carlo estimates, Math. Comput. Simul. 55 (2001) 271-280.
.. [Saltelli2010] A. Saltelli et al., Variance based sensitivity analysis of model output,
   Comput. Phys. Commun. 181 (2010) 259-270.

>>> import numpy as np
>>> from scipy import stats
>>> result = sobol(lambda X: X[:, 0] + 2 * X[:, 1], [stats.uniform()] * 2, 256, seed=1)
>>> [round(float(s), 1) for s in result.first]       # closed form: 1/5 and 4/5
[0.2, 0.8]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.errors import ScenarioError
from ..model.sampling import DESIGNS, unit_points

#: Bootstrap resamples of the interval of each index.
RESAMPLES = 999


@dataclass(frozen=True, eq=False)
class SobolIndices:
    """First-order and total indices (``first``, ``total``, one per input) with their
    ``confidence`` intervals (``first_interval``, ``total_interval``: ``(d, 2)``); ``n`` base
    samples; ``points`` and ``values``: every point evaluated (``A``, then ``B``, then each
    ``AB_i``; ``n (d + 2)`` rows) and ``f`` there."""

    first: np.ndarray
    total: np.ndarray
    first_interval: np.ndarray
    total_interval: np.ndarray
    n: int
    confidence: float
    points: np.ndarray
    values: np.ndarray

    @property
    def variance(self) -> float:
        """The variance of ``f`` over ``A`` and ``B`` (0: no input moves it)."""
        return float(np.var(self.values[: 2 * self.n]))

    def to_dict(self) -> dict[str, Any]:
        return {
            "first_order": self.first.tolist(),
            "first_order_interval": self.first_interval.tolist(),
            "total": self.total.tolist(),
            "total_interval": self.total_interval.tolist(),
            "base_samples": self.n,
            "evaluations": len(self.values),
            "confidence": self.confidence,
        }


def design(
    distributions: Sequence[Any], n: int, *, seed: int = 0, method: str = "sobol"
) -> np.ndarray:
    """The ``n (d + 2)`` points of the estimator, as rows: ``A``, ``B``, then ``AB_1`` ...
    ``AB_d``. ``A`` and ``B`` are the two halves of one seeded ``2d``-dimensional design over
    the unit cube (:func:`recip.model.sampling.unit_points`), mapped by each input's ``ppf``."""
    d = len(distributions)
    u = unit_points(2 * d, n, method=method, seed=seed)[:n]
    A = np.column_stack([dist.ppf(u[:, i]) for i, dist in enumerate(distributions)])
    B = np.column_stack([dist.ppf(u[:, d + i]) for i, dist in enumerate(distributions)])
    pages = np.repeat(A[None], d, axis=0)
    pages[np.arange(d), :, np.arange(d)] = B.T
    return np.concatenate([A, B, pages.reshape(d * n, d)])


def check_base(n: Any) -> int:
    """``n``, a power of two of at least 4 (the estimator and Sobol' designs need one)."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 4 or n & (n - 1):
        raise ScenarioError(
            f"the number of base samples must be a power of two, at least 4, not {n!r}",
            key="samples",
        )
    return int(n)


def sobol(
    func: Callable[[np.ndarray], np.ndarray],
    distributions: Sequence[Any],
    n: int,
    *,
    seed: int = 0,
    method: str = "sobol",
    confidence: float = 0.95,
    resamples: int = RESAMPLES,
) -> SobolIndices:
    """Sobol' indices of ``func`` (points as rows ``(N, d)`` -> values ``(N,)``, called once on
    all ``n (d + 2)`` points) whose inputs follow ``distributions`` (anything with a ``ppf``,
    e.g. :mod:`scipy.stats` distributions), from ``n`` base samples (a power of two) of the
    ``method`` design (``sobol``, ``lhs`` or ``random``), reproducible from ``seed``."""
    if method not in DESIGNS:
        raise ScenarioError(f"unknown design {method!r}; valid: {', '.join(DESIGNS)}", key="method")
    n = check_base(n)
    d = len(distributions)
    points = design(distributions, n, seed=seed, method=method)
    values = np.asarray(func(points), dtype=float).reshape(-1)
    if values.shape != (len(points),) or not np.isfinite(values).all():
        raise ValueError("func must return one finite value per point")
    f_A, f_B = values[:n], values[n : 2 * n]
    f_AB = values[2 * n :].reshape(d, n)
    first, total = _indices(f_A, f_B, f_AB)
    first_interval, total_interval = _intervals(f_A, f_B, f_AB, confidence, resamples, seed)
    return SobolIndices(first, total, first_interval, total_interval, n, confidence, points, values)


def _indices(f_A: np.ndarray, f_B: np.ndarray, f_AB: np.ndarray) -> tuple[np.ndarray, ...]:
    """scipy's estimates from evaluations: first-order and total indices, each ``(d,)``."""
    from scipy.stats import sobol_indices

    d = len(f_AB)
    if np.var(np.concatenate([f_A, f_B])) == 0:  # nothing moves f: every share is 0
        return np.zeros(d), np.zeros(d)
    # the output is given twice: scipy squeezes its arrays and, with one output and one input,
    # would fail on a scalar
    twice = {
        "f_A": np.stack([f_A] * 2),
        "f_B": np.stack([f_B] * 2),
        "f_AB": np.stack([f_AB] * 2, 1),
    }
    result = sobol_indices(func=twice, n=len(f_A))
    return np.reshape(result.first_order, (2, d))[0], np.reshape(result.total_order, (2, d))[0]


def _intervals(f_A, f_B, f_AB, confidence: float, resamples: int, seed: int):
    """Percentile bootstrap intervals of both indices, resampling rows (seeded)."""
    from scipy.stats import bootstrap

    d = len(f_AB)
    if np.var(np.concatenate([f_A, f_B])) == 0:
        zero = np.zeros((d, 2))
        return zero, zero.copy()

    def statistic(rows: np.ndarray) -> np.ndarray:
        rows = rows.astype(np.int64)
        return np.concatenate(_indices(f_A[rows], f_B[rows], f_AB[:, rows]))

    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x5E75]))
    with np.errstate(divide="ignore", invalid="ignore"):
        result = bootstrap(
            (np.arange(len(f_A)),),
            statistic,
            n_resamples=resamples,
            confidence_level=confidence,
            method="percentile",
            vectorized=False,
            rng=rng,
        )
    low = np.asarray(result.confidence_interval.low, dtype=float)
    high = np.asarray(result.confidence_interval.high, dtype=float)
    both = np.column_stack([low, high])
    return both[:d], both[d:]
