"""Mixed equilibria of games of any number of players by support enumeration with a nonlinear
solve [Porter-Nudelman-Shoham2008, Alg. 2]; see :mod:`recip.analysis.nash` for what is and is not
guaranteed.

For a support profile ``S = (S_1, ..., S_k)``, an equilibrium with that support solves the
*indifference system*: for every player ``i`` with two or more actions in ``S_i``

    v_i(a, x_{-i}) = v_i(a_0, x_{-i})   for a in S_i \\ {a_0},       sum_{a in S_i} x_i(a) = 1,

with ``x_j`` zero outside ``S_j``: as many equations as unknowns, each multilinear in the other
players' probabilities. A support is skipped when one of its actions is *conditionally strictly
dominated* (another action of the same player does strictly better against every profile of the
others' supports): it cannot be a best response to any profile with those supports.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy import optimize

from .nash import (
    Equilibrium,
    Partial,
    _contract,
    _equilibrium,
    _pure_ties,
    action_values,
    n_support_profiles,
)

#: A root is accepted when every indifference equation holds to this, relative to the payoffs.
RESIDUAL = 1e-10


def solve_polynomial(u: np.ndarray, eps: float, pure_found: list[Equilibrium], opts) -> Partial:
    """All pure equilibria plus the mixed ones support enumeration finds (``complete=False``)."""
    shape = u.shape[:-1]
    ties = _pure_ties(u, eps)
    count = n_support_profiles(shape)
    if count > opts["max_supports"]:
        note = (
            f"mixed equilibria not searched: {count} support profiles exceed "
            f"options['max_supports'] = {opts['max_supports']}"
        )
        return Partial(list(pure_found), "pure", False, ties, shape, (note,))
    rng = np.random.default_rng(opts["seed"])
    scale = max(1.0, float(np.abs(u).max()))
    subsets = [
        [c for r in range(1, n + 1) for c in itertools.combinations(range(n), r)] for n in shape
    ]
    found = list(pure_found)
    singular = False
    for supports in itertools.product(*subsets):
        if all(len(s) == 1 for s in supports) or _dominated(u, supports, eps):
            continue
        for strategies, rank_deficient in _solve_support(
            u, supports, rng, int(opts["starts"]), scale
        ):
            eq = _equilibrium(u, strategies, eps)
            if eq is not None:
                found.append(eq)
                singular |= rank_deficient
    degenerate = ties or singular or any(_unused_best_response(u, eq, eps) for eq in found)
    return Partial(found, "polynomial", False, bool(degenerate), shape)


def _dominated(u: np.ndarray, supports, eps: float) -> bool:
    """Whether an action in some ``S_i`` is strictly dominated, given the others' supports."""
    k = len(supports)
    for i in range(k):
        index = tuple(
            np.arange(u.shape[j]) if j == i else np.asarray(supports[j]) for j in range(k)
        )
        table = np.moveaxis(u[np.ix_(*index)][..., i], i, 0).reshape(u.shape[i], -1)
        beats = (table[:, None, :] > table[None, :, :] + eps).all(axis=2)  # [a', a]
        if beats[:, list(supports[i])].any():
            return True
    return False


def _solve_support(u: np.ndarray, supports, rng, starts: int, scale: float):
    """Roots of the indifference system of ``supports`` in the simplex, as full profiles, each
    with whether the system's Jacobian is singular there."""
    k = len(supports)
    sub = u[np.ix_(*supports)]
    sizes = [len(s) for s in supports]
    mixing = [i for i in range(k) if sizes[i] > 1]
    offsets = np.cumsum([0] + [sizes[i] for i in mixing])
    dim = int(offsets[-1])

    def split(z):
        xs = [np.ones(1) for _ in range(k)]
        for pos, i in enumerate(mixing):
            xs[i] = z[offsets[pos] : offsets[pos + 1]]
        return xs

    def system(z):
        xs = split(z)
        F = np.empty(dim)
        J = np.zeros((dim, dim))
        for pos, i in enumerate(mixing):
            lo, hi = offsets[pos], offsets[pos + 1]
            v = _contract(sub[..., i], xs, (i,))
            F[lo : hi - 1] = v[1:] - v[0]
            F[hi - 1] = z[lo:hi].sum() - 1.0
            J[hi - 1, lo:hi] = 1.0
            for pos_j, j in enumerate(mixing):
                if j == i:
                    continue
                M = _contract(sub[..., i], xs, (min(i, j), max(i, j)))
                if j < i:
                    M = M.T  # rows: i's actions, columns: j's
                J[lo : hi - 1, offsets[pos_j] : offsets[pos_j + 1]] = M[1:] - M[0]
        return F, J

    centroid = np.concatenate([np.full(sizes[i], 1.0 / sizes[i]) for i in mixing])
    guesses = [centroid] + [
        np.concatenate([rng.dirichlet(np.ones(sizes[i])) for i in mixing]) for _ in range(starts)
    ]
    roots = []
    for z0 in guesses:
        sol = optimize.root(system, z0, jac=True, method="hybr", options={"xtol": 1e-13})
        if _accept(sol.x, system(sol.x)[0], scale, roots):
            roots.append(sol.x)
    if not roots and np.linalg.matrix_rank(system(centroid)[1]) < dim:
        # A singular system (a continuum of solutions, or none): the nearest point in the box.
        sol = optimize.least_squares(
            lambda z: system(z)[0],
            centroid,
            jac=lambda z: system(z)[1],
            bounds=(0, 1),
            xtol=1e-15,
            ftol=1e-15,
            gtol=1e-15,
        )
        if _accept(sol.x, sol.fun, scale, roots):
            roots.append(sol.x)
    out = []
    for z in roots:
        xs = split(z)
        full = [np.zeros(n) for n in u.shape[:-1]]
        for i in range(k):
            full[i][list(supports[i])] = xs[i]
        rank_deficient = np.linalg.matrix_rank(system(z)[1], tol=1e-9) < dim
        out.append((full, bool(rank_deficient)))
    return out


def _accept(z: np.ndarray, F: np.ndarray, scale: float, roots: list[np.ndarray]) -> bool:
    if not np.isfinite(z).all() or np.abs(F).max() > RESIDUAL * scale or z.min() < -1e-9:
        return False
    return not any(np.abs(z - r).max() < 1e-7 for r in roots)


def _unused_best_response(u: np.ndarray, eq: Equilibrium, eps: float) -> bool:
    """Whether some action outside a player's support earns its equilibrium payoff."""
    values = action_values(u, eq.strategies)
    for v, x, pay in zip(values, eq.strategies, eq.payoffs, strict=True):
        if ((x == 0) & (v >= pay - eps)).any():
            return True
    return False
