"""One round of a profile of automata: execution noise, the chance of each joint action, and the
joint memory that follows it. This is the one copy of that step; the exact chain
(:mod:`recip.engine.chain`) and the closure of situations (:mod:`recip.engine.deviation`) read it.

In world state ``s``, with joint memory ``m``, player ``i`` intends action ``a`` with chance
``policy_i[m_i, s, a]``; execution noise replaces it by another of its ``k`` actions, uniformly,
with chance ``eps_i`` (:func:`noisy_policy`: ``eff_i``). Joint action ``j`` (player ``i`` playing
``a_i(j)``) is therefore realised with chance ``prod_i eff_i[m_i, s, a_i(j)]``, and every memory
moves to ``update_i[m_i, s, j]``.

**Nature as contexts.** A chain state is a *context* ``c`` and a joint memory. The context fixes
the law of the round's world state, ``weights[c, s]``; after a round in world state ``s`` the next
context is ``c'`` with chance ``successor[s, c']``. A Markov nature has one context per world state
(``weights = I``, ``successor = Q``); when the actions move nature (a stochastic game), the next
context depends on the joint action too: ``moves[s, j, c']``. When nature is i.i.d. (every row of
``Q`` is the same law ``q``), the world state carries no information about the future, so one
context, "a fresh draw from ``q``", is enough (:meth:`Nature.averaged`); the start distribution,
when it differs from ``q``, is a second context used by the first round only. The chain then has
(at most one more than) as many states as there are reachable joint memories, instead of that times
``S``.

**Keys.** A chain state is numbered by the mixed-radix code of its digits ``(c, m_0, ...,
m_{n-1})`` (:mod:`recip.core.radix`), cut into 64-bit words when the product of the sizes does not
fit one (:class:`Layout`): joint memories are indexed as they are reached, without any table over
the product space.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..core import radix

#: Largest size (entries, over players) of the kernel's tables by (memory, world state) rows.
ROW_TABLES = 4_000_000


def noisy_policy(policy: np.ndarray, n_actions: np.ndarray, eps: float) -> np.ndarray:
    """Chance of each realised action when the intended one (``policy``, shape (M, S, A)) is
    replaced by another of the state's ``n_actions[s]`` actions with chance ``eps``."""
    if eps == 0.0:
        return policy
    k = n_actions.astype(float)[None, :, None]
    valid = np.arange(policy.shape[2])[None, None, :] < n_actions[None, :, None]
    swapped = np.where(k > 1, eps * (1.0 - policy) / np.maximum(k - 1, 1), 0.0)
    keep = np.where(k > 1, 1.0 - eps, 1.0)
    return np.where(valid, keep * policy + swapped, 0.0)


def start_memories(game, automata) -> list[int]:
    """Every player's memory after the scenario's scripted history."""
    mem = [a.initial for a in automata]
    for s, j in game.history:
        mem = [int(a.update[m, s, j]) for a, m in zip(automata, mem, strict=True)]
    return mem


@dataclass(frozen=True, eq=False)
class Nature:
    """Nature's moves as contexts (see the module docstring): ``weights[c, s]``, the law of the
    round's world state in context ``c``; ``successor[s, c]``, the chance of context ``c`` after a
    round in world state ``s``; ``start[c]``, the first round's context."""

    weights: np.ndarray  # (C, S)
    successor: np.ndarray  # (S, C)
    start: np.ndarray  # (C,)
    averaged: bool
    #: (S, J, C): the chance of context ``c`` after world state ``s`` and joint action ``j``,
    #: when the actions move nature (a Markov nature only); else None and ``successor`` holds
    moves: np.ndarray | None = None

    @property
    def n_contexts(self) -> int:
        return self.weights.shape[0]

    @classmethod
    def markov(cls, game) -> Nature:
        """One context per world state: the chain over (world state, joint memory)."""
        S = game.n_states
        return cls(
            np.eye(S),
            np.asarray(game.transition, float),
            np.asarray(game.start),
            False,
            None if game.moves is None else np.asarray(game.moves, float),
        )

    def next_law(self, s: int, J: int) -> np.ndarray:
        """``(J, C)``: the chance of each next context after world state ``s`` and each of its
        ``J`` joint actions."""
        if self.moves is not None:
            return self.moves[s, :J]
        return np.broadcast_to(self.successor[s], (J, self.n_contexts))

    @classmethod
    def averaged_if_iid(cls, game) -> Nature:
        """:meth:`averaged` when nature is i.i.d. with more than one world state, else
        :meth:`markov`."""
        if game.iid:
            return cls.averaged(game)
        return cls.markov(game)

    @classmethod
    def averaged(cls, game) -> Nature:
        """An i.i.d. nature as one context (a fresh draw from ``q``), preceded by a first-round
        context drawn from ``start`` when that differs from ``q``."""
        q = np.asarray(game.transition[0], float)
        start = np.asarray(game.start, float)
        S = game.n_states
        if np.array_equal(start, q):
            return cls(q[None, :], np.ones((S, 1)), np.ones(1), True)
        successor = np.zeros((S, 2))
        successor[:, 1] = 1.0
        return cls(np.stack([start, q]), successor, np.array([1.0, 0.0]), True)


