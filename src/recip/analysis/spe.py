"""Subgame perfection of a profile of automata, by the one-shot deviation principle.

A subgame of the repeated game starts after any history and any draw of the world state. Every
player's continuation strategy depends on that history only through its automaton's memory, so a
subgame is a *situation* ``(s, m)``: a world state and a joint memory. The situations that some
history can produce are the closure of the start situations under *every* joint action (not just
the ones the profile plays with positive probability) and every move of nature: off the path of
play as well as on it.

Values are per round (normalised by ``1 - delta``). For the profile, ``V = (1 - delta) r +
delta P V`` on the closure, where ``r`` and ``P`` are the expected round payoffs and transitions
with execution noise. Player ``i`` *intending* action ``a`` in situation ``k`` (noise still
applies to what it intends) and then following the profile earns

    Q_i(k, a) = (1 - delta) rho_i(k, a) + delta sum_k' T_i(k, a, k') V_i(k'),

and the one-shot gain of that deviation is ``Q_i(k, a) - V_i(k)`` (per round; divide by
``1 - delta`` for the gain in total discounted payoff). By the one-shot deviation principle
[Blackwell1965; Fudenberg-Tirole1991, thm 4.2] the profile is a subgame perfect equilibrium iff no
gain is positive anywhere in the closure. For a player that mixes, ``V_i(k)`` is the mixture's
value, so a mixture whose support actions are not all optimal shows up as a profitable deviation
to its best support action.

Nash equilibrium needs less: no strategy at all (not only one-shot deviations) may improve a
player's value from the start. Against the others' automata a player faces a finite Markov
decision problem over the same closure; policy iteration solves it exactly, and the difference
between its optimal value and the profile's value at the start is the player's *Nash gain*.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.sparse.csgraph import breadth_first_order

from ..engine.chain import MAX_CHAIN_STATES, noisy_policy, start_memories
from ..engine.exact import DENSE_LIMIT
from ..errors import AnalysisError, ScenarioError
from .evaluate import compile_profile, resolve_profile

#: Largest number of stored deviation transitions (situations x actions x joint actions x next
#: world states, over players) the check builds.
MAX_DEVIATION_ENTRIES = 40_000_000
#: Largest closure for which repeated solves (many discount factors) use a Schur factorisation.
SCHUR_LIMIT = 600
#: Most violations a result lists (the count and the largest gains are always exact).
MAX_LISTED = 100


class Resolvent:
    """Solves ``(I - delta P) x = b`` for one matrix ``P`` and many discount factors.

    With ``many=True`` and a small ``P``, one complex Schur factorisation ``P = Z T Z^H`` turns
    every later solve into a triangular one: ``x = Z (I - delta T)^-1 Z^H b`` (backward stable, as
    ``Z`` is unitary). Otherwise each call factorises ``I - delta P`` (dense or sparse LU).
    """

    def __init__(self, P: sp.spmatrix, *, many: bool = False):
        self.P = sp.csr_matrix(P)
        self.n = self.P.shape[0]
        self._schur = None
        if many and self.n <= SCHUR_LIMIT:
            T, Z = sla.schur(self.P.toarray(), output="complex")
            self._schur = (T, Z, Z.conj().T)

    def __call__(self, discount: float, b: np.ndarray) -> np.ndarray:
        if self._schur is not None:
            T, Z, ZH = self._schur
            A = -discount * T
            A[np.diag_indices_from(A)] += 1.0
            y = sla.solve_triangular(A, ZH @ b, lower=False, check_finite=False)
            return (Z @ y).real
        return solve_linear(sp.identity(self.n, format="csr") - discount * self.P, b)


def solve_linear(A: sp.spmatrix, b: np.ndarray) -> np.ndarray:
    """``A^-1 b`` by dense LU for small systems, sparse LU otherwise."""
    if A.shape[0] <= DENSE_LIMIT:
        return np.linalg.solve(A.toarray(), b)
    return spla.splu(sp.csc_matrix(A)).solve(b)


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
        """``Q[i, k, a] - V[k, i]`` on deviations, ``-inf`` elsewhere."""
        q = self.action_values(discount, values) - values.T[:, :, None]
        return np.where(self.deviations, q, -np.inf)

    def largest_gain(self, discount: float, solver: Resolvent | None = None) -> float:
        """The largest one-shot gain over every situation, player and deviation (``-inf`` when
        nobody ever has a choice). The profile is subgame perfect iff it is ``<= 0``."""
        return float(self.gains(discount, self.values(discount, solver)).max(initial=-np.inf))

    def best_response_values(self, discount: float, values: np.ndarray) -> np.ndarray:
        """``W[k, i]``: player ``i``'s optimal value against the others' automata, by policy
        iteration (exact in finitely many steps), started from the greedy improvement of the
        profile."""
        N, A = self.size, self.width
        rows = np.arange(N)
        out = np.empty((N, len(self.automata)))
        scale = 1.0 + float(np.abs(self.stage[np.isfinite(self.stage)]).max(initial=0.0))
        for i, T in enumerate(self.moves):
            W = values[:, i]
            choice = None
            for _ in range(10 * N + 10):
                q = (1.0 - discount) * self.stage[i] + discount * (T @ W).reshape(N, A)
                q = np.where(self.valid[i], q, -np.inf)
                best = q.argmax(axis=1)
                if choice is not None:
                    keep = q[rows, choice] >= q[rows, best] - 1e-13 * scale
                    best = np.where(keep, choice, best)
                    if np.array_equal(best, choice):
                        break
                choice = best
                Tc = T[rows * A + choice]
                system = sp.identity(N, format="csr") - discount * Tc
                W = solve_linear(system, (1.0 - discount) * self.stage[i][rows, choice])
            else:  # pragma: no cover - policy iteration terminates on finite problems
                raise AnalysisError("policy iteration did not converge")
            out[:, i] = np.maximum(W, values[:, i])
        return out


def _radix(sizes: np.ndarray) -> np.ndarray:
    radix = np.ones(len(sizes), dtype=np.int64)
    for i in range(len(sizes) - 2, -1, -1):
        radix[i] = radix[i + 1] * sizes[i + 1]
    return radix


def _next_codes(game, automata, radix, mem: np.ndarray, s: int) -> np.ndarray:
    J = int(game.n_joint[s])
    code = np.zeros((len(mem), J), dtype=np.int64)
    for i, a in enumerate(automata):
        code += a.update[mem[:, i], s, :J].astype(np.int64) * radix[i]
    return code


def deviation_model(game, automata, noise, *, max_states: int = MAX_CHAIN_STATES) -> DeviationModel:
    """Build the :class:`DeviationModel` of compiled ``automata`` (one per player) in ``game``
    with execution-noise rates ``noise``.

    The closure is explored breadth first from the start situations (after any scripted
    history); :class:`ScenarioError` is raised, before anything large is allocated, when it would
    exceed ``max_states`` situations or :data:`MAX_DEVIATION_ENTRIES` stored transitions.
    """
    n, S = game.n_players, game.n_states
    sizes = np.array([a.n_memories for a in automata], dtype=np.int64)
    if float(np.prod(sizes.astype(float))) * S >= 2.0**62:
        raise ScenarioError(
            "the joint memory space of this profile is too large to check exactly; use "
            "strategies with fewer memories"
        )
    radix = _radix(sizes)
    span = int(np.prod(sizes))
    Q = game.transition
    mem0 = np.array(start_memories(game, automata), dtype=np.int64)
    code0 = int((mem0 * radix).sum())
    start_states = np.flatnonzero(game.start > 0)
    keys = np.sort(start_states * span + code0)
    frontier = keys
    while frontier.size:
        world = frontier // span
        mem = (frontier[:, None] // radix) % sizes
        found = []
        for s in np.unique(world):
            codes = np.unique(_next_codes(game, automata, radix, mem[world == s], int(s)))
            found += [t * span + codes for t in np.flatnonzero(Q[s] > 0)]
        new = np.setdiff1d(np.unique(np.concatenate(found)), keys, assume_unique=True)
        if keys.size + new.size > max_states:
            raise ScenarioError(
                f"more than {max_states} situations (world state, joint memory) can be reached "
                "by some sequence of actions (recip's limit for the subgame-perfection check); "
                "use strategies with fewer memories"
            )
        keys = np.union1d(keys, new)
        frontier = new

    N = keys.size
    world = keys // span
    memories = (keys[:, None] // radix) % sizes
    A = game.max_actions
    entries = sum(
        int((world == s).sum()) * int(game.n_joint[s]) * int((Q[s] > 0).sum())
        for s in range(S)
    ) * int(game.n_actions.max(initial=1)) * (n + 1)
    if entries > MAX_DEVIATION_ENTRIES:
        raise ScenarioError(
            f"checking every one-shot deviation needs about {entries} transitions (recip's "
            f"limit is {MAX_DEVIATION_ENTRIES}); use strategies with fewer memories"
        )
    eff = [noisy_policy(a.policy, game.n_actions[:, i], float(noise[i])) for i, a in
           enumerate(automata)]
    reward = np.zeros((N, n))
    stage = np.zeros((n, N, A))
    policy = np.zeros((n, N, A))
    valid = np.zeros((n, N, A), dtype=bool)
    chain_parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    move_parts: list[list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = [[] for _ in range(n)]

    def scatter(rows, prob, code, s, out):
        """Rows ``rows`` (one per situation x option), next-situation chances ``prob`` over the
        joint actions with next memory codes ``code``: append (row, col, value) triplets."""
        r_idx, j_idx = np.nonzero(prob > 0)
        for t in np.flatnonzero(Q[s] > 0):
            cols = np.searchsorted(keys, t * span + code[r_idx, j_idx])
            out.append((rows[r_idx], cols, prob[r_idx, j_idx] * Q[s, t]))

    for s in range(S):
        idx = np.flatnonzero(world == s)
        if not idx.size:
            continue
        J = int(game.n_joint[s])
        ja = game.joint_actions[s, :J]
        mem = memories[idx]
        code = _next_codes(game, automata, radix, mem, s)
        part = [eff[i][mem[:, i], s][:, ja[:, i]] for i in range(n)]  # (k, J) each
        prob = np.prod(part, axis=0)
        reward[idx] = prob @ game.payoffs[s, :J]
        scatter(idx, prob, code, s, chain_parts)
        for i in range(n):
            k_i = int(game.n_actions[s, i])
            others = np.prod([part[l] for l in range(n) if l != i], axis=0) if n > 1 else (
                np.ones_like(prob))
            eps = float(noise[i]) if k_i > 1 else 0.0
            own = np.full((k_i, k_i), eps / max(k_i - 1, 1))
            np.fill_diagonal(own, 1.0 - eps)
            p_a = others[:, None, :] * own[:, ja[:, i]][None, :, :]  # (k, a, J)
            stage[i, idx, :k_i] = p_a @ game.payoffs[s, :J, i]
            policy[i, idx, :k_i] = automata[i].policy[mem[:, i], s, :k_i]
            valid[i, idx, :k_i] = True
            rows = (idx[:, None] * A + np.arange(k_i)[None, :]).reshape(-1)
            scatter(rows, p_a.reshape(-1, J), np.repeat(code, k_i, axis=0), s, move_parts[i])

    def assemble(parts, shape):
        if not parts:
            return sp.csr_matrix(shape)
        r, c, v = (np.concatenate(x) for x in zip(*parts, strict=True))
        return sp.csr_matrix((v, (r, c)), shape=shape)

    P = assemble(chain_parts, (N, N))
    moves = tuple(assemble(parts, (N * A, N)) for parts in move_parts)
    start = np.zeros(N)
    start[np.searchsorted(keys, start_states * span + code0)] = game.start[start_states]
    on_path = np.zeros(N, dtype=bool)
    for k in np.flatnonzero(start > 0):
        on_path[breadth_first_order(P, int(k), directed=True, return_predecessors=False)] = True
    return DeviationModel(
        game, tuple(automata), tuple(float(x) for x in noise), world, memories, start, P,
        reward, stage, policy, valid, moves, on_path,
    )


def profile_model(scenario, profile=None, *, max_states: int = MAX_CHAIN_STATES):
    """The strategies of ``profile`` (completed from the scenario) and their
    :class:`DeviationModel`."""
    strategies = resolve_profile(scenario, profile)
    automata = compile_profile(scenario, strategies)
    noise = [scenario.spec.noise[p] for p in scenario.spec.players]
    try:
        model = deviation_model(scenario.game, automata, noise, max_states=max_states)
    except ScenarioError as exc:
        raise exc.located(scenario.source) from None
    return strategies, model


def check_discount(scenario, discount: float | None) -> float:
    """The discount factor to check at: ``discount``, else the scenario's (an infinitely repeated
    game is needed: a scenario with a finite number of rounds must be given one explicitly)."""
    if discount is None:
        if scenario.spec.rounds is not None:
            raise ScenarioError(
                f"subgame perfection is checked in the infinitely repeated game, but this "
                f"scenario has a finite horizon ({scenario.spec.rounds} rounds); pass a discount "
                "factor (the chance of another round) explicitly",
                file=scenario.source,
                key="horizon.rounds",
            )
        discount = scenario.spec.discount
    if isinstance(discount, bool) or not isinstance(discount, int | float) or not (
        0.0 <= float(discount) < 1.0
    ):
        raise ScenarioError(
            f"the discount factor must be a number in [0, 1), not {discount!r}",
            file=scenario.source,
            key="horizon.discount",
        )
    return float(discount)


@dataclass(frozen=True)
class Violation:
    """A profitable one-shot deviation: in world ``state`` with these ``memories`` (player ->
    memory label), ``player`` intending ``deviation`` instead of what the profile plays
    (``profile_action``) gains ``gain`` per round."""

    state: str
    memories: dict[str, str]
    player: str
    deviation: str
    profile_action: str
    gain: float
    on_path: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "memories": dict(self.memories),
            "player": self.player,
            "deviation": self.deviation,
            "profile_action": self.profile_action,
            "gain": self.gain,
            "on_path": self.on_path,
        }


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


@dataclass(frozen=True, eq=False)
class SubgamePerfection:
    """Result of :func:`is_subgame_perfect`; true in a boolean context iff the profile is a
    subgame perfect equilibrium (no one-shot gain above ``tol``).

    Gains are per round, like every value in recip (multiply by ``1 / (1 - discount)`` for total
    discounted payoff). ``max_gain`` is the largest one-shot gain over every situation (negative:
    every deviation loses at least that much; ``-inf``: nobody ever has a choice);
    ``violations`` lists the profitable deviations, largest first (at most ``MAX_LISTED``;
    ``n_violations`` counts them all). ``nash_gains[i]`` is what player ``i`` could gain from the
    start with its best strategy against the others' automata: the profile is a Nash equilibrium
    iff every one is within ``tol``.
    """

    players: tuple[str, ...]
    profile: tuple[str, ...]
    discount: float
    noise: tuple[float, ...]
    tol: float
    max_gain: float
    max_gain_on_path: float
    max_gain_off_path: float
    n_situations: int
    n_on_path: int
    n_violations: int
    violations: tuple[Violation, ...]
    nash_gains: tuple[float, ...]
    history: int = 0

    @property
    def subgame_perfect(self) -> bool:
        return bool(self.max_gain <= self.tol)

    @property
    def nash(self) -> bool:
        return all(g <= self.tol for g in self.nash_gains)

    def __bool__(self) -> bool:
        return self.subgame_perfect

    def __repr__(self) -> str:
        verdict = "subgame perfect" if self else f"not subgame perfect (gain {self.max_gain:.4g})"
        return f"SubgamePerfection({verdict} at discount {self.discount:g})"

    @property
    def conditions(self) -> str:
        bits = [f"discount factor {self.discount:g} (infinitely repeated)"]
        noisy = {p: x for p, x in zip(self.players, self.noise, strict=True) if x > 0}
        if not noisy:
            bits.append("no execution noise")
        elif len(set(noisy.values())) == 1 and len(noisy) == len(self.players):
            bits.append(f"execution noise {next(iter(noisy.values())):g}")
        else:
            bits.append("execution noise " + ", ".join(f"{p} {x:g}" for p, x in noisy.items()))
        if self.history:
            bits.append(f"after {self.history} scripted rounds of history")
        return "; ".join(bits)

    def to_dict(self) -> dict[str, Any]:
        return {
            "subgame_perfect": self.subgame_perfect,
            "nash": self.nash,
            "profile": dict(zip(self.players, self.profile, strict=True)),
            "discount": self.discount,
            "noise": dict(zip(self.players, self.noise, strict=True)),
            "tolerance": self.tol,
            "units": "per round: (1 - discount) x total discounted payoff",
            "max_gain": _finite(self.max_gain),
            "max_gain_on_path": _finite(self.max_gain_on_path),
            "max_gain_off_path": _finite(self.max_gain_off_path),
            "situations": self.n_situations,
            "situations_on_path": self.n_on_path,
            "violations_count": self.n_violations,
            "violations": [v.to_dict() for v in self.violations],
            "nash_gains": dict(zip(self.players, self.nash_gains, strict=True)),
        }


def format_subgame_perfection(result: SubgamePerfection, *, limit: int = 10) -> str:
    """The check as text for the command line: verdict, conditions, the largest violations."""
    profile = ", ".join(f"{p} plays {s}" for p, s in zip(result.players, result.profile,
                                                           strict=True))
    lines = [f"Profile: {profile}.", f"Conditions: {result.conditions}."]
    where = (
        f"{result.n_situations} situations (world state, memories) reachable by some sequence "
        f"of actions, {result.n_on_path} of them on the path of play"
    )
    if result.subgame_perfect:
        if np.isfinite(result.max_gain):
            margin = f"every one-shot deviation changes the deviator's value by at most " \
                     f"{result.max_gain:+.4g} per round"
        else:
            margin = "no player ever has a choice"
        lines.append(f"Subgame perfect: {margin}, in all {where}.")
    else:
        lines.append(
            f"Not subgame perfect: {result.n_violations} profitable one-shot deviation(s) in the "
            f"{where}; the largest gains {result.max_gain:.4g} per round "
            f"(on the path: {_gain_text(result.max_gain_on_path)}; off it: "
            f"{_gain_text(result.max_gain_off_path)})."
        )
        for v in result.violations[:limit]:
            mems = ", ".join(f"{p} remembers {m}" for p, m in v.memories.items())
            path = "on the path" if v.on_path else "off the path"
            lines.append(
                f"  - in {v.state} ({mems}; {path}): {v.player} gains {v.gain:.4g} by "
                f"{v.deviation} instead of {v.profile_action}"
            )
        if result.n_violations > min(limit, len(result.violations)):
            lines.append(f"  ... and {result.n_violations - min(limit, len(result.violations))}"
                         " more")
    if result.nash:
        lines.append("Nash equilibrium: no player can gain from the start by any strategy.")
    else:
        better = ", ".join(
            f"{p} by {g:.4g}" for p, g in zip(result.players, result.nash_gains, strict=True)
            if g > result.tol
        )
        lines.append(f"Not a Nash equilibrium: a best response gains {better} per round.")
    lines.append(
        f"Gains are per round (x 1/(1 - discount) for total discounted payoff); tolerance "
        f"{result.tol:g}."
    )
    return "\n".join(lines)


def _gain_text(x: float) -> str:
    return f"{x:.4g}" if np.isfinite(x) else "no choices"


def _action_text(game, i: int, s: int, probs: np.ndarray) -> str:
    names = game.actions[s][i]
    support = np.flatnonzero(probs > 0)
    if len(support) == 1:
        return names[support[0]]
    return "mixing " + ", ".join(f"{names[a]} {probs[a]:.3g}" for a in support)


def is_subgame_perfect(
    scenario,
    profile=None,
    *,
    discount: float | None = None,
    tol: float = 1e-9,
    max_states: int = MAX_CHAIN_STATES,
) -> SubgamePerfection:
    """Check whether a profile of automata is a subgame perfect equilibrium of the infinitely
    repeated game, by the one-shot deviation principle over every situation (world state, joint
    memory) that any sequence of actions can reach, on and off the path of play.

    For every such situation ``k``, player ``i`` and action ``a``, the one-shot gain is
    ``Q_i(k, a) - V_i(k)`` with ``V = (1 - delta)(I - delta P)^-1 r`` the profile's per-round
    values and ``Q_i(k, a) = (1 - delta) rho_i(k, a) + delta T_i(k, a) V_i`` the value of
    intending ``a`` once and then following the profile (execution noise as in the scenario).
    The profile is subgame perfect iff no gain exceeds ``tol``. Also computed: each player's
    Nash gain (its best response's value from the start, by policy iteration, minus the
    profile's).

    Parameters
    ----------
    scenario:
        A :class:`recip.Scenario`.
    profile:
        Player -> strategy; players left out play the scenario's ``[strategies]``.
    discount:
        The discount factor (continuation probability) in ``[0, 1)``; default the scenario's.
    tol:
        Gains up to ``tol`` (per round) count as ties.
    max_states:
        Limit on the number of situations (raises :class:`recip.ScenarioError` beyond it).

    Returns
    -------
    SubgamePerfection
        True in a boolean context iff subgame perfect; lists the violations (world state,
        memories, player, deviation, gain, on or off the path), the largest gains on and off
        the path, and the Nash gains.

    >>> from recip import load_scenario
    >>> grim = {"memories": {
    ...     "trust": {"play": "cooperate", "next": [{"when": {"row": "defect"}, "to": "punish"},
    ...                                             {"when": {"col": "defect"}, "to": "punish"}]},
    ...     "punish": {"play": "defect"}}}
    >>> pd = load_scenario("prisoners-dilemma").with_overrides(
    ...     {"noise.execution": 0.0, "automata": {"grim": grim}})
    >>> bool(is_subgame_perfect(pd, {"row": "grim", "col": "grim"}, discount=0.6))  # >= 1/2
    True
    >>> bool(is_subgame_perfect(pd, {"row": "grim", "col": "grim"}, discount=0.4))
    False
    """
    discount = check_discount(scenario, discount)
    if isinstance(tol, bool) or not isinstance(tol, int | float) or not tol >= 0:
        raise ScenarioError(f"the tolerance must be a number >= 0, not {tol!r}", key="tol")
    strategies, model = profile_model(scenario, profile, max_states=max_states)
    values = model.values(discount)
    gains = model.gains(discount, values)
    best = model.best_response_values(discount, values)
    nash_gains = tuple(float(g) for g in model.start @ (best - values))
    return summarise(scenario, strategies, model, gains, discount, float(tol), nash_gains)


def summarise(scenario, strategies, model: DeviationModel, gains: np.ndarray, discount: float,
              tol: float, nash_gains: tuple[float, ...]) -> SubgamePerfection:
    """Package the gains of :meth:`DeviationModel.gains` as a :class:`SubgamePerfection`."""
    game = model.game
    per_situation = gains.max(axis=(0, 2), initial=-np.inf)
    on = model.on_path
    i_idx, k_idx, a_idx = np.nonzero(gains > tol)
    order = np.argsort(-gains[i_idx, k_idx, a_idx], kind="stable")[:MAX_LISTED]
    shown = [p for p, a in zip(game.players, model.automata, strict=True) if a.n_memories > 1]
    violations = []
    for o in order:
        i, k, a = int(i_idx[o]), int(k_idx[o]), int(a_idx[o])
        s = int(model.world[k])
        violations.append(
            Violation(
                state=game.states[s],
                memories={
                    p: model.automata[game.player_index(p)].memory_labels[
                        model.memories[k, game.player_index(p)]
                    ]
                    for p in shown
                },
                player=game.players[i],
                deviation=game.actions[s][i][a],
                profile_action=_action_text(game, i, s, model.policy[i, k]),
                gain=float(gains[i, k, a]),
                on_path=bool(on[k]),
            )
        )
    return SubgamePerfection(
        players=game.players,
        profile=tuple(s.label for s in strategies),
        discount=discount,
        noise=model.noise,
        tol=tol,
        max_gain=float(per_situation.max(initial=-np.inf)),
        max_gain_on_path=float(per_situation[on].max(initial=-np.inf)),
        max_gain_off_path=float(per_situation[~on].max(initial=-np.inf)),
        n_situations=model.size,
        n_on_path=int(on.sum()),
        n_violations=int(len(i_idx)),
        violations=tuple(violations),
        nash_gains=nash_gains,
        history=len(game.history),
    )
