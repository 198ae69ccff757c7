"""A strategy compiled for one player of one game: the tables both evaluators read.

A finite set of memories, an initial memory, an action rule ``policy[m, s, a]`` (the chance of
intending action ``a`` in world state ``s`` with memory ``m``) and a deterministic update rule
``update[m, s, j]`` (the next memory after joint action ``j`` was observed in state ``s``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class Automaton:
    """A strategy compiled for one player of one game."""

    policy: np.ndarray  # (M, S, A) chance of intending each action
    update: np.ndarray  # (M, S, J) next memory
    initial: int
    memory_labels: tuple[str, ...]
    label: str

    @property
    def n_memories(self) -> int:
        return self.policy.shape[0]

    @property
    def deterministic(self) -> bool:
        return bool(np.all((self.policy == 0.0) | (self.policy == 1.0)))
