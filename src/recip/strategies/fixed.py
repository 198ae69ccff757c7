"""A strategy given as an already compiled automaton (a best response recip computed), so that it
can take a player's place in a profile without being written to a file first."""

from __future__ import annotations

import hashlib

from ..core.automaton import Automaton
from ..core.errors import ScenarioError
from .base import Strategy


class FixedAutomaton(Strategy):
    name = "fixed-automaton"
    summary = "An automaton recip computed for this game (a best response), played as it is."
    source = "Best responses to finite automata are finite automata [Kalai-Stanford1988]."
    metadata = {
        "memory": "the joint memory of the profile it answered",
        "stochastic": "where the strategy it replaced mixed",
        "games": "the game it was computed for",
        "reciprocal": "as the best response turned out",
    }

    def __init__(self, automaton: Automaton, label: str):
        self.automaton = automaton
        self._label = label
        self.params = {}
        self.key = None

    @property
    def label(self) -> str:
        return self._label

    @property
    def identity(self) -> tuple[str, str]:
        digest = hashlib.sha1(
            self.automaton.policy.tobytes() + self.automaton.update.tobytes()
        ).hexdigest()
        return (type(self).__name__, f"{self.automaton.initial}:{digest}")

    def compile(self, game, player: int) -> Automaton:
        a = self.automaton
        if a.policy.shape[1:] != (game.n_states, game.max_actions) or a.update.shape[1:] != (
            game.n_states,
            game.max_joint,
        ):
            raise ScenarioError(
                f"{self._label} was computed for another game: it cannot play here",
                key=f"strategies.{game.players[player]}",
            )
        return a
