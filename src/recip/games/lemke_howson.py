"""The Lemke-Howson algorithm [Nisan2007, Alg. 3.6] with a pivot budget.

nashpy's ``lemke_howson`` pivots without a limit (a path can be exponentially long, and on a
random 12x12 game it did not return within 40 s); this one counts its pivots and stops when
the budget is spent, so that the caller can say which starting labels were not followed.

For a game ``(A, B)`` with positive payoffs, the best-response polytopes are
``P = {x >= 0 : B^T x <= 1}`` and ``Q = {y >= 0 : A y <= 1}``, kept as tableaux: ``P``'s rows
are ``B^T x + s = 1`` (variables ``x_i`` with label ``i``, slacks ``s_j`` with label ``m + j``),
``Q``'s rows ``r + A y = 1`` (slacks ``r_i`` with label ``i``, ``y_j`` with label ``m + j``).
From the artificial equilibrium ``(0, 0)``, label ``k`` is dropped: the variable with that label
enters its tableau's basis (minimum-ratio test, ties broken lexicographically by the rows of
the initial basis' inverse, which keeps degenerate games from cycling); the variable that
leaves has a label now present twice, so the variable with that label enters the other
tableau's basis, and so on until label ``k`` leaves: the pair is completely labelled, an
equilibrium.

[Nisan2007] Nisan, Roughgarden, Tardos, Vazirani (eds.), *Algorithmic Game Theory*, ch. 3.
"""

from __future__ import annotations

import numpy as np


def lemke_howson(
    A: np.ndarray, B: np.ndarray, label: int, budget: int
) -> tuple[np.ndarray | None, np.ndarray | None, int]:
    """The equilibrium at the end of the path that drops ``label``, as ``(x, y, pivots)``;
    ``x, y`` are ``None`` when ``budget`` pivots were not enough (or the pivoting broke down).
    ``A, B`` must be positive (shift them: equilibria do not change).

    >>> A = np.array([[3.0, 1.0], [0.5, 2.0]]); B = np.array([[2.0, 0.5], [1.0, 3.0]])
    >>> x, y, pivots = lemke_howson(A, B, 0, 100)
    >>> x.round(4).tolist(), y.round(4).tolist()
    ([1.0, 0.0], [1.0, 0.0])
    """
    m, n = A.shape
    tableaux = [
        (np.hstack([B.T, np.eye(n), np.ones((n, 1))]), list(range(m, m + n))),  # P
        (np.hstack([np.eye(m), A, np.ones((m, 1))]), list(range(m))),  # Q
    ]
    initial = [list(range(m, m + n)), list(range(m))]  # columns of each initial basis
    side = 0 if label < m else 1
    entering = label
    for pivots in range(1, budget + 1):
        T, basis = tableaux[side]
        column = T[:, entering]
        rows = np.flatnonzero(column > 1e-12 * max(1.0, np.abs(column).max()))
        if not rows.size:
            return None, None, pivots
        keys = np.column_stack([T[rows, -1], T[rows][:, initial[side]]]) / column[rows, None]
        chosen = np.arange(len(rows))
        for c in range(keys.shape[1]):  # lexicographic minimum ratio
            values = keys[chosen, c]
            chosen = chosen[values <= values.min() + 1e-12 * (1.0 + abs(values.min()))]
            if len(chosen) == 1:
                break
        r = int(rows[chosen[0]])
        leaving = basis[r]
        T[r] /= T[r, entering]
        others = np.arange(len(T)) != r
        T[others] -= np.outer(T[others, entering], T[r])
        basis[r] = entering
        if leaving == label:
            return _strategy(tableaux[0], range(m)), _strategy(tableaux[1], range(m, m + n)), pivots
        entering = leaving
        side = 1 - side
    return None, None, budget


def _strategy(tableau, labels) -> np.ndarray | None:
    """The normalised values of the variables with ``labels`` (zero where nonbasic)."""
    T, basis = tableau
    labels = list(labels)
    out = np.zeros(len(labels))
    for row, var in enumerate(basis):
        if var in labels:
            out[labels.index(var)] = T[row, -1]
    total = out.sum()
    return out / total if total > 0 else None
