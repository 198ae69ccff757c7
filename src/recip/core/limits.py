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

# -- strategies ---------------------------------------------------------------------------------

#: Most memories one compiled strategy may have.
MAX_MEMORIES = 100_000
#: Largest size (memories x states x joint actions) of one compiled update table (4 bytes each).
MAX_TABLE_ENTRIES = 20_000_000
#: Most (memory, set of forgiven partners, action) scores a generous ``aligning`` evaluates per
#: world state and in all (8 bytes each, in chunks; about ten seconds of work).
MAX_COMPILE_WORK = 100_000_000

# -- exact evaluation ---------------------------------------------------------------------------

#: Most reachable chain states (world state or its law, joint memory) of an exact evaluation.
MAX_CHAIN_STATES = 250_000
#: Most stored non-zero transition entries of that chain (16 bytes each).
MAX_TRANSITIONS = 10_000_000
#: Most (chain state, world state, joint action) triples examined while building a chain: the
#: work of an i.i.d. nature with many world states (a few seconds per 10 million).
MAX_CHAIN_WORK = 200_000_000
#: Most rounds of a finite horizon evaluated exactly (one step of the chain per round).
MAX_EXACT_ROUNDS = 1_000_000
#: Most rounds x (transition entries + chain states) of an exact finite horizon (a few seconds).
MAX_HORIZON_WORK = 2_000_000_000

# -- subgame perfection -------------------------------------------------------------------------

#: Most stored deviation transitions (situations x actions x joint actions x next world states,
#: over players) of the one-shot deviation check (16 bytes each).
MAX_DEVIATION_ENTRIES = 40_000_000
