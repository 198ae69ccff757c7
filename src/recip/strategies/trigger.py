"""The grim trigger: cooperate until the relationship has seen hostility, then punish forever.

Unlike ``aligning`` with ``memory = "grim"`` (which remembers only the partner's worst stance
toward it, as Axelrod's *Grudger* does), the grim trigger also turns hostile after its *own*
hostile act, so that punishment is self-enforcing: in the prisoner's dilemma, grim trigger against
grim trigger is subgame perfect exactly when ``delta >= (T - R) / (T - P)`` [Friedman1971].
"""

from __future__ import annotations

import warnings

import numpy as np

from ..core import radix
from ..core.automaton import Automaton
from .base import Strategy, TableBuilder, pick


class GrimTrigger(Strategy):
    name = "grim-trigger"
    summary = (
        "Treats every partner as a friend until either side has sided against the other once "
        "(any negative stance); "
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
        ja = game.joint_actions
        # hostile[s][:, pos]: joint actions of s in which either side sides against the other
        hostile = []
        for s in range(game.n_states):
            J = game.n_joint[s]
            mine = game.stances[s, player, ja[s, :J, player]]  # (J, n): my stance toward each
            flags = np.zeros((J, len(others)), dtype=bool)
            for pos, q in enumerate(others):
                flags[:, pos] = mine[:, q] < 0
                if game.acts[s, q]:
                    flags[:, pos] |= game.stances[s, q, ja[s, :J, q], player] < 0
            hostile.append(flags)
        # a partner with whom no hostility can happen keeps its flag at peace: one digit
        sizes = [1 + int(any(h[:, pos].any() for h in hostile)) for pos in range(len(others))]
        for pos, q in enumerate(others):
            if sizes[pos] == 1:
                _warn_never_fires(game, player, q)
        M = radix.span(sizes)
        tb = TableBuilder(game, player)
        policy, update = tb.empty(M)
        flags = radix.decode(np.arange(M), sizes)  # (M, r): 1 = war
        place = radix.places(sizes)
        reading = np.where(flags == 1, -1.0, 1.0)  # (M, r): friend +1, enemy -1
        for s in range(game.n_states):
            if not game.acts[s, player]:
                continue
            k = game.n_actions[s, player]
            st = game.stances[s, player, :k][:, others].astype(float)
            choice = pick(reading @ st.T, st)
            policy[np.arange(M), s, choice] = 1.0
        code = radix.encode(flags, place)
        for s in range(game.n_states):
            J = game.n_joint[s]
            new = np.broadcast_to(code[:, None], (M, J)).astype(np.int64)
            for pos in range(len(others)):
                if sizes[pos] > 1:  # war from now on where it was peace
                    new += np.outer(1 - flags[:, pos], hostile[s][:, pos]) * place[pos]
            update[:, s, :J] = new
        labels = tuple(
            ",".join(
                f"{game.players[q]}:{'war' if f else 'peace'}"
                for q, f in zip(others, row, strict=True)
            )
            or "-"
            for row in flags
        )
        return Automaton(policy, update, 0, labels, self.label)


def _warn_never_fires(game, player: int, q: int) -> None:
    """Warn when the trigger can never fire against partner ``q`` although ``q`` can withhold
    its friendliest stance: only a negative stance counts as hostility, so an unfriendly but
    neutral act (the donation game's ``keep``, stance 0) is never punished."""
    for s in range(game.n_states):
        if not game.acts[s, q]:
            continue
        stance = game.stances[s, q, : game.n_actions[s, q], player]
        low = int(np.argmin(stance))
        if stance[low] < stance.max():
            me, them = game.players[player], game.players[q]
            action = game.actions[s][q][low]
            warnings.warn(
                f"grim-trigger ({me}) never fires against {them}: it treats only a negative stance "
                f"as hostility and no action of {them} toward {me} has one, so {them}'s "
                f"'{action}' (stance {stance[low]:g}) in state {game.states[s]} goes unpunished; "
                'to answer it, use { name = "aligning", memory = "grim" }',
                UserWarning,
                stacklevel=2,
            )
            return
