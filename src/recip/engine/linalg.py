"""Linear solves of the exact evaluator: ``(I - delta P) x = b`` and friends.

One place decides how, so that every exact answer (values, thresholds, subgame perfection) is
computed the same way (figures in ``benchmarks/README.md``):

* **small systems** (up to :data:`DENSE_LIMIT` unknowns) by LAPACK's LU;
* **larger ones** by restarted GMRES (:func:`gmres`), which needs only products with the sparse
  matrix, stopped when the *true* residual is at rounding level,
  ``|b - A x|_inf <= 8 eps (|b|_inf + |A|_inf |x|_inf)`` -- the accuracy a backward-stable
  direct solve guarantees -- and, when it does not get there within :data:`GMRES_STEPS` steps
  (very slowly mixing chains), by sparse LU. Chains of reciprocating players mix quickly but
  fill an LU factor almost completely (six players: 3.2 M entries for a 7,168-state chain;
  eight: beyond memory), so GMRES is 10 to 1,000 times faster on them;
* SuperLU eliminates in a minimum-degree order of ``A + A^T`` (:data:`ORDERING`), preferring
  diagonal pivots: ``I - delta P`` is diagonally dominant and nearly structurally symmetric, and
  on the six-player chain this order fills it to 3.2 M entries (0.2 s) where SuperLU's default
  (COLAMD) fills it to 10.7 M (2.3 s);
* **threads**: BLAS is held to one thread during large solves (:func:`one_blas_thread`). On a
  machine whose cores are busy, a second BLAS thread waits for a core at every synchronisation
  and a dense solve runs many times slower; recip's parallelism is in its workers, not in BLAS.

:class:`Resolvent` solves for one ``P`` and many discount factors: GMRES starts from the last
solution, and a sparse LU made at one discount factor preconditions GMRES at the next ones.
"""

from __future__ import annotations

from contextlib import nullcontext

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.linalg import solve_triangular

#: Systems up to this size are solved with dense LU (measured: dense LU and GMRES cost the same
#: near 300-500 unknowns whatever the density; beyond, GMRES is 2 to 20 times faster).
DENSE_LIMIT = 400
#: Fill-reducing column ordering of SuperLU (see the module docstring).
ORDERING = "MMD_AT_PLUS_A"
#: Systems from this size on are solved with BLAS held to one thread.
THREAD_LIMIT_SIZE = 200
#: GMRES restarts after this many steps (the Krylov basis holds this many vectors).
RESTART = 40
#: Most GMRES steps (matrix products) per right-hand side before sparse LU takes over.
GMRES_STEPS = 300
#: A factorisation at ``delta0`` preconditions GMRES at ``delta`` when
#: ``|delta - delta0| <= NEAR (1 - max(delta, delta0))``.
NEAR = 0.5
#: Factorisations a :class:`Resolvent` keeps.
KEPT = 4

_EPS = np.finfo(float).eps
_controller = None


def one_blas_thread(n: int):
    """A context holding BLAS to one thread for a system of size ``n`` (no-op when small)."""
    global _controller
    if n < THREAD_LIMIT_SIZE:
        return nullcontext()
    if _controller is None:
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


def use_dense(n: int) -> bool:
    """Whether a system of size ``n`` is solved with dense LU."""
    return n <= DENSE_LIMIT


def gmres(matvec, b: np.ndarray, x0=None, *, norm: float, precondition=None, steps=None):
    """``x`` with ``|b - A x|_inf <= 8 eps (|b|_inf + norm |x|_inf)`` (``norm`` bounds
    ``|A|_inf``) by restarted GMRES with classical Gram-Schmidt, reorthogonalised, and Givens
    rotations; right-preconditioned by ``precondition`` (``v -> M^-1 v``) if given. Returns
    ``None`` when ``steps`` (default :data:`GMRES_STEPS`) matrix products do not get there."""
    steps = GMRES_STEPS if steps is None else steps
    n = b.size
    x = np.zeros(n) if x0 is None else np.array(x0, dtype=float)
    m = min(RESTART, n)
    size_b = np.abs(b).max(initial=0.0)
    used = 0
    while True:
        r = b - matvec(x)
        bound = 8 * _EPS * (size_b + norm * np.abs(x).max(initial=0.0))
        if np.abs(r).max(initial=0.0) <= bound:
            return x
        if used >= steps:
            return None
        beta = np.linalg.norm(r)
        V = np.empty((m + 1, n))
        V[0] = r / beta
        R = np.zeros((m, m))
        cs, sn = np.zeros(m), np.zeros(m)
        g = np.zeros(m + 1)
        g[0] = beta
        k = 0
        for j in range(m):
            w = matvec(V[j] if precondition is None else precondition(V[j]))
            h = V[: j + 1] @ w
            w -= h @ V[: j + 1]
            again = V[: j + 1] @ w
            w -= again @ V[: j + 1]
            h += again
            size = np.linalg.norm(w)
            for i in range(j):  # earlier rotations
                h[i], h[i + 1] = cs[i] * h[i] + sn[i] * h[i + 1], cs[i] * h[i + 1] - sn[i] * h[i]
            rho = np.hypot(h[j], size)
            if rho == 0.0:
                break
            cs[j], sn[j] = h[j] / rho, size / rho
            h[j] = rho
            R[: j + 1, j] = h
            g[j + 1], g[j] = -sn[j] * g[j], cs[j] * g[j]
            used += 1
            k = j + 1
            if abs(g[j + 1]) <= 0.5 * bound or size == 0.0 or used >= steps:
                break
            V[j + 1] = w / size
        if k == 0:
            return None
        step = solve_triangular(R[:k, :k], g[:k]) @ V[:k]
        x = x + (step if precondition is None else precondition(step))


