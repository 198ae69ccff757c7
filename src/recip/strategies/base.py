"""Strategies as finite automata, and what every strategy declares about itself.

A strategy compiles, for a given game and player, to an :class:`Automaton`: a finite set of
memories, an initial memory, an action rule ``policy[m, s, a]`` (the chance of intending action
``a`` in world state ``s`` with memory ``m``) and a deterministic update rule
``update[m, s, j]`` (the next memory after joint action ``j`` was observed in state ``s``). Both
engines work on these tables only; no strategy code runs per round.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from ..core.automaton import Automaton
from ..core.errors import ScenarioError, suggest
from ..core.limits import MAX_MEMORIES, MAX_TABLE_ENTRIES


@dataclass(frozen=True)
class Parameter:
    """A strategy parameter: its default, its valid range and what it means."""

    name: str
    default: Any
    doc: str
    kind: str = "float"  # float | int | choice | probabilities
    low: float | None = None
    high: float | None = None
    choices: tuple[Any, ...] = ()
    length: int | None = None

    def check(self, value: Any, key: str) -> Any:
        if self.kind == "choice":
            if value not in self.choices:
                raise ScenarioError(
                    f"'{self.name}' must be one of {', '.join(map(repr, self.choices))}, "
                    f"not {value!r}",
                    key=key,
                )
            return value
        if self.kind == "probabilities":
            if not isinstance(value, list | tuple) or len(value) != self.length:
                raise ScenarioError(
                    f"'{self.name}' must be a list of {self.length} probabilities, not {value!r}",
                    key=key,
                )
            return tuple(self._number(v, key, 0.0, 1.0) for v in value)
        number = self._number(value, key, self.low, self.high)
        if self.kind == "int":
            if number != int(number):
                raise ScenarioError(f"'{self.name}' must be a whole number", key=key)
            return int(number)
        return number

    def _number(self, value: Any, key: str, low, high) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ScenarioError(f"'{self.name}' must be a number, not {value!r}", key=key)
        value = float(value)
        if not np.isfinite(value):
            raise ScenarioError(f"'{self.name}' must be a finite number", key=key)
        if (low is not None and value < low) or (high is not None and value > high):
            lo = "-inf" if low is None else f"{low:g}"
            hi = "inf" if high is None else f"{high:g}"
            raise ScenarioError(f"'{self.name}' must be in [{lo}, {hi}], not {value:g}", key=key)
        return value

    def range_text(self) -> str:
        """The valid values, in words (empty when the description says it)."""
        if self.kind == "choice":
            return " | ".join(map(str, self.choices))
        if self.kind == "probabilities":
            return f"{self.length} probabilities"
        if self.kind == "any":
            return ""
        lo = "-inf" if self.low is None else f"{self.low:g}"
        hi = "inf" if self.high is None else f"{self.high:g}"
        return f"[{lo}, {hi}]"

    def describe(self) -> str:
        rng = self.range_text()
        return f"{self.name} = {self.default!r}  {f'({rng}) ' if rng else ''}{self.doc}"


class Strategy:
    """Base class of the strategy library.

    Subclasses set ``name``, ``summary`` (one sentence), ``source`` (the literature),
    ``parameters`` and ``metadata`` (``memory``: what it remembers; ``stochastic``; ``games``:
    ``"any"`` or ``"2x2"``), and implement :meth:`compile`.
    """

    name: ClassVar[str]
    summary: ClassVar[str]
    source: ClassVar[str]
    parameters: ClassVar[tuple[Parameter, ...]] = ()
    metadata: ClassVar[dict[str, Any]] = {}
    #: Parameters a stated condition always shows, even at their default (they drive verdicts).
    key_parameters: ClassVar[tuple[str, ...]] = ()
    #: Whether the compiled tables depend on the payoffs (then a new payoff vector needs a new
    #: compilation and a new chain; otherwise payoffs change the values only).
    reads_payoffs: ClassVar[bool] = False

    def __init__(self, *, key: str | None = None, **params: Any):
        known = {p.name: p for p in self.parameters}
        values = {}
        for pname, value in params.items():
            if pname not in known:
                raise ScenarioError(
                    f"strategy '{self.name}' has no parameter '{pname}'; "
                    f"{suggest(pname, list(known))}",
                    key=key,
                )
            values[pname] = known[pname].check(value, key=f"{key}.{pname}" if key else pname)
        self.params = {p.name: values.get(p.name, p.default) for p in self.parameters}
        self.key = key
        self._validate()

    def _validate(self) -> None:
        """Cross-parameter checks (none by default)."""

    @property
    def label(self) -> str:
        """Short display name, with the parameters that differ from their defaults."""
        changed = [
            f"{p.name}={_fmt(self.params[p.name])}"
            for p in self.parameters
            if self.params[p.name] != p.default
        ]
        return f"{self.name}({', '.join(changed)})" if changed else self.name

    @property
    def stated_label(self) -> str:
        """The label with the :attr:`key_parameters` shown even at their default, for sentences
        that state the conditions of a result (``aligning(tolerance=0)``)."""
        label = self.label
        extra = [
            f"{name}={_fmt(self.params[name])}"
            for name in self.key_parameters
            if name in self.params and f"{name}=" not in label
        ]
        if not extra:
            return label
        if label.endswith(")"):
            return f"{label[:-1]}, {', '.join(extra)})"
        return f"{label}({', '.join(extra)})"

    @property
    def identity(self) -> tuple[str, str]:
        """What determines the compiled tables (for caches): the class and the parameters."""
        return (type(self).__name__, repr(self.params))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{type(self).__name__}({args})"

    def compile(self, game, player: int) -> Automaton:
        raise NotImplementedError  # every concrete strategy overrides this

    @classmethod
    def describe(cls) -> dict[str, Any]:
        return {
            "name": cls.name,
            "summary": cls.summary,
            "source": cls.source,
            "parameters": [
                {
                    "name": p.name,
                    "default": p.default,
                    "doc": p.doc,
                    "range": p.range_text(),
                    "text": p.describe(),
                }
                for p in cls.parameters
            ],
            "metadata": dict(cls.metadata),
        }


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, tuple):
        return "[" + ",".join(_fmt(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}={_fmt(x)}" for k, x in v.items()) + "}"
    return str(v)


@dataclass
class TableBuilder:
    """Helpers shared by strategy compilers."""

    game: Any
    player: int
    labels: list[str] = field(default_factory=list)

    def check(self, n_memories: int) -> None:
        """Refuse a strategy whose tables would exceed recip's limits (before allocating)."""
        g = self.game
        entries = n_memories * g.n_states * g.max_joint
        if n_memories > MAX_MEMORIES or entries > MAX_TABLE_ENTRIES:
            raise ScenarioError(
                f"this strategy needs {n_memories} memories ({entries} table entries) in this "
                f"game; recip's limits are {MAX_MEMORIES} memories and {MAX_TABLE_ENTRIES} "
                "entries",
            )

    def empty(self, n_memories: int) -> tuple[np.ndarray, np.ndarray]:
        g = self.game
        self.check(n_memories)
        policy = np.zeros((n_memories, g.n_states, g.max_actions))
        policy[:, ~g.acts[:, self.player], 0] = 1.0  # passing: the one 'pass' action
        update = np.broadcast_to(
            np.arange(n_memories, dtype=np.int32)[:, None, None],
            (n_memories, g.n_states, g.max_joint),
        ).copy()
        return policy, update


