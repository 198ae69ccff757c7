"""Two-player (bimatrix) games with nashpy's algorithms, checked with a tolerance.

Used by :func:`recip.games.nash.nash_equilibria`; see its module docstring for what is
guaranteed. The best-response polytopes of a game ``(A, B)`` with payoffs shifted to be positive
(equilibria do not change) are [Nisan2007, sec. 3.5]

    P = {x in R^m : x >= 0, B^T x <= 1},    Q = {y in R^n : y >= 0, A y <= 1}.

A point of ``P`` carries label ``i`` when ``x_i = 0`` and ``m + j`` when ``(B^T x)_j = 1``
(column ``j`` is a best response); ``Q`` likewise (``i`` when ``(A y)_i = 1``, ``m + j`` when
``y_j = 0``). The equilibria are the completely labelled pairs of nonzero points, normalised; in
a nondegenerate game no point of ``P`` has more than ``m`` labels nor of ``Q`` more than ``n``,
and it suffices to look at vertices (a point with surplus labels lies on a face whose vertices
have them too).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from nashpy.polytope import build_halfspaces
from scipy.spatial import HalfspaceIntersection, QhullError

from ..core.errors import AnalysisError
from ..core.limits import (
    MAX_LEMKE_HOWSON_PIVOTS,
    MAX_POLYTOPE_VERTICES,
    MAX_SUPPORT_ENTRIES,
    MAX_VERTEX_PAIRS,
)
from .equilibrium import Equilibrium, Partial, pure_ties, verified
from .lemke_howson import lemke_howson

#: Two slacks closer than this to zero are binding (polytope coordinates are at most 1).
LABEL_TOLERANCE = 1e-9


def solve_bimatrix(
    u: np.ndarray, eps: float, pure_found: list[Equilibrium], method: str, opts: dict
) -> Partial:
    """Equilibria of the two-player game ``u`` (shape ``(m, n, 2)``) by ``method``, with the
    work of each algorithm estimated before it starts (see :mod:`recip.core.limits`)."""
    A, B = u[..., 0], u[..., 1]
    m, n = A.shape
    shape = (m, n)
    ties = pure_ties(u, eps)
    if min(m, n) == 1:
        # One player has no choice: the other's best responses are the extreme equilibria.
        return Partial(list(pure_found), "best-response", True, ties, shape)
    A1, B1 = A - A.min() + 1.0, B - B.min() + 1.0
    pairs = math.comb(m + n, m) - 1  # support pairs of equal size
    bound = max(vertex_bound(m, m + n), vertex_bound(n, m + n))
    notes: list[str] = []
    polytopes = None
    if bound > MAX_POLYTOPE_VERTICES:
        if method == "vertex":
            raise AnalysisError(
                f"vertex enumeration of a {m}x{n} game is too large: its best-response "
                f"polytopes may have up to {bound:,} vertices (recip's limit is "
                f"{MAX_POLYTOPE_VERTICES:,}); use method 'lemke-howson' or fewer strategies"
            )
        notes.append(
            f"vertex enumeration not run: the best-response polytopes may have up to {bound:,} "
            f"vertices (limit {MAX_POLYTOPE_VERTICES:,})"
        )
    else:
        try:
            polytopes = _vertices(B1.T), _vertices(A1)
        except QhullError:
            notes.append("Qhull could not build the best-response polytopes")
    if polytopes is not None:
        (_, P_binding, P_zero), (_, Q_binding, Q_zero) = polytopes
        surplus = (P_binding.sum(1) + P_zero.sum(1) > m).any() or (
            Q_binding.sum(1) + Q_zero.sum(1) > n
        ).any()
        degenerate = bool(ties or surplus)
    else:
        degenerate = ties
    found = list(pure_found)

    if method == "auto":
        if polytopes is not None and not degenerate and pairs <= opts["support_limit"]:
            return Partial(found + _support(u, eps), "support-enumeration", True, False, shape)
        if polytopes is not None:
            matched = _pair_vertices(u, eps, polytopes, m)
            if matched is not None:
                return Partial(found + matched, "vertex-enumeration", True, degenerate, shape)
            notes.append(_too_many_pairs(polytopes))
        if pairs <= opts["support_limit"]:
            found += _support(u, eps)
        found += _lemke_howson(u, A1, B1, eps, notes)
        return Partial(
            found, "support-enumeration+lemke-howson", False, degenerate, shape, tuple(notes)
        )
    if method == "support":
        entries = support_entries(m, n)
        if entries > MAX_SUPPORT_ENTRIES:
            raise AnalysisError(
                f"support enumeration of a {m}x{n} game is too large: {entries:,} entries of "
                f"support systems (recip's limit is {MAX_SUPPORT_ENTRIES:,}); use method "
                "'auto' or fewer strategies"
            )
        if degenerate:
            notes.append("support enumeration (equal-size supports) can miss equilibria here")
        complete = polytopes is not None and not degenerate
        return Partial(
            found + _support(u, eps),
            "support-enumeration",
            complete,
            degenerate,
            shape,
            tuple(notes),
        )
    if method == "vertex":
        if polytopes is None:
            raise AnalysisError("vertex enumeration failed: Qhull could not build the polytopes")
        matched = _pair_vertices(u, eps, polytopes, m)
        if matched is None:
            raise AnalysisError(
                f"vertex enumeration of this degenerate game is too large: "
                f"{_too_many_pairs(polytopes)}; use method 'lemke-howson'"
            )
        return Partial(found + matched, "vertex-enumeration", True, degenerate, shape)
    # Lemke-Howson from every starting label: one equilibrium per label, not all of them.
    found += _lemke_howson(u, A1, B1, eps, notes)
    return Partial(found, "lemke-howson", False, degenerate, shape, tuple(notes))


def vertex_bound(d: int, h: int) -> int:
    """The upper bound theorem [McMullen1970]: most vertices of a ``d``-polytope with ``h``
    facets, ``C(h - ceil(d/2), floor(d/2)) + C(h - floor(d/2) - 1, ceil(d/2) - 1)``.

    >>> vertex_bound(12, 24), vertex_bound(16, 32)
    (24752, 980628)
    """
    up, down = (d + 1) // 2, d // 2
    return math.comb(h - up, down) + math.comb(h - down - 1, up - 1)


def support_entries(m: int, n: int) -> int:
    """Entries of the stacked square systems support enumeration builds for an ``m x n``
    game: ``sum_s C(m, s) C(n, s) (s + 1)^2``."""
    return sum(math.comb(m, s) * math.comb(n, s) * (s + 1) ** 2 for s in range(1, min(m, n) + 1))


def _vertices(M: np.ndarray):
    """Nonzero vertices of ``{z >= 0, M z <= 1}`` (``M > 0``) with their binding constraints:
    ``(vertices, binding rows of M, zero coordinates)``."""
    halfspaces = build_halfspaces(M)
    interior = np.full(M.shape[1], 0.5 / M.sum(axis=1).max())
    V = HalfspaceIntersection(halfspaces, interior).intersections
    V = V[np.isfinite(V).all(axis=1) & (np.abs(V).max(axis=1) > LABEL_TOLERANCE)]
    V = np.unique(np.round(V, 12), axis=0)  # Qhull repeats a vertex once per facet through it
    binding = np.abs(V @ M.T - 1.0) <= LABEL_TOLERANCE
    zero = np.abs(V) <= LABEL_TOLERANCE
    return V, binding, zero


def _pair_vertices(u: np.ndarray, eps: float, polytopes, m: int) -> list[Equilibrium] | None:
    """Completely labelled vertex pairs of ``P x Q`` as equilibria; ``None`` when the pairs to
    compare one by one exceed :data:`~recip.core.limits.MAX_VERTEX_PAIRS`.

    A vertex with exactly the generic number of labels (``m`` in ``P``, ``n`` in ``Q``) pairs
    only with the vertex whose labels are its complement, found by a table lookup; only
    vertices with surplus labels (a degenerate game) are compared with every vertex of the
    other polytope."""
    (P, P_binding, P_zero), (Q, Q_binding, Q_zero) = polytopes
    P_labels = np.hstack([P_zero, P_binding])  # labels 0..m-1, then m..m+n-1
    Q_labels = np.hstack([Q_binding, Q_zero])
    n = P_labels.shape[1] - m
    P_extra = P_labels.sum(1) > m
    Q_extra = Q_labels.sum(1) > n
    if int(P_extra.sum()) * len(Q) + len(P) * int(Q_extra.sum()) > MAX_VERTEX_PAIRS:
        return None
    pairs: set[tuple[int, int]] = set()
    regular = {np.packbits(Q_labels[b]).tobytes(): b for b in np.flatnonzero(~Q_extra)}
    for a in np.flatnonzero(~P_extra):
        b = regular.get(np.packbits(~P_labels[a]).tobytes())
        if b is not None:
            pairs.add((int(a), b))
    for rows, cols in (
        (np.flatnonzero(P_extra), np.arange(len(Q))),
        (np.arange(len(P)), np.flatnonzero(Q_extra)),
    ):
        for start in range(0, len(rows), 256):  # chunks bound the boolean array
            block = P_labels[rows[start : start + 256]]
            full = (block[:, None, :] | Q_labels[cols][None, :, :]).all(axis=2)
            pairs.update((int(rows[start + a]), int(cols[b])) for a, b in np.argwhere(full))
    found = []
    for a, b in sorted(pairs):
        x, y = P[a], Q[b]
        eq = verified(u, [x / x.sum(), y / y.sum()], eps)
        if eq is not None:
            found.append(_polish(u, eq, eps))
    return found


def _too_many_pairs(polytopes) -> str:
    (P, *_), (Q, *_) = polytopes
    return (
        f"the polytopes have {len(P):,} and {len(Q):,} vertices, some with surplus labels, "
        f"too many pairs to compare (limit {MAX_VERTEX_PAIRS:,})"
    )


def _polish(u: np.ndarray, eq: Equilibrium, eps: float) -> Equilibrium:
    """The equilibrium re-solved exactly on its support (Qhull's vertices carry rounding of
    about 1e-12) when the supports have equal sizes and the solution is unique."""
    rows, cols = (list(s) for s in eq.support)
    if len(rows) != len(cols):
        return eq
    y = _indifferent(u[np.ix_(rows, cols)][None, :, :, 0])[0]
    x = _indifferent(u[np.ix_(rows, cols)][None, :, :, 1].transpose(0, 2, 1))[0]
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        return eq
    x_full, y_full = np.zeros(u.shape[0]), np.zeros(u.shape[1])
    x_full[rows], y_full[cols] = x, y
    exact = verified(u, [x_full, y_full], eps)
    if exact is None or exact.support != eq.support:
        return eq
    return exact


def _support(u: np.ndarray, eps: float) -> list[Equilibrium]:
    """Support enumeration over equal-size support pairs [Nisan2007, Alg. 3.4], as nashpy does
    it but with tolerances: nashpy requires the solved probabilities to be exactly ``>= 0`` (or
    ``> 0``) and compares payoffs with ``==``, which rejects equilibria whose zeros come out as
    1e-17. For supports ``I, J`` of size ``s`` it solves, for all pairs of that size at once,

        A[I, J] y_J = v 1,  1 . y_J = 1      and      B[I, J]^T x_I = w 1,  1 . x_I = 1,

    and keeps the nonnegative solutions that pass :func:`recip.games.equilibrium.verified`.
    """
    A, B = u[..., 0], u[..., 1]
    m, n = A.shape
    found = []
    for size in range(1, min(m, n) + 1):
        rows = list(itertools.combinations(range(m), size))
        cols = list(itertools.combinations(range(n), size))
        rs = np.array([r for r in rows for _ in cols])  # every pair (I, J) of this size
        cs = np.array([c for _ in rows for c in cols])
        y = _indifferent(A[rs[:, :, None], cs[:, None, :]])  # y_J: the row player indifferent
        x = _indifferent(np.swapaxes(B[rs[:, :, None], cs[:, None, :]], 1, 2))
        ok = np.isfinite(x).all(1) & np.isfinite(y).all(1)
        ok &= (x.min(axis=1, initial=1.0) >= -1e-12) & (y.min(axis=1, initial=1.0) >= -1e-12)
        for p in np.flatnonzero(ok):
            x_full, y_full = np.zeros(m), np.zeros(n)
            x_full[rs[p]], y_full[cs[p]] = x[p], y[p]
            eq = verified(u, [x_full, y_full], eps)
            if eq is not None:
                found.append(eq)
    return found


def _indifferent(M: np.ndarray) -> np.ndarray:
    """For each square ``M`` (stacked), the probability vector ``p`` with ``M p`` constant (NaN
    where the system is singular)."""
    count, s, _ = M.shape
    system = np.zeros((count, s + 1, s + 1))
    system[:, :s, :s] = M
    system[:, :s, s] = -1.0
    system[:, s, :s] = 1.0
    rhs = np.zeros((count, s + 1))
    rhs[:, s] = 1.0
    out = np.full((count, s), np.nan)
    regular = np.abs(np.linalg.det(system)) > 1e-12 * np.abs(system).max(axis=(1, 2)) ** (s + 1)
    if regular.any():
        out[regular] = np.linalg.solve(system[regular], rhs[regular][..., None])[:, :s, 0]
    return out


def _lemke_howson(u: np.ndarray, A1: np.ndarray, B1: np.ndarray, eps: float, notes: list[str]):
    """Lemke-Howson from every starting label, within
    :data:`~recip.core.limits.MAX_LEMKE_HOWSON_PIVOTS` pivots in all; ``notes`` says which
    labels were not followed to their end."""
    found = []
    m, n = A1.shape
    budget = MAX_LEMKE_HOWSON_PIVOTS
    stopped = []
    for label in range(m + n):
        if budget <= 0:
            stopped.append(label)
            continue
        x, y, used = lemke_howson(A1, B1, label, budget)
        budget -= used
        if x is None or y is None:
            stopped.append(label)
            continue
        eq = verified(u, [x, y], eps)
        if eq is not None:
            found.append(eq)
    if stopped:
        notes.append(
            f"Lemke-Howson stopped at its limit of {MAX_LEMKE_HOWSON_PIVOTS:,} pivots: "
            f"{len(stopped)} of {m + n} starting labels not followed to an equilibrium"
        )
    return found
