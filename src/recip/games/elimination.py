"""Every mixed equilibrium of a small game of three players, support by support, by exact
elimination to one or two polynomial equations whose roots are all found.

Used by :func:`recip.games.polynomial.solve_polynomial` for the supports where all three players
mix, when every player has at most three actions (:data:`SMALL_ACTIONS`); with one or two mixing
players a support's indifference system is linear and already solved exactly. See
:mod:`recip.games.nash` for the guarantees.

The elimination
---------------
Let the three players mix on supports of sizes ``s_i, s_j, s_k`` (2 or 3), with ``s_i = s_j = s``
(two of three sizes in {2, 3} are always equal; ``k`` is the remaining player, the smaller one if
there is a choice). Write ``k``'s mixed strategy with ``s_k - 1`` free coordinates,
``w(t) = e_0 + t_1 (e_1 - e_0) [+ t_2 (e_2 - e_0)]``. For fixed ``t``, player ``i``'s
indifference over its support is linear in ``x_j``: ``R_i(t) x_j = 0`` with ``R_i`` the
``(s - 1) x s`` differences of ``i``'s payoff rows, each entry affine in ``t``. Its solution is
the generalised cross product ``N_j(t)`` of those rows (for ``s = 2`` the perpendicular of one
row, for ``s = 3`` the cross product of two), a polynomial vector of degree ``s - 1``, and
``x_j = N_j(t) / (1 . N_j(t))`` (Cramer's rule; the denominator is the determinant with the row of
ones). Likewise ``x_i = N_i(t) / (1 . N_i(t))`` from ``j``'s indifference. Player ``k``'s
indifference, ``x_i^T (U_k(., ., c) - U_k(., ., c_0)) x_j = 0`` for each other action ``c`` of its
support, is then, after multiplying by both (nonzero) denominators,

    F_c(t) = N_i(t)^T M_c N_j(t) = 0,      c = 1, ..., s_k - 1,

``s_k - 1`` polynomial equations of degree at most ``2 (s - 1)`` in ``s_k - 1`` unknowns:

* one unknown: the roots of a polynomial of degree <= 4 (companion-matrix eigenvalues);
* two unknowns: the common roots of two bivariate polynomials (degree <= 4), by the hidden-
  variable resultant: the Sylvester matrix of ``F_1, F_2`` in ``t_1`` is a matrix polynomial
  ``S(t_2)``, and ``det S(t_2) = 0`` exactly at the ``t_2`` of common roots (or common roots at
  infinity). Its roots are the eigenvalues of the companion pencil of ``S`` (at most 32x32);
  each real one is completed by the roots in ``t_1``.

So every solution of a support's system is found, as a root of a univariate polynomial or as an
eigenvalue, not by a local search; each real root in the simplex is polished by Newton's method
and verified as an equilibrium. A support whose system is not zero-dimensional (a polynomial
vanishing identically, a singular pencil: ``F_1, F_2`` with a common factor, or a denominator
vanishing at a root) means that equilibria may form a continuum: it is searched from a grid of
points and the game is flagged degenerate (its list then is *not* claimed complete).

Why this method
---------------
* Exact symbolic elimination (Groebner bases, e.g. sympy's) would give the same roots, but with
  rational payoffs of 53-bit denominators its coefficients swell and one 3x3x3 game takes
  minutes; the structure above (one linear solve per player, then at most two equations of
  degree four) keeps the algebra explicit and the work to a few small eigenvalue problems.
* Homotopy continuation finds all isolated roots with probability one, but only as reliably as
  its path tracking, and needs a tracker recip does not have; polynomial roots and eigenvalues
  are LAPACK's.
* For 2x2x2 games this is McKelvey and McLennan's observation that the totally mixed
  equilibria solve one quadratic: at most two.

References
----------
[McKelvey-McLennan1997] McKelvey and McLennan, "The maximal number of regular totally mixed Nash
equilibria", Journal of Economic Theory 72, 411-425.
[Cox-Little-OShea2005] Cox, Little and O'Shea, *Using Algebraic Geometry*, ch. 3 (resultants and
the hidden-variable method).
"""

from __future__ import annotations

import numpy as np

