"""Balancing and aligning: the two policies the op-ed compares, defined on stances.

Because they are defined on stances rather than on named actions, both work in any scenario. In
a prisoner's dilemma (cooperate = +1 toward the other, defect = -1) ``aligning`` is tit-for-tat;
with ``generosity`` it is generous tit-for-tat, with ``memory = "grim"`` the grim trigger.
"""

from __future__ import annotations

import itertools

import numpy as np

from ..core.automaton import Automaton
from ..core.errors import ScenarioError, suggest
from .base import Parameter, Strategy, TableBuilder, most_neutral, pick


class Balancing(Strategy):
    name = "balancing"
    summary = (
        "Always takes the most neutral action available (smallest total |stance|; ties: the "
        "first listed), whatever the others did."
    )
    source = (
        "Hedging / equidistance in international relations; in a 2x2 game with no neutral "
        "action it is an unconditional strategy."
    )
    metadata = {"memory": 0, "stochastic": False, "games": "any", "reciprocal": False}

    def compile(self, game, player: int) -> Automaton:
        tb = TableBuilder(game, player)
        policy, update = tb.empty(1)
        for s in range(game.n_states):
            if game.acts[s, player]:
                k = game.n_actions[s, player]
                neutral = most_neutral(game.stances[s, player, :k])
                policy[0, s, int(np.argmin(neutral))] = 1.0
        return Automaton(policy, update, 0, ("-",), self.label)


_DIGITS = (-1, 0, 1)


class Aligning(Strategy):
    name = "aligning"
    summary = (
        "Direct reciprocity: remembers the stance each other player last took toward it and "
        "picks the action whose stances best match those memories."
    )
    source = (
        "Tit for tat [Axelrod1980]; generous TFT [Nowak1992, Molander1985]; grim trigger "
        "[Friedman1971]; generalised to stances toward several partners."
    )
    parameters = (
        Parameter(
            "initial",
            1,
            "memory of every partner before any round: +1 nice, 0, -1; or a table partner -> "
            "memory (unlisted partners: +1)",
            kind="any",
        ),
        Parameter(
            "tolerance",
            0.0,
            "how a remembered neutral stance is read: 0 as neutral, 1 as support",
            low=0.0,
            high=1.0,
        ),
        Parameter(
            "generosity", 0.0, "chance of reading a remembered -1 as neutral", low=0.0, high=1.0
        ),
        Parameter(
            "memory",
            "last",
            "'last': the partner's latest stance; 'grim': its worst stance ever",
            kind="choice",
            choices=("last", "grim"),
        ),
    )
    key_parameters = ("tolerance",)
    metadata = {
        "memory": "one stance per partner",
        "stochastic": "if generosity > 0",
        "games": "any",
        "reciprocal": True,
    }

    def __init__(self, *, key: str | None = None, **params):
        initial = params.pop("initial", 1)
        super().__init__(key=key, **params)
        where = f"{key}.initial" if key else "initial"
        values = initial.values() if isinstance(initial, dict) else [initial]
        if not isinstance(initial, int | dict) or any(
            isinstance(v, bool) or v not in _DIGITS for v in values
        ):
            raise ScenarioError(
                f"'initial' must be -1, 0 or 1, or a table partner -> -1, 0 or 1; not {initial!r}",
                key=where,
            )
        self.params["initial"] = dict(initial) if isinstance(initial, dict) else int(initial)

    def _initial_memory(self, game, others: list[int]) -> list[int]:
        initial = self.params["initial"]
        if not isinstance(initial, dict):
            return [initial] * len(others)
        names = [game.players[k] for k in others]
        for partner in initial:
            if partner not in names:
                raise ScenarioError(
                    f"'initial' names '{partner}', who is not a partner; {suggest(partner, names)}",
                    key=f"{self.key}.initial" if self.key else "initial",
                )
        return [initial.get(nm, 1) for nm in names]

    def compile(self, game, player: int) -> Automaton:
        n = game.n_players
        others = [k for k in range(n) if k != player]
        r = len(others)
        mems = np.array(list(itertools.product(_DIGITS, repeat=r)), dtype=np.int64).reshape(3**r, r)
        M = len(mems)
        tb = TableBuilder(game, player)
        policy, update = tb.empty(M)
        tol, gen = self.params["tolerance"], self.params["generosity"]
        # every way of forgiving (reading -1 as neutral) a subset of partners, with its chance
        masks = np.array(list(itertools.product((0, 1), repeat=r)), dtype=bool).reshape(2**r, r)
        hostile = mems[:, None, :] == -1  # (M, 1, r)
        forgive = masks[None, :, :] & hostile  # (M, F, r)
        feasible = ~(masks[None, :, :] & ~hostile)  # can only forgive a hostile memory
        chance = np.where(hostile, np.where(masks[None], gen, 1 - gen), 1.0).prod(axis=-1)
        chance = np.where(feasible.all(axis=-1), chance, 0.0)  # (M, F)
        read = np.where(mems == 0, tol, mems).astype(float)[:, None, :]  # (M, 1, r)
        read = np.where(forgive, tol, read)  # (M, F, r)
        for s in range(game.n_states):
            if not game.acts[s, player]:
                continue
            k = game.n_actions[s, player]
            st = game.stances[s, player, :k][:, others].astype(float)  # (k, r)
            scores = read @ st.T  # (M, F, k)
            choice = pick(scores, st)  # (M, F)
            for a in range(k):
                policy[:, s, a] = (chance * (choice == a)).sum(axis=1)
        # update: partners whose choice in s concerns us reveal their stance toward us
        ja = game.joint_actions
        radix = 3 ** np.arange(r - 1, -1, -1)
        digits = mems + 1  # 0, 1, 2
        grim = self.params["memory"] == "grim"
        for s in range(game.n_states):
            J = game.n_joint[s]
            new = np.broadcast_to(digits[:, None, :], (M, J, r)).copy()
            for pos, k in enumerate(others):
                if not game.acts[s, k]:
                    continue
                toward = game.stances[s, k, : game.n_actions[s, k], player]
                if not np.any(toward):
                    continue
                seen = toward[ja[s, :J, k]] + 1  # (J,)
                new[:, :, pos] = np.minimum(new[:, :, pos], seen) if grim else seen[None, :]
            update[:, s, :J] = (new * radix).sum(axis=-1)
        init_digits = np.array(self._initial_memory(game, others), dtype=np.int64) + 1
        initial = int((init_digits * radix).sum())
        names = [game.players[k] for k in others]
        labels = tuple(
            ",".join(
                f"{nm}:{'+' if d > 0 else ('0' if d == 0 else '-')}"
                for nm, d in zip(names, m, strict=True)
            )
            or "-"
            for m in mems
        )
        return Automaton(policy, update, initial, labels, self.label)
