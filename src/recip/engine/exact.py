"""Exact evaluation of a profile of automata: solve its Markov chain.

For chain transition matrix ``P``, start distribution ``mu0`` and round rewards ``r``:

* discounted (``0 <= delta < 1``): occupancy ``w = (1 - delta) mu0 (I - delta P)^-1`` and value
  ``w r`` — the per-round value ``(1 - delta) sum_t delta^t E[u_t]``;
* ``T`` rounds: ``mu_t = mu0 P^t`` and value ``sum_t c_t mu_t r`` with ``c_t = 1/T`` (or
  ``delta^t`` normalised to sum to 1 when a discount is given too), accumulated round by round
  without storing the ``mu_t``;
* limit of means: the Cesaro limit of ``mu0 P^t``, from the closed communicating classes of the
  chain, the chance of ending in each, and each class's stationary distribution (by state
  reduction, which subtracts nothing and so stays accurate when some states are very rare).

The occupancy ``w`` does not depend on payoffs, so a new payoff tensor needs no new solve.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from ..core.errors import AnalysisError, ScenarioError
from ..core.limits import MAX_CURVE_ROUNDS, MAX_EXACT_ROUNDS, MAX_HORIZON_WORK
from .chain import Chain
from .linalg import one_blas_thread, solve_linear, use_dense

#: Distributions ``mu_t`` held at once while a finite horizon is walked (8 bytes each).
BLOCK_ENTRIES = 4_000_000
#: Closed classes up to this size get their stationary law by state reduction (dense, n^3/3).
REDUCTION_LIMIT = 1500
#: Largest error allowed in the total weight of a long-run average before it is refused.
MASS_TOLERANCE = 1e-9


def _transposed(chain: Chain):
    """``P^T``: a dense array for small chains (no per-call sparse overhead), else CSR."""
    if use_dense(chain.size):
        return chain.transition.T.toarray()
    return chain.transition.T.tocsr()


def discounted_occupancy(chain: Chain, discount: float) -> np.ndarray:
    """``(1 - delta) mu0 (I - delta P)^-1``: discounted frequency of each chain state."""
    N = chain.size
    b = (1.0 - discount) * chain.start
    if use_dense(N):
        with one_blas_thread(N):
            return np.linalg.solve(np.eye(N) - discount * _transposed(chain), b)
    A = sp.identity(N, format="csr") - discount * chain.transition.T
    return solve_linear(A, b)


#: Most numbers in the stacked systems of :func:`discounted_occupancies` (8 bytes each).
STACK_ENTRIES = 4_000_000


def discounted_occupancies(chain: Chain, discounts: np.ndarray):
    """:func:`discounted_occupancy` under each discount factor, as ``(indices, weights)``
    blocks (``weights``: shape ``(k, size)``). A small chain's systems are stacked and solved
    in one LAPACK call per block (the same LU, with partial pivoting, as one at a time); a
    large chain's are solved one by one."""
    d = np.asarray(discounts, dtype=float).reshape(-1)
    N = chain.size
    if not use_dense(N):
        for k, x in enumerate(d):
            yield [k], discounted_occupancy(chain, float(x))[None]
        return
    PT = _transposed(chain)
    step = max(1, STACK_ENTRIES // (N * N))
    for lo in range(0, len(d), step):
        block = d[lo : lo + step]
        A = np.broadcast_to(np.eye(N), (len(block), N, N)) - block[:, None, None] * PT[None]
        b = (1.0 - block)[:, None, None] * chain.start[None, :, None]
        with one_blas_thread(N):
            yield list(range(lo, lo + len(block))), np.linalg.solve(A, b)[..., 0]


def check_rounds(chain: Chain, rounds: int) -> None:
    """Refuse a finite horizon whose exact evaluation would take too long (before any work)."""
    work = rounds * (chain.transition.nnz + chain.size)
    if rounds > MAX_EXACT_ROUNDS or work > MAX_HORIZON_WORK:
        raise ScenarioError(
            f"an exact evaluation of {rounds} rounds on a chain of {chain.size} states is more "
            f"than recip's limits ({MAX_EXACT_ROUNDS} rounds, {MAX_HORIZON_WORK} rounds x "
            "(transitions + states)); use fewer rounds, a discount factor without rounds, or "
            "the limit of means",
            key="horizon.rounds",
        )


def walk(chain: Chain, rounds: int) -> Iterator[tuple[int, np.ndarray]]:
    """``(t0, mu)``: the distributions ``mu_t`` for ``t = t0, t0 + 1, ...`` in blocks (arrays of
    shape (b, N)), ``rounds`` in all; at most :data:`BLOCK_ENTRIES` entries at a time."""
    size = max(1, min(rounds, BLOCK_ENTRIES // max(chain.size, 1)))
    mu = chain.start.copy()
    PT = _transposed(chain)
    with one_blas_thread(chain.size):
        for t0 in range(0, rounds, size):
            block = np.empty((min(size, rounds - t0), chain.size))
            for k in range(len(block)):
                block[k] = mu
                mu = PT @ mu
            yield t0, block


def distributions(chain: Chain, rounds: int) -> np.ndarray:
    """``mu_t`` for ``t = 0 .. rounds-1`` (shape (rounds, N)); :func:`check_rounds` applies."""
    check_rounds(chain, rounds)
    return np.concatenate([block for _, block in walk(chain, rounds)])


def round_payoffs(chain: Chain, rounds: int, reward: np.ndarray | None = None) -> np.ndarray:
    """The expected payoff of each of ``rounds`` rounds: ``mu_t r`` (shape (rounds, ...)),
    computed round by round; :func:`check_rounds` applies."""
    check_rounds(chain, rounds)
    reward = chain.reward if reward is None else reward
    return np.concatenate([block @ reward for _, block in walk(chain, rounds)])


def finite_weights(rounds: int, discount: float | None) -> np.ndarray:
    if discount is None:
        return np.full(rounds, 1.0 / rounds)
    w = discount ** np.arange(rounds, dtype=float)
    return w / w.sum()


def _finite(chain: Chain, rounds: int, discount: float | None, T: int):
    """Weights ``sum_t c_t mu_t`` of a ``rounds``-round horizon and the curve of its first
    ``T`` rounds, walking the chain once (the ``rounds`` weights ``c_t`` are held: at most
    :data:`~recip.core.limits.MAX_EXACT_ROUNDS`)."""
    check_rounds(chain, rounds)
    c = finite_weights(rounds, discount)
    weights = np.zeros(chain.size)
    curve = []
    for t0, block in walk(chain, max(rounds, T)):
        if t0 < T:
            curve.append(block[: T - t0] @ chain.reward)
        if t0 == 0 and len(block) >= rounds:
            weights = c @ block[:rounds]  # one block: one product, as for short horizons
        elif t0 < rounds:
            part = block[: rounds - t0]
            weights += c[t0 : t0 + len(part)] @ part
    return weights, np.concatenate(curve)


def _class_stationary(P: sp.spmatrix) -> np.ndarray:
    """Stationary law of an irreducible chain: state reduction (Grassmann, Taksar and Heyman
    1985) when small, else a sparse solve."""
    n = P.shape[0]
    if n == 1:
        return np.ones(1)
    if n <= REDUCTION_LIMIT:
        # keep the stickiest states (least chance of leaving) for last: they carry most of the
        # mass, and censoring them early would divide by their tiny chance of leaving
        dense = P.toarray()
        order = np.argsort(dense.sum(axis=1) - np.diag(dense), kind="stable")
        pi = np.empty(n)
        pi[order] = state_reduction(dense[np.ix_(order, order)])
        return pi
    return stationary(P)


def state_reduction(P: np.ndarray) -> np.ndarray:
    """Stationary law of an irreducible stochastic matrix by the GTH algorithm: censor the
    states one at a time from the last, rescaling by the chance of leaving each, which is a sum
    of positive entries (never ``1 - P_kk``); then rebuild the law forwards. No subtraction, so
    every entry has a small relative error however rare its state."""
    A = np.array(P, dtype=float)
    n = len(A)
    with np.errstate(over="ignore", invalid="ignore"):  # a non-finite result is refused
        for k in range(n - 1, 0, -1):
            leave = A[k, :k].sum()
            if leave <= 0.0:
                # the class is irreducible (its strong components say so), so the chances of
                # leaving this state, built up from products of tiny chances, underflowed
                raise _ill_conditioned()
            A[:k, k] /= leave
            A[:k, :k] += np.outer(A[:k, k], A[k, :k])
        pi = np.zeros(n)
        pi[0] = 1.0
        for j in range(1, n):
            pi[j] = pi[:j] @ A[:j, j]
        return pi / pi.sum()


def cesaro_limit(chain: Chain) -> np.ndarray:
    """Long-run average distribution ``lim (1/T) sum_t mu0 P^t`` (exists for every finite chain,
    periodic ones included). Raises :class:`AnalysisError` when rounding would make it
    meaningless (its total mass off 1 by more than :data:`MASS_TOLERANCE`)."""
    if chain.underflow:  # a transition is missing, so the classes may be wrong
        raise _ill_conditioned()
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
    if closed.size == 1:  # every path ends there
        mass[closed[0]] = 1.0
    elif transient.any() and N <= REDUCTION_LIMIT:
        entry = absorption(P.toarray(), chain.start, np.flatnonzero(transient))
        np.add.at(mass, label[~transient], entry[~transient])
    else:
        np.add.at(mass, label[~transient], chain.start[~transient])
        if transient.any():
            np.add.at(mass, label[~transient], _entering(P, chain.start, transient))
    out = np.zeros(N)
    for c in closed:
        if mass[c] <= 0:
            continue
        idx = np.flatnonzero(label == c)
        out[idx] = mass[c] * _class_stationary(P[idx][:, idx])
    if not (np.all(np.isfinite(out)) and abs(out.sum() - 1.0) <= MASS_TOLERANCE):
        raise _ill_conditioned()
    return out


def _entering(P: sp.spmatrix, start: np.ndarray, transient: np.ndarray) -> np.ndarray:
    """The mass that enters each recurrent state from the transient ones, by a linear solve
    (for chains too large for :func:`absorption`; its accuracy is checked by the caller)."""
    t_idx = np.flatnonzero(transient)
    # I - Q over the transient states, with each diagonal entry 1 - Q_ii taken as the row's
    # outflow (the sum of its other entries) rather than by subtraction: a class left with
    # a chance below machine epsilon would otherwise give a singular matrix
    off = (P - sp.diags(P.diagonal())).tocsr()[t_idx]
    outflow = np.asarray(off.sum(axis=1)).ravel()
    A = sp.diags(outflow) - off[:, t_idx]
    # expected visits to each transient state, starting from mu0 restricted to them
    try:
        visits = solve_linear(A.T.tocsr(), start[t_idx])
    except (np.linalg.LinAlgError, RuntimeError):  # RuntimeError: splu's singular factor
        raise _ill_conditioned() from None
    return P[t_idx][:, ~transient].T @ visits


def absorption(P: np.ndarray, start: np.ndarray, transient: np.ndarray) -> np.ndarray:
    """Where the chain ``P`` (dense), started from ``start``, first enters the recurrent states:
    the ``transient`` states are censored one at a time, each passing its mass and its incoming
    chances on to its successors in proportion to its chances of leaving to them (a sum of
    positive entries, never ``1 - P_kk``): no subtraction, so chances near machine epsilon (or
    1e-300) keep a small relative error."""
    A = np.array(P, dtype=float)
    mu = np.array(start, dtype=float)
    for k in transient:
        row = A[k].copy()
        row[k] = 0.0
        leave = row.sum()
        if leave <= 0.0:  # its chances of leaving underflowed
            raise _ill_conditioned()
        to = np.flatnonzero(row)
        share = row[to] / leave
        mu[to] += mu[k] * share
        mu[k] = 0.0
        into = np.flatnonzero(A[:, k])
        into = into[into != k]
        A[np.ix_(into, to)] += np.outer(A[into, k], share)
        A[:, k] = 0.0
        A[k] = 0.0
    return mu


def _ill_conditioned() -> AnalysisError:
    return AnalysisError(
        "the long-run average cannot be computed in floating point: a class of states is left "
        "with a chance within rounding error of 0 (a strategy probability such as 1e-13?); "
        "round such chances to 0, or use a discounted or finite horizon"
    )


def stationary(P: sp.spmatrix) -> np.ndarray:
    """Stationary distribution of an irreducible chain, by a sparse solve."""
    n = P.shape[0]
    if n == 1:
        return np.ones(1)
    A = (P.T - sp.identity(n)).tolil()
    A[n - 1, :] = np.ones(n)
    b = np.zeros(n)
    b[n - 1] = 1.0
    pi = solve_linear(A.tocsr(), b, iterative=False)
    pi = np.clip(pi, 0.0, None)
    return pi / pi.sum()


def curve_length(discount: float | None, rounds: int | None) -> int:
    """How many rounds a payoff curve shows: all of a finite game, up to
    :data:`~recip.core.limits.MAX_CURVE_ROUNDS`; otherwise enough for the discounted weight
    left to fall under 1% (at least 20, at most that limit)."""
    if rounds is not None:
        return int(min(rounds, MAX_CURVE_ROUNDS))
    if discount is None or discount <= 0:
        return 20
    needed = math.ceil(math.log(0.01) / math.log(discount))
    return int(min(MAX_CURVE_ROUNDS, max(20, needed)))


def solve(
    chain: Chain,
    *,
    discount: float | None,
    rounds: int | None,
    limit_of_means: bool = False,
    curve_rounds: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Occupancy weights over chain states (summing to 1) and the expected per-round payoff
    curve (shape (T, n)): the expected payoff of each of the first ``T`` rounds, with ``T =
    curve_rounds`` or :func:`curve_length` (50 for the limit of means), never more than
    :data:`~recip.core.limits.MAX_CURVE_ROUNDS` (a longer finite horizon is still evaluated
    in full; its curve holds its first rounds)."""
    T = min(curve_rounds or curve_length(discount, rounds), MAX_CURVE_ROUNDS)
    if limit_of_means:
        weights = cesaro_limit(chain)
        T = min(curve_rounds or 50, MAX_CURVE_ROUNDS)
    elif rounds is not None:
        return _finite(chain, rounds, discount, T)
    else:
        weights = discounted_occupancy(chain, discount)
    curve = np.concatenate([block @ chain.reward for _, block in walk(chain, T)])
    return weights, curve
