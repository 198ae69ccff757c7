"""Linear solves of the exact evaluator: ``(I - delta P) x = b`` and friends.

Small systems are solved densely (LAPACK), large ones by sparse LU. One place decides which, so
that every exact answer (values, thresholds, subgame perfection) is computed the same way.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

#: Chains up to this many states are solved with dense linear algebra.
DENSE_LIMIT = 1500


class Resolvent:
    """Solves ``(I - delta P) x = b`` for one matrix ``P`` and many discount factors: dense LU
    for a small ``P`` (kept dense between calls), sparse LU for a large one.

    (A Schur factorisation ``P = Z T Z^H`` would turn each solve into a triangular one, but at
    the sizes where that pays, LAPACK's real LU is as fast as the complex triangular solve.)
    """

    def __init__(self, P: sp.spmatrix):
        self.P = sp.csr_matrix(P)
        self.n = self.P.shape[0]
        self._dense = self.P.toarray() if self.n <= DENSE_LIMIT else None

    def __call__(self, discount: float, b: np.ndarray) -> np.ndarray:
        if self._dense is not None:
            A = -discount * self._dense
            A[np.diag_indices_from(A)] += 1.0
            return np.linalg.solve(A, b)
        return solve_linear(sp.identity(self.n, format="csr") - discount * self.P, b)


def solve_linear(A: sp.spmatrix, b: np.ndarray) -> np.ndarray:
    """``A^-1 b`` by dense LU for small systems, sparse LU otherwise."""
    if A.shape[0] <= DENSE_LIMIT:
        return np.linalg.solve(A.toarray(), b)
    return spla.splu(sp.csc_matrix(A)).solve(b)
