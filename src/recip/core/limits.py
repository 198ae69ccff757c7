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

# -- scenario files and the games they describe (checked by recip.scenario and recip.io) --------

#: Largest file recip reads as a scenario, claim map or ``.nfg`` game (bytes). Python's TOML
#: parser reads about 1-2 MB a second (measured on the 2-core machine of benchmarks/README.md),
#: so a file at the limit takes 10-15 s to parse. Larger games are built in Python
#: (``Scenario.from_dict``), where MAX_PAYOFF_ENTRIES is the limit.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: Deepest nesting of arrays and tables in a scenario (a payoff table nests one level per active
#: player, below ``tables.<state>.<player>``); deeper input is refused before it can exhaust
#: Python's recursion limit in the parser or the validator.
MAX_NESTING = 40
#: Most players in a scenario (stance tables grow with the square of the number of players).
MAX_PLAYERS = 100
#: Most world states: nature's transition matrix is dense, S x S floats (128 MiB at the limit).
MAX_WORLD_STATES = 4_096
#: Largest stance table: states x players x most actions of a player x players (int8 each).
MAX_STANCE_ENTRIES = 20_000_000
#: Largest number of joint actions in one world state (product of the active players' actions).
MAX_JOINT_ACTIONS = 65_536
#: Largest payoff tensor: states x the largest state's joint actions x players floats (8 bytes
#: each; every state is padded to the largest, as the engines index them).
MAX_PAYOFF_ENTRIES = 5_000_000
#: Largest table of next-state laws when actions move nature (``[[nature.after]]``): states x
#: the largest state's joint actions x states floats (8 bytes each).
MAX_MOVE_ENTRIES = 20_000_000
#: Most payoff writes when a game is built: the entries every payoff term covers (per paid
#: player) plus every table entry. Each write is one NumPy scatter-add (about 10 ns), and each
#: uncertain value keeps the indices it covers (8 bytes each).
MAX_PAYOFF_WRITES = 20_000_000
#: Largest magnitude of any payoff (after adding up every term and table entry that applies to
#: one player at one joint action of one state) and of any end of an uncertain value's range.
#: Integers up to it are exact in a float (2**53 is about 9.0e15), and everything recip computes
#: from payoffs stays far inside the float range: sums over 250,000 chain states or 1e7 replicates
#: (< 1e23), differences and the shifts of Nash solvers (< 1e16), and squares in variances
#: (< 1e31 each, < 1e38 summed).
MAX_ABS_PAYOFF = 1e15
#: Longest title (characters): one line at the top of every result and figure.
MAX_TITLE_CHARS = 200
#: Longest label (characters) of a player, state, memory or history round: labels head table
#: columns and figure legends.
MAX_LABEL_CHARS = 80
#: Longest free text (characters): descriptions, notes, claim summaries.
MAX_TEXT_CHARS = 20_000

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

# -- uncertainty (recip.questions.uncertainty; issue 7) -----------------------------------------
#: Most draws of an uncertainty analysis: each keeps its inputs and every player's value under
#: every policy (8 bytes each: 2,000,000 draws x 2 policies x 4 players x 8 B = 128 MB).
MAX_UNCERTAINTY_SAMPLES = 2_000_000

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

# -- Sensitivity (recip.questions.sensitivity; issue 7) -------------------------------------
#: Most points one sensitivity analysis evaluates: ``n (d + 2)`` for ``n`` base samples of ``d``
#: inputs. The design holds 8 d bytes a point, twice while it is built (about 200 MB for 12
#: inputs at the limit), and the values 8 bytes per policy and player a point; payoff points
#: cost well under a microsecond each, points that rebuild the scenario milliseconds.
MAX_SENSITIVITY_POINTS = 1_000_000

# -- sweeps (recip.questions.sweep; issue 7) ---------------------------------------------------
#: Most points of a sweep (the product of the grid's counts, or a design's samples). Each point
#: keeps its inputs and every player's value under every policy, and is one row of the CSV
#: (about 150 bytes, 2-3 us to format): 1,000,000 points of sindoor-2025 take 48 MB of values,
#: a 150 MB CSV and a few seconds to write it.
MAX_SWEEP_POINTS = 1_000_000
#: Most numbers in a sweep's table: points x (swept keys + policies x players + policies),
#: 8 bytes each in memory (160 MB at the limit), about 20 characters each in the CSV.
MAX_SWEEP_CELLS = 20_000_000
#: Most distinct combinations of structural values (strategy parameters, strategies, noise,
#: ...) in one sweep: each rebuilds and validates the scenario and builds its chains (about
#: 5-10 ms for sindoor-2025), so the limit is a few minutes of work on 2 cores.
MAX_SWEEP_STRUCTURES = 20_000
#: Points per checkpointed chunk of a sweep: by default the points are cut into about
#: SWEEP_CHUNKS chunks of SWEEP_CHUNK_MIN to MAX_CHUNK_POINTS points (a chunk is the work lost
#: to a kill, and one task of an executor); ``--chunk`` chooses another size in that range
#: (a chunk holds its points' inputs and values in one worker: 4096 points are < 1 MB).
SWEEP_CHUNKS = 100
SWEEP_CHUNK_MIN = 16
MAX_CHUNK_POINTS = 65_536