#: Games of at most this many players, each with at most this many actions, are solved
#: completely (by this module for the supports where every player mixes).
SMALL_PLAYERS = 3
SMALL_ACTIONS = 3
#: Coefficient arrays hold degrees 0..4 in each of (t_1, t_2).
_D = 5
#: Relative size below which a coefficient, a determinant or a denominator counts as zero.
_ZERO = 1e-10
#: Slack on the simplex when filtering roots (Newton and verification do the rest).
_SLACK = 1e-6


def is_small(shape: tuple[int, ...]) -> bool:
    """Whether a game of this shape is solved completely (see the module docstring)."""
    return len(shape) <= SMALL_PLAYERS and max(shape) <= SMALL_ACTIONS


def support_roots(u: np.ndarray, supports, scale: float) -> tuple[list[np.ndarray], bool]:
    """The solutions of the indifference system of a support where all three players mix, as
    vectors ``z`` (each player's probabilities on its support, in player order), and whether
    the system is degenerate (not zero-dimensional)."""
    sizes = [len(s) for s in supports]
    options = [k for k in range(3) if sizes[(k + 1) % 3] == sizes[(k + 2) % 3]]
    k = min(options, key=lambda k: sizes[k])
    i, j = (p for p in range(3) if p != k)
    sub = np.moveaxis(u[np.ix_(*supports)] / scale, (i, j, k), (0, 1, 2))  # (s, s, s_k, 3)
    B_i, B_j = _affine(sub[..., i]), _affine(sub[..., j])  # (s, s, D, D): [a, b] of (i, j)
    R_i = B_i[1:] - B_i[:1]  # i indifferent among its actions: R_i(t) x_j = 0
    R_j = np.swapaxes(B_j[:, 1:] - B_j[:, :1], 0, 1)  # j indifferent: R_j(t) x_i = 0
    N_j, N_i = _kernel(R_i), _kernel(R_j)
    M = sub[..., k][:, :, 1:] - sub[..., k][:, :, :1]  # (s, s, s_k - 1)
    F = [
        sum(M[a, b, c] * _mul(N_i[a], N_j[b]) for a in range(len(N_i)) for b in range(len(N_j)))
        for c in range(sizes[k] - 1)
    ]
    # relative to the size of its terms, a polynomial that vanishes is identically zero
    size = np.abs(N_i).max() * np.abs(N_j).max() * max(np.abs(M).max(), _ZERO) * len(N_i) ** 2
    F = [C / np.abs(C).max() if np.abs(C).max() > _ZERO * size else 0.0 * C for C in F]
    roots, degenerate = (_roots_1d if len(F) == 1 else _roots_2d)(F)
    out = []
    for t in roots:
        w = np.zeros(sizes[k])
        w[0] = 1.0 - t.sum()
        w[1 : 1 + len(t)] = t
        x_i, x_j = _normalised(N_i, t), _normalised(N_j, t)
        # Where a denominator vanishes, no probability vector solves that player's linear
        # system (a root of the multiplied-out system only), unless the kernel vector vanishes
        # too (``True``): the player is indifferent whatever the other does, and the other's
        # strategy follows from k's indifference, if at all
        if x_i is True and not isinstance(x_j, bool):
            rows = [_at(R_j, t)] + [M[:, :, c] @ x_j for c in range(M.shape[2])]
            x_i, flat = _linear(np.vstack(rows))
            degenerate |= flat
        elif x_j is True and not isinstance(x_i, bool):
            rows = [_at(R_i, t)] + [x_i @ M[:, :, c] for c in range(M.shape[2])]
            x_j, flat = _linear(np.vstack(rows))
            degenerate |= flat
        elif x_i is True and x_j is True:
            degenerate = True
        if x_i is None or x_j is None or isinstance(x_i, bool) or isinstance(x_j, bool):
            continue
        parts = {i: x_i, j: x_j, k: w}
        out.append(np.concatenate([parts[p] for p in range(3)]))
    return out, degenerate


# ----------------------------------------------------------------------------------------------
# Polynomials in (t_1, t_2) as coefficient arrays C[p, q] of t_1^p t_2^q, shape (D, D)