class Layout:
    """Keys of chain states: the digits ``(context, m_0, ..., m_{n-1})`` as mixed-radix words.

    :meth:`keys` turns words (shape ``(K, W)``) into one sortable array: ``int64`` codes when one
    word holds every digit (the usual case), else byte strings of the big-endian words, which
    sort as the numbers they spell.
    """

    def __init__(self, n_contexts: int, sizes) -> None:
        self.sizes = np.array([n_contexts, *np.asarray(sizes).tolist()], dtype=np.int64)
        self.cuts = radix.words(self.sizes)
        self.n_words = len(self.cuts)
        self.word = np.zeros(len(self.sizes), dtype=np.int64)
        self.place = np.ones(len(self.sizes), dtype=np.int64)
        for w, (a, b) in enumerate(self.cuts):
            self.word[a:b] = w
            self.place[a:b] = radix.places(self.sizes[a:b])
        #: How many codes the key space has (a Python integer): a dense table over it is
        #: possible when there is one word and this is small.
        self.span = radix.span(self.sizes)

    @property
    def single(self) -> bool:
        return self.n_words == 1

    def keys(self, words: np.ndarray) -> np.ndarray:
        """Sortable keys of rows of ``words`` (shape ``(K, W)``)."""
        if self.single:
            return np.ascontiguousarray(words[:, 0])
        return np.ascontiguousarray(words.astype(">i8")).view(f"V{8 * self.n_words}").ravel()

    def words_of(self, keys: np.ndarray) -> np.ndarray:
        if self.single:
            return keys[:, None]
        return keys.view(">i8").reshape(-1, self.n_words).astype(np.int64)

    def digits(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Contexts ``(K,)`` and joint memories ``(K, n)`` of ``keys``."""
        words = self.words_of(keys)
        out = np.empty((len(keys), len(self.sizes)), dtype=np.int64)
        for w, (a, b) in enumerate(self.cuts):
            out[:, a:b] = radix.decode(words[:, w], self.sizes[a:b])
        return out[:, 0], out[:, 1:]

    def start_words(self, contexts: np.ndarray, memory: np.ndarray) -> np.ndarray:
        """Words of the chain states ``(c, memory)`` for each context ``c``."""
        words = np.zeros((len(contexts), self.n_words), dtype=np.int64)
        for d, value in enumerate([0, *np.asarray(memory).tolist()]):
            words[:, self.word[d]] += int(value) * int(self.place[d])
        words[:, 0] += np.asarray(contexts, dtype=np.int64) * self.place[0]
        return words

    def with_contexts(self, contexts: np.ndarray, codes: np.ndarray) -> np.ndarray:
        """Keys of every (context, joint memory code) pair: ``contexts`` (T,) times ``codes``
        (K, W) memory words, context-major."""
        words = np.repeat(codes[None, :, :], len(contexts), axis=0)
        words[:, :, 0] += (np.asarray(contexts, dtype=np.int64) * self.place[0])[:, None]
        return self.keys(words.reshape(-1, self.n_words))


class Kernel:
    """The one-round transition of compiled ``automata`` in ``game`` under execution-noise rates
    ``noise``, with next joint memories coded by ``layout``."""

    def __init__(self, game, automata, noise, layout: Layout) -> None:
        # the tables below are read by (memory, world state) rows, gathered whole: far faster
        # than gathering single entries
        self.game = game
        self.automata = tuple(automata)
        self.layout = layout
        self.eff = [
            noisy_policy(a.policy, game.n_actions[:, i], float(noise[i]))
            for i, a in enumerate(automata)
        ]
        self.joint_actions = game.joint_actions
        #: whether some product of positive chances rounded to 0 (a transition the chain then
        #: lacks: harmless to discounted values, fatal to a long-run average's classes)
        self.underflow = False

    def factors(self, mem: np.ndarray, s: int) -> list[np.ndarray]:
        """For rows of joint memories ``mem`` (shape (k, n)) in world state ``s``: each player's
        chance of realising its part of each joint action (a (k, J) array per player)."""
        return [self._chance(i, mem[:, i], s) for i in range(len(self.eff))]

    def chances(self, factors: list[np.ndarray]) -> np.ndarray:
        """The chance of each joint action: the product of the players' factors, in order (into
        a C-ordered array: BLAS products of it then sum in one fixed order). Sets
        :attr:`underflow` when a product of positive chances rounds to 0."""
        probs = np.ones(factors[0].shape)
        for f in factors:
            probs *= f
        self._check_underflow(probs, factors)
        return probs

    def _check_underflow(self, probs: np.ndarray, factors: list[np.ndarray]) -> None:
        if not self.underflow and probs.size and not probs.all():
            possible = np.logical_and.reduce([f > 0 for f in factors])
            self.underflow = bool(np.any(possible & (probs == 0)))

    def next_codes(self, mem: np.ndarray, s: int) -> np.ndarray:
        """Memory words (shape (k, J, W), context digit 0) of the joint memory after each joint
        action of world state ``s`` from rows of joint memories ``mem``."""
        J = int(self.game.n_joint[s])
        code = np.zeros((len(mem), J, self.layout.n_words), dtype=np.int64)
        for i in range(len(self.automata)):
            code[:, :, int(self.layout.word[i + 1])] += self._code(i, mem[:, i], s)
        return code

    # -- rows paired with their own world state -----------------------------------------------

    def valid(self, states: np.ndarray) -> np.ndarray:
        """``(k, J)``: which of the padded joint-action slots are joint actions of each row's
        world state ``states[k]``."""
        return self._valid[states]

    def pair_chances(self, mem: np.ndarray, states: np.ndarray) -> np.ndarray:
        """:meth:`chances` for rows ``mem`` each in its own world state ``states[k]``: shape
        ``(k, max_joint)``, zero beyond a state's joint actions."""
        factors = [self._chance(i, mem[:, i], states) for i in range(len(self.eff))]
        probs = factors[0].copy()
        for f in factors[1:]:
            probs *= f
        self._check_underflow(probs, factors)
        return probs

    def pair_codes(self, mem: np.ndarray, states: np.ndarray) -> np.ndarray:
        """:meth:`next_codes` for rows ``mem`` each in its own world state: ``(k, max_joint,
        W)`` (padding slots hold some valid code)."""
        code = np.zeros((len(mem), self.game.max_joint, self.layout.n_words), dtype=np.int64)
        for i in range(len(self.automata)):
            code[:, :, int(self.layout.word[i + 1])] += self._code(i, mem[:, i], states)
        return code

    # -- the tables -----------------------------------------------------------------------------

    @cached_property
    def _valid(self) -> np.ndarray:
        return np.arange(self.game.max_joint)[None, :] < self.game.n_joint[:, None]  # (S, J)

    @cached_property
    def _by_rows(self) -> bool:
        """Whether every player's tables fit :data:`ROW_TABLES` entries as (memory, world
        state) rows of joint actions: rows are gathered whole, several times faster than
        single entries."""
        size = sum(a.n_memories for a in self.automata) * self.game.n_states
        return size * self.game.max_joint <= ROW_TABLES

    @cached_property
    def _chance_rows(self) -> list[np.ndarray]:
        """Per player, ``(M * S, J)``: its chance of playing its part of each joint action, by
        (memory, world state) row; 0 in padding."""
        S, J = self.game.n_states, self.game.max_joint
        out = []
        for i, eff in enumerate(self.eff):
            acts = np.where(self._valid, self.joint_actions[:, :, i], 0)  # (S, J)
            rows = eff[:, np.arange(S)[:, None], acts]  # (M, S, J)
            rows[:, ~self._valid] = 0.0
            out.append(rows.reshape(-1, J))
        return out

    @cached_property
    def _code_rows(self) -> list[np.ndarray]:
        """Per player, ``(M * S, J)``: its next memory times its place in the key."""
        J = self.game.max_joint
        return [
            (a.update.astype(np.int64) * self.layout.place[i + 1]).reshape(-1, J)
            for i, a in enumerate(self.automata)
        ]

    def _chance(self, i: int, mem: np.ndarray, s) -> np.ndarray:
        """Player ``i``'s factor for memories ``mem`` in world state ``s`` (an int: its joint
        actions; or one state per row: every padded slot, 0 beyond the state's)."""
        paired = not np.isscalar(s)
        if self._by_rows:
            rows = mem * self.game.n_states + s
            return (
                self._chance_rows[i][rows] if paired else self._chance_rows[i][rows, : self._J(s)]
            )
        if not paired:
            return self.eff[i][mem, s][:, self.joint_actions[s, : self._J(s), i]]
        valid = self._valid[s]
        acts = np.where(valid, self.joint_actions[s, :, i], 0)
        return np.where(valid, self.eff[i][mem[:, None], s[:, None], acts], 0.0)

    def _code(self, i: int, mem: np.ndarray, s) -> np.ndarray:
        """Player ``i``'s next memory times its place, for memories ``mem`` in state(s) ``s``."""
        paired = not np.isscalar(s)
        if self._by_rows:
            rows = mem * self.game.n_states + s
            return self._code_rows[i][rows] if paired else self._code_rows[i][rows, : self._J(s)]
        place = self.layout.place[i + 1]
        if not paired:
            return self.automata[i].update[mem, s, : self._J(s)].astype(np.int64) * place
        slots = np.arange(self.game.max_joint)[None, :]
        return self.automata[i].update[mem[:, None], s[:, None], slots].astype(np.int64) * place

    def _J(self, s: int) -> int:
        return int(self.game.n_joint[s])