def _splu(A: sp.spmatrix):
    return spla.splu(
        sp.csc_matrix(A),
        permc_spec=ORDERING,
        diag_pivot_thresh=0.1,
        options={"SymmetricMode": True},
    )


def _columns(solve_one, b: np.ndarray) -> np.ndarray | None:
    """``solve_one`` applied to each column of ``b`` (``None`` if any fails)."""
    if b.ndim == 1:
        return solve_one(b, 0)
    out = np.empty(b.shape)
    for k in range(b.shape[1]):
        x = solve_one(b[:, k], k)
        if x is None:
            return None
        out[:, k] = x
    return out


def solve_linear(A: sp.spmatrix, b: np.ndarray, *, iterative: bool = True) -> np.ndarray:
    """``A^-1 b``: dense LU for small systems; otherwise GMRES (when ``iterative``), and sparse
    LU where GMRES does not reach rounding level."""
    n = A.shape[0]
    with one_blas_thread(n):
        if use_dense(n):
            return np.linalg.solve(A.toarray(), b)
        if iterative:
            A = sp.csr_matrix(A)
            norm = float(np.asarray(abs(A).sum(axis=1)).max(initial=0.0))
            x = _columns(lambda c, _: gmres(A.__matmul__, c, norm=norm), b)
            if x is not None:
                return x
        return _splu(A).solve(b)


class Resolvent:
    """Solves ``(I - delta P) x = b`` for one matrix ``P`` and many discount factors: dense LU
    for a small ``P`` (kept dense between calls); otherwise GMRES started from the previous
    solution, and where that does not converge, GMRES preconditioned by a kept sparse LU of a
    nearby ``I - delta0 P``, or a new one (the last :data:`KEPT` are kept).

    (A Schur factorisation ``P = Z T Z^H`` would turn each dense solve into a triangular one,
    but at the sizes where that pays, LAPACK's real LU is as fast as the complex triangular
    solve.)
    """

    def __init__(self, P: sp.spmatrix):
        self.P = sp.csr_matrix(P)
        self.n = self.P.shape[0]
        self._dense = self.P.toarray() if use_dense(self.n) else None
        self._norm = float(np.asarray(abs(self.P).sum(axis=1)).max(initial=0.0))
        self._factors: dict[float, object] = {}
        self._last: dict[tuple, np.ndarray] = {}

    def __call__(self, discount: float, b: np.ndarray) -> np.ndarray:
        with one_blas_thread(self.n):
            if self._dense is not None:
                A = -discount * self._dense
                A[np.diag_indices_from(A)] += 1.0
                return np.linalg.solve(A, b)
            return self._sparse(float(discount), np.asarray(b, dtype=float))

    def _sparse(self, discount: float, b: np.ndarray) -> np.ndarray:
        def matvec(v):
            return v - discount * (self.P @ v)

        norm = 1.0 + discount * self._norm
        start = self._last.get(b.shape)

        def plain(c, k):
            guess = None if start is None else (start if b.ndim == 1 else start[:, k])
            return gmres(matvec, c, guess, norm=norm)

        x = _columns(plain, b)
        if x is None:
            lu = self._factors.get(discount) or self._nearby(discount)
            if lu is None:
                lu = self._factor(discount)
            x = _columns(lambda c, _: gmres(matvec, c, norm=norm, precondition=lu.solve), b)
            if x is None:  # the preconditioner was not close enough
                x = self._factor(discount).solve(b)
        self._last[b.shape] = x
        return x

    def _nearby(self, discount: float):
        near = [d for d in self._factors if abs(discount - d) <= NEAR * (1.0 - max(discount, d))]
        if not near:
            return None
        return self._factors[min(near, key=lambda d: abs(discount - d))]

    def _factor(self, discount: float):
        lu = self._factors.get(discount)
        if lu is None:
            lu = _splu(sp.identity(self.n, format="csr") - discount * self.P)
            if len(self._factors) >= KEPT:
                del self._factors[next(iter(self._factors))]
            self._factors[discount] = lu
        return lu
