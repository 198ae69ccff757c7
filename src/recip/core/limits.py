"""recip's size limits, in one place.

Every limit guards an allocation or a running time that grows with the input; each is checked
*before* the work is done, from the size the work would have, and a request beyond it is refused
with a message saying what to reduce (:class:`~recip.core.errors.ScenarioError`, exit code 2).
``docs/scenario-format.md`` lists them with their numbers.
"""

from __future__ import annotations

#: Most replicates one simulation plays (each keeps one value per player: 8 bytes x players).
MAX_REPLICATES = 10_000_000
#: Most rounds one simulation plays.
MAX_SIMULATED_ROUNDS = 1_000_000
#: Most replicate-rounds one simulation plays (about a minute of work on one core).
MAX_SIMULATION_WORK = 2_000_000_000
#: Most rounds of an expected-payoff curve kept in a result (and written to results.json).
MAX_CURVE_ROUNDS = 1_000

# -- Equilibrium solvers (recip.games; issue 6): work estimated before it is started --------
#: Two players: most vertices either best-response polytope may have, by the upper bound
#: theorem (a d-polytope with h facets has at most C(h - ceil(d/2), floor(d/2)) +
#: C(h - floor(d/2) - 1, ceil(d/2) - 1) vertices), for vertex enumeration to start: 12x12 games
#: bound 24,752, 14x14 155,040, 16x16 980,628 (Qhull takes seconds there, and the actual counts
#: of random games are about a tenth of the bound). Beyond it, "auto" falls back to capped
#: Lemke-Howson and says the list is incomplete; method "vertex" is refused.
MAX_POLYTOPE_VERTICES = 200_000
#: Two players: most (vertex of P, vertex of Q) pairs compared one by one, which only vertices
#: with surplus labels (a degenerate game) need; about 3 s per 10 million on one core.
MAX_VERTEX_PAIRS = 20_000_000
#: Two players: most entries of the stacked square systems support enumeration solves (sum over
#: support sizes s of C(m, s) C(n, s) (s + 1)^2, times 8 bytes, twice).
MAX_SUPPORT_ENTRIES = 20_000_000
#: Two players: most Lemke-Howson pivots over all starting labels (a path can be exponentially
#: long; each pivot costs O(m n)).
MAX_LEMKE_HOWSON_PIVOTS = 100_000
