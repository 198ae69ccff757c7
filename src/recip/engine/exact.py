"""Exact evaluation of a profile of automata: solve its Markov chain.

For chain transition matrix ``P``, start distribution ``mu0`` and round rewards ``r``:

* discounted (``0 <= delta < 1``): occupancy ``w = (1 - delta) mu0 (I - delta P)^-1`` and value
  ``w r`` — the per-round value ``(1 - delta) sum_t delta^t E[u_t]``;
* ``T`` rounds: ``mu_t = mu0 P^t`` and value ``sum_t c_t mu_t r`` with ``c_t = 1/T`` (or
  ``delta^t`` normalised to sum to 1 when a discount is given too);
* limit of means: the Cesaro limit of ``mu0 P^t``, from the closed communicating classes of the
  chain, the chance of ending in each, and each class's stationary distribution.

The occupancy ``w`` does not depend on payoffs, so a new payoff tensor needs no new solve.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from ..core.errors import AnalysisError
from .chain import Chain
from .linalg import DENSE_LIMIT, solve_linear


def _transposed(chain: Chain):
    """``P^T``: a dense array for small chains (no per-call sparse overhead), else CSR."""
    if chain.size <= DENSE_LIMIT:
        return chain.transition.T.toarray()
    return chain.transition.T.tocsr()


def discounted_occupancy(chain: Chain, discount: float) -> np.ndarray:
    """``(1 - delta) mu0 (I - delta P)^-1``: discounted frequency of each chain state."""
    N = chain.size
    b = (1.0 - discount) * chain.start
    if N <= DENSE_LIMIT:
        return np.linalg.solve(np.eye(N) - discount * _transposed(chain), b)
    A = sp.identity(N, format="csr") - discount * chain.transition.T
    return solve_linear(A, b)


def distributions(chain: Chain, rounds: int) -> np.ndarray:
    """``mu_t`` for ``t = 0 .. rounds-1`` (shape (rounds, N))."""
    out = np.empty((rounds, chain.size))
    mu = chain.start.copy()
    PT = _transposed(chain)
    for t in range(rounds):
        out[t] = mu
        mu = PT @ mu
    return out


def finite_weights(rounds: int, discount: float | None) -> np.ndarray:
    if discount is None:
        return np.full(rounds, 1.0 / rounds)
    w = discount ** np.arange(rounds, dtype=float)
    return w / w.sum()


def cesaro_limit(chain: Chain) -> np.ndarray:
    """Long-run average distribution ``lim (1/T) sum_t mu0 P^t`` (exists for every finite chain,
    periodic ones included)."""
    P = chain.transition
    N = chain.size
    n_comp, label = connected_components(P, directed=True, connection="strong")
    coo = P.tocoo()
    leaves = coo.data > 0
    leaving = label[coo.row[leaves]] != label[coo.col[leaves]]
    open_comps = np.unique(label[coo.row[leaves][leaving]])
    closed = np.setdiff1d(np.arange(n_comp), open_comps)
    transient = np.isin(label, open_comps)
    mass = np.zeros(n_comp)
    np.add.at(mass, label[~transient], chain.start[~transient])
    if transient.any():
        t_idx = np.flatnonzero(transient)
        # I - Q over the transient states, with each diagonal entry 1 - Q_ii taken as the row's
        # outflow (the sum of its other entries) rather than by subtraction: a class left with
        # a chance below machine epsilon would otherwise give a singular matrix
        off = (P - sp.diags(P.diagonal())).tocsr()[t_idx]
        outflow = np.asarray(off.sum(axis=1)).ravel()
        A = sp.diags(outflow) - off[:, t_idx]
        # expected visits to each transient state, starting from mu0 restricted to them
        try:
            visits = solve_linear(A.T.tocsr(), chain.start[t_idx])
        except (np.linalg.LinAlgError, RuntimeError):  # RuntimeError: splu's singular factor
            raise AnalysisError(
                "the long-run average cannot be computed in floating point: a class of states "
                "is left with a chance within rounding error of 0 (a strategy probability such "
                "as 1e-300?); round such chances to 0, or use a discounted or finite horizon"
            ) from None
        exits = P[t_idx][:, ~transient]
        into = exits.T @ visits  # mass entering each recurrent state
        np.add.at(mass, label[~transient], into)
    out = np.zeros(N)
    for c in closed:
        if mass[c] <= 0:
            continue
        idx = np.flatnonzero(label == c)
        out[idx] = mass[c] * stationary(P[idx][:, idx])
    return out


def stationary(P: sp.spmatrix) -> np.ndarray:
    """Stationary distribution of an irreducible chain."""
    n = P.shape[0]
    if n == 1:
        return np.ones(1)
    A = (P.T - sp.identity(n)).tolil()
    A[n - 1, :] = np.ones(n)
    b = np.zeros(n)
    b[n - 1] = 1.0
    pi = solve_linear(A.tocsr(), b)
    pi = np.clip(pi, 0.0, None)
    return pi / pi.sum()


def curve_length(discount: float | None, rounds: int | None) -> int:
    """How many rounds a payoff curve shows: all of a finite game; otherwise enough for the
    discounted weight left to fall under 1% (at least 20, at most 1000)."""
    if rounds is not None:
        return int(rounds)
    if discount is None or discount <= 0:
        return 20
    return int(min(1000, max(20, math.ceil(math.log(0.01) / math.log(discount)))))


def solve(
    chain: Chain,
    *,
    discount: float | None,
    rounds: int | None,
    limit_of_means: bool = False,
    curve_rounds: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Occupancy weights over chain states (summing to 1) and the expected per-round payoff
    curve (shape (T, n))."""
    T = curve_rounds or curve_length(discount, rounds)
    if limit_of_means:
        weights = cesaro_limit(chain)
        T = curve_rounds or 50
    elif rounds is not None:
        dist = distributions(chain, max(rounds, T))
        weights = finite_weights(rounds, discount) @ dist[:rounds]
        return weights, dist[:T] @ chain.reward
    else:
        weights = discounted_occupancy(chain, discount)
    curve = distributions(chain, T) @ chain.reward
    return weights, curve