def _affine(table: np.ndarray) -> np.ndarray:
    """``sum_c table[..., c] w_c(t)`` as polynomials (the last axis is ``k``'s support)."""
    out = np.zeros((*table.shape[:-1], _D, _D))
    out[..., 0, 0] = table[..., 0]
    out[..., 1, 0] = table[..., 1] - table[..., 0]
    if table.shape[-1] == 3:
        out[..., 0, 1] = table[..., 2] - table[..., 0]
    return out


def _mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Product of two polynomials whose degrees add up to at most 4 in each variable."""
    out = np.zeros((_D, _D))
    for p, q in zip(*np.nonzero(a), strict=True):
        out[p:, q:] += a[p, q] * b[: _D - p, : _D - q]
    return out


def _kernel(rows: np.ndarray) -> np.ndarray:
    """The generalised cross product of ``s - 1`` polynomial rows of length ``s`` (s = 2, 3):
    a vector orthogonal to every row, of degree ``s - 1``."""
    if rows.shape[1] == 2:
        return np.stack([rows[0, 1], -rows[0, 0]])
    r, q = rows
    return np.stack(
        [
            _mul(r[1], q[2]) - _mul(r[2], q[1]),
            _mul(r[2], q[0]) - _mul(r[0], q[2]),
            _mul(r[0], q[1]) - _mul(r[1], q[0]),
        ]
    )


def _value(C: np.ndarray, t: np.ndarray) -> float:
    t1, t2 = (t[0], t[1]) if len(t) == 2 else (t[0], 0.0)
    return float(np.polynomial.polynomial.polyval2d(t1, t2, C))


def _normalised(N: np.ndarray, t: np.ndarray) -> np.ndarray | bool:
    """``N(t) / (1 . N(t))``; where the denominator vanishes, ``True`` if ``N(t)`` vanishes
    too (relative to its coefficients), else ``False``."""
    v = np.array([_value(C, t) for C in N])
    total = v.sum()
    if np.isfinite(total) and abs(total) > _ZERO * max(np.abs(v).max(), _ZERO):
        return v / total
    return bool(np.abs(v).max() <= 1e-8 * np.abs(N).max())


def _at(polys: np.ndarray, t: np.ndarray) -> np.ndarray:
    """An array of polynomials evaluated at ``t``."""
    return np.array([[_value(C, t) for C in row] for row in polys])


def _linear(rows: np.ndarray) -> tuple[np.ndarray | None, bool]:
    """The probability vector ``x`` with ``rows x = 0`` and ``1 . x = 1``: ``(x, False)`` if
    unique, ``(None, False)`` if there is none, ``(None, True)`` if there are many."""
    A = np.vstack([rows, np.ones(rows.shape[1])])
    rhs = np.zeros(len(A))
    rhs[-1] = 1.0
    x, _, rank, _ = np.linalg.lstsq(A, rhs, rcond=None)
    if np.abs(A @ x - rhs).max() > 1e-9:
        return None, False
    if rank < A.shape[1]:
        return None, True
    return x, False


def _is_zero(C: np.ndarray) -> bool:
    return bool(np.abs(C).max() <= _ZERO)


def _real_roots(coefficients: np.ndarray, low=-_SLACK, high=1 + _SLACK) -> list[float]:
    """Real roots in ``[low, high]`` of ``sum_p c_p t^p`` (not identically zero), including
    near-real ones (a double root splits into a close complex pair under rounding)."""
    size = np.abs(coefficients).max(initial=0.0)
    c = np.trim_zeros(np.where(np.abs(coefficients) <= _ZERO * size, 0.0, coefficients), "b")
    if len(c) <= 1:
        return []
    roots = np.roots(c[::-1])
    real = roots[np.abs(roots.imag) <= 1e-6 * (1 + np.abs(roots))].real
    return [float(r) for r in real if low <= r <= high]


def _roots_1d(F) -> tuple[list[np.ndarray], bool]:
    """Roots in ``[0, 1]`` of one polynomial in ``t_1``; a vanishing one: a grid, degenerate."""
    C = F[0][:, 0]
    if _is_zero(C):
        return [np.array([t]) for t in np.linspace(0.0, 1.0, 33)], True
    return [np.array([t]) for t in _real_roots(C)], False


def _roots_2d(F) -> tuple[list[np.ndarray], bool]:
    """Common roots of two polynomials in ``(t_1, t_2)`` on the triangle ``t >= 0, t_1 + t_2
    <= 1`` (hidden-variable resultant; see the module docstring); degenerate systems are
    searched from a grid."""
    F1, F2 = F
    grid = [np.array([a, b]) for a in np.linspace(0, 1, 13) for b in np.linspace(0, 1, 13)]
    grid = [t for t in grid if t.sum() <= 1.0]
    if _is_zero(F1) or _is_zero(F2):
        return grid, True
    d1, d2 = _degree(F1), _degree(F2)
    if d1 == 0 or d2 == 0:  # one equation in t_2 alone: its roots, then the other in t_1
        G, H = (F1, F2) if d1 == 0 else (F2, F1)
        out = []
        for t2 in _real_roots(G[0]):
            column = np.polynomial.polynomial.polyval(t2, H.T)  # coefficients in t_1
            if _is_zero(column):
                return grid, True
            out += [np.array([t1, t2]) for t1 in _real_roots(column)]
        return out, False
    S = _sylvester(F1, F2, d1, d2)  # (m + 1, n, n): S(t_2) = sum_m S[m] t_2^m
    powers = np.arange(len(S))[:, None, None]
    probes = [np.sum(S * t**powers, axis=0) for t in (0.31, 0.67, 1.37)]
    if all(_smallest_singular(P) <= 1e-11 for P in probes):
        return grid, True  # det S vanishes identically: F_1, F_2 share a factor (a curve)
    t2s = _pencil_roots(S)
    out = []
    for t2 in t2s:
        g1 = np.polynomial.polynomial.polyval(t2, F1.T)
        g2 = np.polynomial.polynomial.polyval(t2, F2.T)
        g, h = (g1, g2) if not _is_zero(g1) else (g2, g1)
        size = max(np.abs(h).max(), 1.0)
        for t1 in _real_roots(g):
            if abs(np.polynomial.polynomial.polyval(t1, h)) <= 1e-6 * size:
                out.append(np.array([t1, t2]))
    return out, False


def _smallest_singular(P: np.ndarray) -> float:
    """The smallest singular value of ``P`` relative to its largest."""
    sv = np.linalg.svd(P, compute_uv=False)
    return float(sv[-1] / sv[0]) if sv[0] > 0 else 0.0


def _degree(C: np.ndarray) -> int:
    """Degree in ``t_1``."""
    rows = np.flatnonzero(np.abs(C).max(axis=1) > _ZERO)
    return int(rows.max()) if rows.size else 0


def _sylvester(F1, F2, d1: int, d2: int) -> np.ndarray:
    """The Sylvester matrix of ``F1, F2`` as polynomials in ``t_1`` (coefficients polynomials
    in ``t_2``), as a stack of coefficient matrices of ``t_2^0, t_2^1, ...``."""
    n = d1 + d2
    S = np.zeros((_D, n, n))
    for r in range(d2):  # t_1^r F1, highest power first
        for p in range(d1 + 1):
            S[:, r, r + d1 - p] = F1[p]
    for r in range(d1):
        for p in range(d2 + 1):
            S[:, d2 + r, r + d2 - p] = F2[p]
    used = np.flatnonzero(np.abs(S).max(axis=(1, 2)) > _ZERO)
    return S[: int(used.max()) + 1] if used.size else S[:1]


def _pencil_roots(S: np.ndarray) -> list[float]:
    """Real ``t`` in ``[0, 1]`` with ``det sum_m S[m] t^m = 0``: eigenvalues of the companion
    pencil ``A - t B`` (``B`` singular where the leading coefficient is: infinite eigenvalues,
    dropped)."""
    from scipy.linalg import eigvals

    m, n = len(S) - 1, S.shape[1]
    if m == 0:
        return []
    A = np.zeros((m * n, m * n))
    B = np.eye(m * n)
    A[: (m - 1) * n, n:] = np.eye((m - 1) * n)
    A[(m - 1) * n :, :] = -np.hstack(list(S[:m]))
    B[(m - 1) * n :, (m - 1) * n :] = S[m]
    with np.errstate(divide="ignore", invalid="ignore"):
        values = eigvals(A, B)
    values = values[np.isfinite(values)]
    real = values[np.abs(values.imag) <= 1e-6 * (1 + np.abs(values))].real
    return sorted(float(t) for t in real if -_SLACK <= t <= 1 + _SLACK)
