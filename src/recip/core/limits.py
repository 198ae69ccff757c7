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
