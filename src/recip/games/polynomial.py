"""Mixed equilibria of games of any number of players by support enumeration with a nonlinear
solve [Porter-Nudelman-Shoham2008, Alg. 2]; see :mod:`recip.games.nash` for what is and is not
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

from .elimination import is_small, support_roots
from .equilibrium import (
    Equilibrium,
    Partial,
    action_values,
    n_support_profiles,
    pure_ties,
    verified,
)

#: A root is accepted when every indifference equation holds to this, relative to the payoffs.
RESIDUAL = 1e-10
#: Newton iterations at most (quadratic convergence needs few; steps are capped at 0.5).
NEWTON_STEPS = 40
#: Iterations after which a start still far from a root is abandoned.
GIVE_UP = 15


def solve_polynomial(u: np.ndarray, eps: float, pure_found: list[Equilibrium], opts) -> Partial:
    """All pure equilibria plus the mixed ones support enumeration finds: every one, with
    ``complete=True``, for a small nondegenerate game (:func:`recip.games.elimination.is_small`);
    else as found (``complete=False``)."""
    shape = u.shape[:-1]
    ties = pure_ties(u, eps)
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
    dominated = [_dominated_actions(u, i, subsets, eps) for i in range(len(shape))]
    masks = [[sum(1 << a for a in c) for c in subs] for subs in subsets]
    candidates: list[tuple[list[np.ndarray], bool]] = []
    continuum = False  # some support's solution set may not be finite
    groups: dict[tuple, list] = {}  # three or more mixing players, by which mix and how much
    for index in itertools.product(*(range(len(subs)) for subs in subsets)):
        supports = tuple(subs[c] for subs, c in zip(subsets, index, strict=True))
        sizes = tuple(len(s) for s in supports)
        mixing = tuple(i for i, n in enumerate(sizes) if n > 1)
        if not mixing or any(
            dominated[i][index[:i] + index[i + 1 :]] & masks[i][index[i]] for i in range(len(shape))
        ):
            continue
        if len(mixing) >= 3:
            groups.setdefault((mixing, sizes), []).append(supports)
        else:
            found_here, flat = _solve_small(u, supports, mixing, scale)
            candidates += found_here
            continuum |= flat
    small = is_small(shape)
    for (mixing, sizes), members in groups.items():
        if small:  # every root of every support's system, polished by Newton's method
            points = []
            for m, supports in enumerate(members):
                roots, flat = support_roots(u, supports, scale)
                points += [(m, z) for z in roots]
                continuum |= flat
            candidates += _solve_group(u, members, sizes, mixing, rng, 0, scale, points)
        else:
            candidates += _solve_group(u, members, sizes, mixing, rng, int(opts["starts"]), scale)
    found = list(pure_found)
    singular = False
    for strategies, rank_deficient in candidates:
        eq = verified(u, strategies, eps)
        if eq is not None:
            found.append(eq)
            singular |= rank_deficient
    degenerate = ties or singular or any(_unused_best_response(u, eq, eps) for eq in found)
    complete = small and not (degenerate or continuum)
    notes = ()
    if small and not complete:
        notes = ("some support's equilibria may form a continuum: represented by the points found",)
    elif complete:
        notes = (
            "solved exactly: every support's indifference system, by elimination to polynomial "
            "roots (at most three players with at most three actions each)",
        )
    return Partial(found, "polynomial", complete, bool(degenerate or continuum), shape, notes)


def _dominated_actions(u: np.ndarray, i: int, subsets, eps: float) -> dict[tuple, int]:
    """For every combination of the other players' supports (by index into ``subsets``), the
    bitmask of player ``i``'s actions strictly dominated by another of its actions against every
    profile of those supports: such an action is never a best response there."""
    k = u.ndim - 1
    others = [j for j in range(k) if j != i]
    out = {}
    for index in itertools.product(*(range(len(subsets[j])) for j in others)):
        chosen = dict(zip(others, index, strict=True))
        box = tuple(
            np.arange(u.shape[j]) if j == i else np.asarray(subsets[j][chosen[j]]) for j in range(k)
        )
        table = np.moveaxis(u[np.ix_(*box)][..., i], i, 0).reshape(u.shape[i], -1)
        beats = (table[:, None, :] > table[None, :, :] + eps).all(axis=2)  # [a', a]
        out[index] = sum(1 << int(a) for a in np.flatnonzero(beats.any(axis=0)))
    return out


def _profile(shape, supports, mixing, z) -> list[np.ndarray]:
    """The full profile: pure players on their one action, mixing ones from ``z``."""
    full = [np.zeros(n) for n in shape]
    for i, s in enumerate(supports):
        full[i][list(s)] = 1.0
    pos = 0
    for i in mixing:
        full[i][list(supports[i])] = z[pos : pos + len(supports[i])]
        pos += len(supports[i])
    return full


def _solve_small(u: np.ndarray, supports, mixing, scale: float):
    """One or two mixing players: ``(candidates, singular)``, ``singular`` when the support's
    solution set may be a continuum. With one, that player must already be indifferent against
    the others' actions (a tie): its mixtures that keep the others' actions best responses form
    a polytope, and a point deep inside it is found by linear programming. With two, the system
    is linear (each one's indifference depends on the other's probabilities only) and is solved
    exactly; where it is singular but consistent, a point with full support is found by linear
    programming."""
    sub = u[np.ix_(*supports)]
    shape = u.shape[:-1]
    pure_axes = tuple(i for i in range(len(supports)) if len(supports[i]) == 1)
    if len(mixing) == 1:
        (i,) = mixing
        if np.ptp(sub[..., i]) > RESIDUAL * scale:
            return [], False
        rows = []  # each pure player's action must beat its alternatives: linear in x_i
        for h in pure_axes:
            box = [
                np.arange(n) if p == h else np.asarray(s)
                for p, (n, s) in enumerate(zip(shape, supports, strict=True))
            ]
            table = np.moveaxis(u[np.ix_(*box)][..., h], (h, i), (0, 1)).reshape(
                shape[h], len(supports[i])
            )
            rows.append(table - table[supports[h][0]])  # alternative minus the action played
        x = _deepest(np.ones((1, len(supports[i]))), np.ones(1), np.vstack(rows) if rows else None)
        if x is None:
            return [], True
        return [(_profile(shape, supports, mixing, x), True)], True
    i, j = mixing
    W_i = sub[..., i].squeeze(axis=pure_axes)  # rows: i's actions, columns: j's
    W_j = sub[..., j].squeeze(axis=pure_axes).T  # rows: j's actions, columns: i's
    parts = []
    singular = False
    for W in (W_j, W_i):  # x_i from j's indifference, then x_j from i's
        M = np.vstack([W[1:] - W[0], np.ones(W.shape[1])])
        rhs = np.zeros(len(M))
        rhs[-1] = 1.0
        x, _, rank, _ = np.linalg.lstsq(M, rhs, rcond=None)
        if np.abs(M @ x - rhs).max() > RESIDUAL * scale:
            return [], False
        if rank < M.shape[1]:
            singular = True
            x = _deepest(M, rhs, None)
        parts.append(x)
    if any(x is None or x.min() < -1e-9 for x in parts):
        return [], singular
    return [(_profile(shape, supports, mixing, np.concatenate(parts)), singular)], singular


def _deepest(A_eq: np.ndarray, b_eq: np.ndarray, A_le: np.ndarray | None) -> np.ndarray | None:
    """A point of ``{x : A_eq x = b_eq, A_le x <= 0, x >= 0}`` maximising its smallest entry,
    if that entry is positive (the point then has full support), else ``None``."""
    from scipy.optimize import linprog

    n = A_eq.shape[1]
    c = np.zeros(n + 1)
    c[-1] = -1.0  # maximise s with x >= s
    upper = np.hstack([-np.eye(n), np.ones((n, 1))])
    if A_le is not None:
        upper = np.vstack([upper, np.hstack([A_le, np.zeros((len(A_le), 1))])])
    res = linprog(
        c,
        A_ub=upper,
        b_ub=np.zeros(len(upper)),
        A_eq=np.hstack([A_eq, np.zeros((len(A_eq), 1))]),
        b_eq=b_eq,
        bounds=[(0, None)] * n + [(None, 1.0)],
        method="highs",
    )
    if res.status != 0 or res.x[-1] <= 1e-9:
        return None
    return res.x[:n]


def _solve_group(
    u: np.ndarray, members, sizes, mixing, rng, starts: int, scale: float, points=None
):
    """Three or more mixing players, for every support of one shape at once: damped Newton
    iterations (a pseudo-inverse step, so that singular systems move to a nearby solution) from
    each support's centroid and ``starts`` random points, vectorised over supports and starts;
    or, when ``points`` is given, from exactly those ``(member index, z)`` points (to polish
    roots found otherwise).

    Unknowns ``z`` are the mixing players' probabilities on their supports; for mixing player
    ``i`` and another mixing player ``j``, ``M_ij[a, b]`` is ``i``'s payoff from action ``a``
    when ``j`` plays ``b`` and the rest mix, so ``v_i = M_ij x_j`` and ``M_ij`` is also the
    Jacobian block of ``v_i`` with respect to ``x_j``.
    """
    k = len(sizes)
    G = len(members)
    subs = np.stack([u[np.ix_(*supports)] for supports in members])  # (G, S_1.., S_k, k)
    offsets = np.cumsum([0] + [sizes[i] for i in mixing])
    where = {i: (int(offsets[p]), int(offsets[p + 1])) for p, i in enumerate(mixing)}
    dim = int(offsets[-1])
    tables = {}  # (i, j) -> (T of shape (G, S_i, S_j, R), the other mixing players)
    for i in mixing:
        for j in mixing:
            if j != i:
                rest = [h for h in mixing if h not in (i, j)]
                order = [0, 1 + i, 1 + j, *(1 + h for h in rest)]
                order += [1 + h for h in range(k) if h not in mixing]
                T = np.transpose(subs[..., i], order).reshape(G, sizes[i], sizes[j], -1)
                tables[i, j] = (T, rest)

    def system(z, g):  # z: (N, dim), g: (N,) support of each row -> F (N, dim), J (N, dim, dim)
        N = len(z)
        F = np.empty((N, dim))
        J = np.zeros((N, dim, dim))
        for i in mixing:
            lo, hi = where[i]
            first = True
            for j in mixing:
                if j == i:
                    continue
                T, rest = tables[i, j]
                w = np.ones((N, 1))
                for h in rest:
                    a, b = where[h]
                    w = (w[:, :, None] * z[:, None, a:b]).reshape(N, -1)
                M = np.einsum("nijr,nr->nij", T[g], w)
                a, b = where[j]
                J[:, lo : hi - 1, a:b] = M[:, 1:] - M[:, :1]
                if first:
                    v = np.einsum("nij,nj->ni", M, z[:, a:b])
                    F[:, lo : hi - 1] = v[:, 1:] - v[:, :1]
                    first = False
            F[:, hi - 1] = z[:, lo:hi].sum(axis=1) - 1.0
            J[:, hi - 1, lo:hi] = 1.0
        return F, J

    centroid = np.concatenate([np.full(sizes[i], 1.0 / sizes[i]) for i in mixing])
    draws = [
        np.concatenate([rng.dirichlet(np.ones(sizes[i])) for i in mixing]) for _ in range(starts)
    ]
    starts_z = np.vstack([centroid, *draws]) if draws else centroid[None, :]
    z = np.tile(starts_z, (G, 1))
    g = np.repeat(np.arange(G), len(starts_z))
    if points is not None:
        if not points:
            return []
        g = np.array([m for m, _ in points], dtype=int)
        z = np.array([p for _, p in points], dtype=float).reshape(len(points), dim)
    tolerance = 1e-3 * RESIDUAL * scale
    for step in range(NEWTON_STEPS):
        F, J = system(z, g)
        residual = np.abs(F).max(axis=1, initial=0.0)
        live = np.isfinite(F).all(axis=1) & (np.abs(z).max(axis=1) < 4.0)
        if step >= GIVE_UP:  # Newton converges fast near a root; these wander: drop them
            live &= residual <= 1e-6 * scale
        done = residual <= tolerance
        z, g, F, J, done = z[live], g[live], F[live], J[live], done[live]
        if done.all():
            break
        active = ~done
        step = _step(J[active], F[active])
        norm = np.abs(step).max(axis=1, keepdims=True)
        z[active] -= step * np.minimum(1.0, 0.5 / np.maximum(norm, 1e-300))
    out = []
    if len(z):
        F, J = system(z, g)
        rank = np.linalg.matrix_rank(J, tol=1e-9)
        roots: dict[int, list[np.ndarray]] = {}
        for x, f, gi, r in zip(z, F, g, rank, strict=True):
            kept = roots.setdefault(int(gi), [])
            if _accept(x, f, scale, kept):
                kept.append(x)
                out.append((_profile(u.shape[:-1], members[gi], mixing, x), bool(r < dim)))
    return out


def _step(J: np.ndarray, F: np.ndarray) -> np.ndarray:
    """Levenberg-Marquardt steps ``(J^T J + mu I)^{-1} J^T F`` with a tiny ``mu``: Newton's step
    where ``J`` is regular, a least-squares step towards the solution set where it is singular."""
    JT = np.swapaxes(J, 1, 2)
    normal = JT @ J
    mu = 1e-12 * np.maximum(1.0, np.trace(normal, axis1=1, axis2=2))
    normal += mu[:, None, None] * np.eye(J.shape[1])
    return np.linalg.solve(normal, (JT @ F[..., None]))[..., 0]


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