def most_neutral(stances: np.ndarray) -> np.ndarray:
    """Order key of actions (rows of ``stances``): how far from neutral each is."""
    return np.abs(stances).sum(axis=-1)


def pick(scores: np.ndarray, stances: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """Index of the best action along the last axis of ``scores``: the highest score; ties go to
    the more neutral action (smallest total |stance|), then to the friendlier one (largest total
    stance), then to the first listed.

    ``stances`` has shape ``(A, n_others)``; ``scores`` shape ``(..., A)``.
    """
    neutrality = np.abs(stances).sum(axis=-1).astype(float)
    friendliness = stances.sum(axis=-1).astype(float)
    best = scores >= scores.max(axis=-1, keepdims=True) - tol
    for key in (-neutrality, friendliness):
        masked = np.where(best, key, -np.inf)
        best &= masked >= masked.max(axis=-1, keepdims=True)
    return best.argmax(axis=-1)


def reachable_part(automaton: Automaton, game) -> Automaton:
    """``automaton`` restricted to the memories its initial memory can reach under any joint
    action of any world state (so every history, scripted or played, stays inside), numbered in
    their original order (which keeps every joint-memory order, and so every number, the
    same)."""
    M = automaton.n_memories
    if M == 1:
        return automaton
    valid = np.arange(game.max_joint)[None, :] < game.n_joint[:, None]  # (S, J)
    reached = np.zeros(M, dtype=bool)
    reached[automaton.initial] = True
    frontier = np.array([automaton.initial])
    while frontier.size:
        nxt = np.unique(automaton.update[frontier][:, valid])
        frontier = nxt[~reached[nxt]]
        reached[frontier] = True
    if reached.all():
        return automaton
    keep = np.flatnonzero(reached)
    number = np.full(M, -1, dtype=np.int64)
    number[keep] = np.arange(keep.size)
    update = number[automaton.update[keep]].astype(automaton.update.dtype)
    # padding entries (beyond a state's joint actions) point at the memory itself
    update[:, ~valid] = np.arange(keep.size, dtype=update.dtype)[:, None]
    return Automaton(
        automaton.policy[keep],
        update,
        int(number[automaton.initial]),
        tuple(automaton.memory_labels[k] for k in keep),
        automaton.label,
    )
