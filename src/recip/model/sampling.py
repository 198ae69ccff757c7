"""Seeded designs over uncertain inputs: Sobol', Latin hypercube or plain random points in the
unit cube, mapped to each input's distribution by its quantile function.

A point ``u`` of ``[0, 1)^d`` becomes the inputs ``F_k^{-1}(u_k)``: for a continuous input its
quantile (uniform on ``[low, high]``; triangular with mode ``value``; normal with mean ``value``
and standard deviation ``sd``, truncated to ``[low, high]`` where given), for a choice among
alternatives the index of the alternative whose cumulative weight first exceeds ``u_k``.

>>> u = unit_points(2, 8, method="sobol", seed=1)
>>> u.shape, bool(((u >= 0) & (u < 1)).all())
((8, 2), True)
"""

from __future__ import annotations

import numpy as np

from ..core.errors import ScenarioError
from ..core.params import Uncertain

DESIGNS = ("sobol", "lhs", "random")


def sobol_size(n: int) -> int:
    """The number of Sobol' points drawn for ``n`` requested: the next power of two (the
    sequence's balance properties hold for powers of two only)."""
    return 1 << max(0, int(n - 1).bit_length())


def unit_points(d: int, n: int, *, method: str = "sobol", seed: int = 0) -> np.ndarray:
    """``n`` points of ``[0, 1)^d`` (``sobol_size(n)`` for Sobol'), reproducible from ``seed``:
    scrambled Sobol' (:class:`scipy.stats.qmc.Sobol`), a Latin hypercube
    (:class:`scipy.stats.qmc.LatinHypercube`) or independent uniform draws."""
    from scipy.stats import qmc

    if method not in DESIGNS:
        raise ScenarioError(f"unknown design {method!r}; valid: {', '.join(DESIGNS)}", key="method")
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    if d == 0:
        return np.zeros((n, 0))
    if method == "sobol":
        m = sobol_size(n).bit_length() - 1
        return qmc.Sobol(d, scramble=True, seed=rng).random_base2(m)
    if method == "lhs":
        return qmc.LatinHypercube(d, seed=rng).random(n)
    return rng.random((n, d))


def quantiles(dist: Uncertain, u: np.ndarray) -> np.ndarray:
    """The values of an uncertain input at probabilities ``u`` (its inverse CDF)."""
    from scipy import stats

    u = np.asarray(u, dtype=float)
    if dist.distribution == "uniform":
        return dist.low + u * (dist.high - dist.low)
    if dist.distribution == "triangular":
        width = dist.high - dist.low
        return stats.triang.ppf(u, (dist.value - dist.low) / width, loc=dist.low, scale=width)
    lo = -np.inf if dist.low is None else (dist.low - dist.value) / dist.sd
    hi = np.inf if dist.high is None else (dist.high - dist.value) / dist.sd
    return stats.truncnorm.ppf(u, lo, hi, loc=dist.value, scale=dist.sd)


def choices(weights: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The index of the alternative drawn at each probability of ``u`` (weights sum to 1)."""
    edges = np.cumsum(np.asarray(weights, dtype=float))
    edges[-1] = 1.0
    return np.minimum(np.searchsorted(edges, u, side="right"), len(edges) - 1)
