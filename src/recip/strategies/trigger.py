"""The grim trigger: cooperate until the relationship has seen hostility, then punish forever.

Unlike ``aligning`` with ``memory = "grim"`` (which remembers only the partner's worst stance
toward it, as Axelrod's *Grudger* does), the grim trigger also turns hostile after its *own*
hostile act, so that punishment is self-enforcing: in the prisoner's dilemma, grim trigger against
grim trigger is subgame perfect exactly when ``delta >= (T - R) / (T - P)`` [Friedman1971].
"""

from __future__ import annotations

import itertools

import numpy as np

from ..core.automaton import Automaton
from .base import Strategy, TableBuilder, pick


class GrimTrigger(Strategy):
    name = "grim-trigger"
    summary = (
        "Treats every partner as a friend until either side has sided against the other once; "
        "from then on sides against that partner forever."
    )
    source = "Grim trigger [Friedman1971]; the folk theorem's punishment strategy."
    metadata = {
        "memory": "one war flag per partner",
        "stochastic": False,
        "games": "any",
        "reciprocal": True,
    }

    def compile(self, game, player: int) -> Automaton:
        others = [k for k in range(game.n_players) if k != player]
        r = len(others)
        flags = np.array(list(itertools.product((0, 1), repeat=r)), dtype=np.int64).reshape(2**r, r)
        M = len(flags)
        tb = TableBuilder(game, player)
        policy, update = tb.empty(M)
        reading = np.where(flags == 1, -1.0, 1.0)  # (M, r): friend +1, enemy -1
        for s in range(game.n_states):
            if not game.acts[s, player]:
                continue
            k = game.n_actions[s, player]
            st = game.stances[s, player, :k][:, others].astype(float)
            choice = pick(reading @ st.T, st)
            policy[np.arange(M), s, choice] = 1.0
        radix = 2 ** np.arange(r - 1, -1, -1)
        ja = game.joint_actions
        for s in range(game.n_states):
            J = game.n_joint[s]
            new = np.broadcast_to(flags[:, None, :], (M, J, r)).copy()
            mine = game.stances[s, player, ja[s, :J, player]]  # (J, n): my stance toward each
            for pos, q in enumerate(others):
                hostile = mine[:, q] == -1
                if game.acts[s, q]:
                    hostile |= game.stances[s, q, ja[s, :J, q], player] == -1
                new[:, hostile, pos] = 1
            update[:, s, :J] = (new * radix).sum(axis=-1)
        labels = tuple(
            ",".join(
                f"{game.players[q]}:{'war' if f else 'peace'}"
                for q, f in zip(others, row, strict=True)
            )
            or "-"
            for row in flags
        )
        return Automaton(policy, update, 0, labels, self.label)
