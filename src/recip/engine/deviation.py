"""The one-shot deviations of a profile of automata, on every situation any history can reach.

A subgame of the repeated game starts after any history and any draw of the world state. Every
player's continuation strategy depends on that history only through its automaton's memory, so a
subgame is a *situation* ``(s, m)``: a world state and a joint memory. The situations that some
history can produce are the closure of the start situations under *every* joint action (not just
the ones the profile plays with positive probability) and every move of nature.

On that closure :func:`recip.engine.deviation_build.deviation_model` builds, once (none of it
depends on the discount factor ``delta``): the profile's chain (``P``, round rewards ``r``) and,
for every player ``i`` and every action ``a`` it could *intend* in situation ``k`` (execution
noise still applies), the expected stage payoff ``rho_i(k, a)`` and the law ``T_i(k, a, .)`` of
the next situation; this module solves with them. Then, per round,

    V = (1 - delta) (I - delta P)^-1 r,
    Q_i(k, a) = (1 - delta) rho_i(k, a) + delta sum_k' T_i(k, a, k') V_i(k'),

and a player's optimal value against the others' automata (a finite Markov decision problem on
the same closure) by policy iteration.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order

from ..core.errors import AnalysisError
from .linalg import DENSE_LIMIT, Resolvent, solve_linear

#: Largest number of entries of the dense deviation transitions kept for policy iteration.
DENSE_MOVES_LIMIT = 4_000_000


@dataclass(frozen=True, eq=False)
class DeviationModel:
    """Everything about a compiled profile's one-shot deviations that does not depend on the
    discount factor: the closure of situations, the profile's chain on it, and for every player
    and every action it could intend, the expected stage payoff and the law of the next situation.

    Arrays: ``world[k]``, ``memories[k, i]`` (situation ``k``); ``reward[k, i]``; ``stage[i, k,
    a]`` (``rho``); ``policy[i, k, a]`` (intended-action chances); ``valid[i, k, a]`` (``a`` is one
    of ``i``'s actions in ``world[k]``); ``moves[i]`` is the sparse ``(N * A, N)`` matrix ``T_i``
    with row ``k * A + a``; ``on_path[k]``: reachable with positive chance under the profile.
    """

    game: Any
    automata: tuple[Any, ...]
    noise: tuple[float, ...]
    world: np.ndarray
    memories: np.ndarray
    start: np.ndarray
    transition: sp.csr_matrix
    reward: np.ndarray
    stage: np.ndarray
    policy: np.ndarray
    valid: np.ndarray
    moves: tuple[sp.csr_matrix, ...]
    on_path: np.ndarray

    @property
    def size(self) -> int:
        return len(self.world)

    @property
    def width(self) -> int:
        return self.stage.shape[2]

    @cached_property
    def deviations(self) -> np.ndarray:
        """``deviations[i, k, a]``: intending ``a`` in situation ``k`` counts as a deviation of
        ``i``: ``a`` is a valid action outside the profile's support or, where the profile mixes,
        any valid action (a mixture must make its whole support optimal)."""
        support = self.policy > 0
        mixes = support.sum(axis=2) >= 2
        chooses = self.valid.sum(axis=2) >= 2
        return self.valid & chooses[:, :, None] & (~support | mixes[:, :, None])

    @cached_property
    def _dense_moves(self) -> list[np.ndarray] | None:
        """``T_i`` as dense ``(N, A, N)`` arrays when small (policy iteration then avoids
        sparse-matrix overhead), else ``None``."""
        N, A = self.size, self.width
        if N > DENSE_LIMIT or N * A * N * len(self.moves) > DENSE_MOVES_LIMIT:
            return None
        return [T.toarray().reshape(N, A, N) for T in self.moves]

    def values(self, discount: float, solver: Resolvent | None = None) -> np.ndarray:
        """``V[k, i] = (1 - delta) (I - delta P)^-1 r``: per-round value of every situation."""
        solver = solver or Resolvent(self.transition)
        return solver(discount, (1.0 - discount) * self.reward)

    def action_values(self, discount: float, values: np.ndarray) -> np.ndarray:
        """``Q[i, k, a]``: value of intending ``a`` once, then following the profile
        (``-inf`` where ``a`` is not an action)."""
        N, A = self.size, self.width
        out = np.empty((len(self.automata), N, A))
        for i, T in enumerate(self.moves):
            cont = (T @ values[:, i]).reshape(N, A)
            out[i] = (1.0 - discount) * self.stage[i] + discount * cont
        return np.where(self.valid, out, -np.inf)

    def gains(self, discount: float, values: np.ndarray) -> np.ndarray:
        """``Q[i, k, a] - V[k, i]`` on deviations, ``-inf`` elsewhere (per round)."""
        q = self.action_values(discount, values) - values.T[:, :, None]
        return np.where(self.deviations, q, -np.inf)

    def largest_gain(self, discount: float, solver: Resolvent | None = None) -> float:
        """The largest one-shot gain (per round) over every situation, player and deviation
        (``-inf`` when nobody ever has a choice); see :meth:`one_shot_gains` for the scale and
        the rounding error that decide subgame perfection."""
        return float(self.gains(discount, self.values(discount, solver)).max(initial=-np.inf))

    def one_shot_gains(
        self, discount: float, values: np.ndarray, solver: Resolvent | None = None, tol=0.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(G, E)``: every one-shot gain in *total discounted payoff* (units of one round's
        payoff, a scale that does not vanish as ``delta -> 1``) and a bound on its rounding
        error; ``G`` is ``-inf`` and ``E`` 0 where ``a`` is not a deviation.

        ``G[i, k, a] = (Q_i(k, a) - V_i(k)) / (1 - delta) = Drho + delta / (1 - delta) DT V_i``
        with the differences from the profile's own play, ``Drho = rho_i(k, a) - sum_b pi_i(k,
        b) rho_i(k, b)`` and ``DT = T_i(k, a) - sum_b pi_i(k, b) T_i(k, b)`` (exact for a pure
        profile; built once), so that a deviation that changes nothing gains exactly 0, with no
        error. Floating point: the rounding of that difference, ``(m + 3) eps ((1 - delta)
        |Drho| + delta |DT| |V|)`` (``m`` terms per row; where the profile mixes, also that of
        forming its averages), and the error ``e`` of ``V``, which moves ``G`` by ``delta DT e /
        (1 - delta)``, at most ``delta |DT|_1 |e| / (1 - delta)``. ``e = (I - delta P)^-1 s``
        for the residual ``s`` of the computed ``V`` (found in extended precision), so ``|e| <=
        (|s| + ds) / (1 - delta)`` (``ds`` the rounding of ``s``); where that cheap bound leaves
        a gain undecided against ``tol``, ``e`` is estimated by one more solve and bounded by
        that solve's residual. The bound grows like ``eps / (1 - delta)^2`` at worst and
        ``eps / (1 - delta)`` in the refined case; gains below it cannot be told from ties.
        """
        c = 1.0 - discount
        eps = np.finfo(float).eps
        step, rnd = self._one_shot(discount, values)
        gain = np.where(self.deviations, step / c, -np.inf)
        P = self._transition_ld
        s, ds = self._residual(P, discount, values, (1 - np.longdouble(discount)) * self.reward)
        spread = np.stack([L1 for *_, L1 in self._differences])  # |DT|_1, (n, N, A)
        relative = 2 * eps * np.abs(step) / c  # the division by 1 - delta, rounded
        e_bound = (self._norm(s) + ds) / c
        cheap = (discount * spread * e_bound[:, None, None] + rnd) / c + relative
        error = np.where(self.deviations, cheap, 0.0)
        undecided = self.deviations & (gain + error > tol) & (gain <= np.maximum(tol, error))
        if undecided.any():
            e = (solver or Resolvent(self.transition))(discount, np.asarray(s, dtype=float))
            s2, ds2 = self._residual(P, discount, e, s)
            eta = (ds + ds2 + self._norm(s2)) / c  # |e_true - e| <= eta
            for i, (dT, absT, _, _, width, L1) in enumerate(self._differences):
                moved = np.abs(dT @ e[:, i]) + width * eps * (absT @ np.abs(e[:, i]))
                moved = moved.reshape(L1.shape) + L1 * eta[i]
                refined = (discount * moved + rnd[i]) / c + relative[i]
                error[i] = np.where(self.deviations[i], np.minimum(error[i], refined), 0.0)
        return gain, error

    def _one_shot(self, discount: float, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per round, ``(1 - delta) Drho + delta DT V`` for every action (0 where invalid) and
        the bound on its rounding (see :meth:`one_shot_gains`)."""
        eps = np.finfo(float).eps
        step = np.zeros(self.stage.shape)
        rnd = np.zeros(self.stage.shape)
        for i, (dT, absT, drho, mixed, width, _) in enumerate(self._differences):
            v = values[:, i]
            move = (dT @ v).reshape(drho.shape)
            step[i] = np.where(self.valid[i], (1.0 - discount) * drho + discount * move, 0.0)
            size = (1.0 - discount) * np.abs(drho) + discount * (absT @ np.abs(v)).reshape(
                drho.shape
            )
            scale = max(np.abs(self.stage[i]).max(initial=0.0), np.abs(v).max(initial=0.0))
            rnd[i] = width * eps * (size + mixed[:, None] * (self.width + 2) * scale)
        return step, rnd

    @cached_property
    def _differences(self) -> list[tuple]:
        """Per player: ``DT`` (sparse ``(N A, N)``), ``|DT|``, ``Drho`` ``(N, A)``, the
        situations where the profile mixes, the terms per row of ``DT`` plus 3, and the row
        sums ``|DT|_1`` ``(N, A)`` (see :meth:`one_shot_gains`)."""
        N, A = self.size, self.width
        rows, cols = np.repeat(np.arange(N), A), np.arange(N * A)
        expand = sp.csr_matrix((np.ones(N * A), (cols, rows)), shape=(N * A, N))
        out = []
        for i, T in enumerate(self.moves):
            pi = self.policy[i]
            mix = sp.csr_matrix((pi.reshape(-1), (rows, cols)), shape=(N, N * A))
            dT = sp.csr_matrix(T - expand @ (mix @ T))
            dT.eliminate_zeros()
            # |DT| shares DT's index arrays: only the values are new
            absT = sp.csr_matrix((np.abs(dT.data), dT.indices, dT.indptr), shape=dT.shape)
            drho = self.stage[i] - np.einsum("ka,ka->k", pi, self.stage[i])[:, None]
            width = int(np.diff(dT.indptr).max(initial=0)) + 3
            L1 = np.asarray(absT.sum(axis=1)).reshape(N, A)
            out.append((dT, absT, drho, (pi > 0).sum(axis=1) > 1, width, L1))
        return out

    @staticmethod
    def _residual(matrix, discount: float, x: np.ndarray, rhs) -> tuple[np.ndarray, np.ndarray]:
        """``rhs - (I - delta M) x`` in extended precision (``M`` given in ``np.longdouble``,
        dense or sparse), and a bound on its rounding for each column."""
        x_ld = np.asarray(x, dtype=np.longdouble)
        r = np.asarray(rhs, np.longdouble) - x_ld + np.longdouble(discount) * (matrix @ x_ld)
        rows = matrix.indptr if sp.issparse(matrix) else None
        width = (np.diff(rows) if rows is not None else (matrix != 0).sum(axis=1)).max(initial=0)
        size = np.abs(np.asarray(rhs, float)).max(axis=0) + 2 * np.abs(x).max(axis=0)
        return r, (width + 4) * float(np.finfo(np.longdouble).eps) * size

    @cached_property
    def _transition_ld(self):
        return self.transition.astype(np.longdouble)

    @staticmethod
    def _norm(x: np.ndarray) -> np.ndarray:
        """Max norm of each column, as float64."""
        return np.abs(x).max(axis=0, initial=0.0).astype(float)

    def nash_gains(
        self, discount: float, values: np.ndarray, gain: np.ndarray, error: np.ndarray, tol=0.0
    ):
        """``(per_round, total, bound)``: what each player's best response against the others'
        automata adds from the start, per round and in total discounted payoff, and a bound on
        the latter's error; ``gain, error`` are :meth:`one_shot_gains`.

        Policy iteration (:meth:`best_response_values`) starts from the profile and changes
        only situations where a one-shot gain exceeds ``max(tol, error)``: when none does, the
        profile is its own best response and every gain is exactly 0, so subgame perfection
        implies Nash equilibrium at every tolerance. Otherwise, with ``pi'`` the best response
        and ``g'(k)`` its one-shot gain against ``V`` (0 where it follows the profile), the
        total gain is ``(I - delta T_pi')^-1 g'`` at the start: exactly 0 when ``pi'`` follows
        the profile wherever it leads from the start; its error is ``g'``'s error propagated
        the same way. One-shot gains that rounding leaves undecided (within ``error`` of
        ``tol``) add their possible excess over ``tol`` repeated forever, ``/(1 - delta)``.
        """
        n = len(self.automata)
        c = 1.0 - discount
        per_round, total, bound = np.zeros(n), np.zeros(n), np.zeros(n)
        improve = self.deviations & (gain > np.maximum(tol, error))
        best, policies, changed = self.best_response_values(discount, values, improve, full=True)
        step = self._one_shot(discount, values)[0]
        open_gain = np.where(self.deviations & ~improve, gain + error - tol, 0.0)
        starts = np.flatnonzero(self.start > 0)
        for i in range(n):
            left = open_gain[i][~changed[i]].max(initial=0.0)
            bound[i] = max(left, 0.0) / c if c > 0 else (np.inf if left > 0 else 0.0)
            if not changed[i].any():
                continue
            per_round[i] = float(self.start @ (best[:, i] - values[:, i]))
            pi = policies[i]
            g = np.where(changed[i], np.einsum("ka,ka->k", pi, step[i]), 0.0) / c
            e = np.where(changed[i], np.einsum("ka,ka->k", pi, error[i]), 0.0)
            follow = self._follow(i, pi)
            graph = follow if sp.issparse(follow) else sp.csr_matrix(follow)
            reach = np.zeros(self.size, dtype=bool)
            for k in starts:  # the situations the best response reaches from the start
                reach[breadth_first_order(graph, int(k), return_predecessors=False)] = True
            if not (g[reach].any() or e[reach].any()):
                continue
            if sp.issparse(follow):
                system = sp.identity(self.size, format="csr") - discount * follow
                x = solve_linear(system, np.column_stack([g, e]))
            else:
                x = np.linalg.solve(np.eye(self.size) - discount * follow, np.column_stack([g, e]))
            s, ds = self._residual(follow.astype(np.longdouble), discount, x[:, 0], g)
            total[i] = float(self.start @ x[:, 0])
            bound[i] += float(self.start @ x[:, 1]) + (float(self._norm(s)) + ds) / c
        return per_round, total, bound

    def _follow(self, i: int, pi: np.ndarray):
        """``T_pi``: the situation chain when player ``i`` intends ``pi`` (rows: situations),
        dense for small closures."""
        N, A = self.size, self.width
        if self._dense_moves is not None:
            return np.einsum("ka,kaj->kj", pi, self._dense_moves[i])
        mix = sp.csr_matrix((pi.reshape(-1), (np.repeat(np.arange(N), A), np.arange(N * A))))
        return sp.csr_matrix(mix @ self.moves[i])

    def best_response_values(
        self,
        discount: float,
        values: np.ndarray,
        improve=None,
        *,
        full: bool = False,
        players=None,
    ):
        """``W[k, i]``: player ``i``'s optimal value against the others' automata, by policy
        iteration (exact in finitely many steps) started from the profile: the first step
        changes the situations where ``improve[i, k, a]`` (default: an action's one-shot value
        beats the profile's by more than ``1e-13`` x the payoff scale, per round) to their best
        action; later steps change a situation when its best action beats the current one by
        that much. A player with nothing to improve gets exactly ``values[:, i]``. With
        ``full=True`` also returns each player's final policy ``(N, A)`` and the changed
        situations. ``players`` (default: all) limits the work to those players; the others
        keep their profile's values and policies."""
        N, A = self.size, self.width
        rows = np.arange(N)
        n = len(self.automata)
        out = np.empty((N, n))
        scale = 1.0 + float(np.abs(self.stage).max(initial=0.0))
        dense = self._dense_moves
        q = self.action_values(discount, values)
        if improve is None:
            qbar = np.einsum("ika,ika->ik", self.policy, np.where(self.valid, q, 0.0))
            improve = self.deviations & (q > qbar[:, :, None] + 1e-13 * scale)
        policies, changed = [], np.zeros((n, N), dtype=bool)
        chosen = range(n) if players is None else set(players)
        for i, T in enumerate(self.moves):
            pi = self.policy[i].copy()
            switch = improve[i].any(axis=1) if i in chosen else np.zeros(N, dtype=bool)
            W = values[:, i]
            for _ in range(10 * N + 10):
                if not switch.any():
                    break
                pi[switch] = np.eye(A)[q[i][switch].argmax(axis=1)]
                changed[i] |= switch
                rhs = (1.0 - discount) * np.einsum("ka,ka->k", pi, self.stage[i])
                pure = pi.max(axis=1) == 1.0
                choice = pi.argmax(axis=1)
                if dense is not None:
                    moves = (
                        dense[i][rows, choice]
                        if pure.all()
                        else np.einsum("ka,kaj->kj", pi, dense[i])
                    )
                    W = np.linalg.solve(np.eye(N) - discount * moves, rhs)
                else:
                    moves = T[rows * A + choice] if pure.all() else self._follow(i, pi)
                    W = solve_linear(sp.identity(N, format="csr") - discount * moves, rhs)
                q[i] = np.where(
                    self.valid[i],
                    (1.0 - discount) * self.stage[i] + discount * (T @ W).reshape(N, A),
                    -np.inf,
                )
                current = np.einsum("ka,ka->k", pi, np.where(self.valid[i], q[i], 0.0))
                switch = q[i].max(axis=1) > current + 1e-13 * scale
            else:  # pragma: no cover - policy iteration terminates on finite problems
                raise AnalysisError("policy iteration did not converge")
            out[:, i] = np.maximum(W, values[:, i])
            policies.append(pi)
        return (out, policies, changed) if full else out
