"""Balancing and aligning: the two policies the op-ed compares, defined on stances.

Because they are defined on stances rather than on named actions, both work in any scenario. In
a prisoner's dilemma (cooperate = +1 toward the other, defect = -1) ``aligning`` is tit-for-tat;
with ``generosity`` it is generous tit-for-tat, with ``memory = "grim"`` the grim trigger.
"""

from __future__ import annotations

import numpy as np

from ..core import radix
from ..core.automaton import Automaton
from ..core.errors import ScenarioError, suggest
from ..core.limits import MAX_COMPILE_WORK
from .base import Parameter, Strategy, TableBuilder, most_neutral, pick

#: Largest number of scores held at once while a generous ``aligning`` is compiled.
CHUNK = 1 << 20


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
        others = [k for k in range(game.n_players) if k != player]
        grim = self.params["memory"] == "grim"
        initial = self._initial_memory(game, others)
        digits = memory_values(game, player, others, initial, grim)
        sizes = [len(d) for d in digits]
        M = radix.span(sizes)
        tb = TableBuilder(game, player)
        tb.check(M)
        tol, gen = self.params["tolerance"], self.params["generosity"]
        acting = [s for s in range(game.n_states) if game.acts[s, player]]
        if gen > 0:
            _check_forgiveness(game, player, digits, len(acting), self.key)
        policy, update = tb.empty(M)
        index = radix.decode(np.arange(M), sizes)  # (M, r): digit of each partner's memory
        values = np.zeros(index.shape)
        for pos, d in enumerate(digits):
            values[:, pos] = d[index[:, pos]]
        for s in acting:
            k = game.n_actions[s, player]
            st = game.stances[s, player, :k][:, others].astype(float)  # (k, r)
            policy[:, s, :k] = action_chances(values, st, tol, gen)
        place = radix.places(sizes)
        code = radix.encode(index, place)
        ja = game.joint_actions
        for s in range(game.n_states):
            J = game.n_joint[s]
            # partners whose choice in s concerns us reveal their stance toward us
            new = np.broadcast_to(code[:, None], (M, J)).astype(np.int64)
            for pos, k in enumerate(others):
                if not game.acts[s, k]:
                    continue
                toward = game.stances[s, k, : game.n_actions[s, k], player]
                if not np.any(toward):
                    continue
                seen = toward[ja[s, :J, k]].astype(float)  # (J,)
                now = np.minimum(values[:, pos, None], seen[None, :]) if grim else seen[None, :]
                new += (_digit(digits[pos], now) - index[:, pos, None]) * place[pos]
            update[:, s, :J] = new
        start = [int(_digit(digits[pos], float(v))) for pos, v in enumerate(initial)]
        return Automaton(
            policy,
            update,
            int(radix.encode(start, place)) if others else 0,
            _labels([game.players[k] for k in others], values),
            self.label,
        )


def memory_values(game, player: int, others, initial, grim: bool) -> list[np.ndarray]:
    """For each partner, the values its memory can take, ascending: the initial one and every
    stance the partner can reveal toward ``player`` (a partner whose actions in a state all have
    stance 0 toward it reveals nothing there); with ``grim``, only those below the initial one.
    The memories are the combinations of these, and only these: ``aligning`` with ten partners
    that are neutral in most states compiles to far fewer than 3^10 memories."""
    out = []
    for k, init in zip(others, initial, strict=True):
        seen: set[float] = set()
        for s in range(game.n_states):
            if game.acts[s, k]:
                toward = game.stances[s, k, : game.n_actions[s, k], player]
                if np.any(toward):
                    seen.update(float(v) for v in toward)
        kept = {v for v in seen if v < init} if grim else seen
        out.append(np.array(sorted({float(init)} | kept)))
    return out


def _digit(values: np.ndarray, v):
    """The digit of memory value(s) ``v`` among a partner's ``values`` (ascending; ``v`` is
    always one of them: stances are compared exactly, as stored)."""
    return np.searchsorted(values, v).astype(np.int64)


def _check_forgiveness(game, player: int, digits, n_acting: int, key) -> None:
    """Refuse a generous ``aligning`` whose forgiveness outcomes are too many to enumerate:
    each memory with ``h`` hostile partners has ``2^h`` ways of forgiving them, so there are
    ``prod_p (values + hostile values)`` (memory, forgiven set) pairs (hostile: negative)."""
    pairs = 1
    for d in digits:
        pairs *= int(d.size) + int(np.sum(d < 0))
    work = pairs * (len(digits) + int(game.max_actions)) * n_acting
    if work > MAX_COMPILE_WORK:
        raise ScenarioError(
            f"'aligning' with generosity needs about {work} scores to compile here "
            f"({pairs} memory and forgiveness combinations; recip's limit is "
            f"{MAX_COMPILE_WORK}); set generosity = 0 or give it fewer partners",
            key=key,
        )


def action_chances(values: np.ndarray, stances: np.ndarray, tol: float, gen: float):
    """``out[m, a]``: the chance that ``aligning`` picks action ``a`` (stances ``(k, r)``
    toward the partners) with memory values ``values[m]`` (``(M, r)``).

    A remembered 0 is read as ``tol``, any other stance as itself (+1, a graded +0.5, ...), and
    a negative one, with chance ``gen`` for each partner independently, forgiven and read as
    ``tol``; the action with the highest score
    ``sum_p read_p stance_p`` is picked (:func:`~recip.strategies.base.pick`). Memories are
    taken by their number of hostile partners ``h``, and each with all ``2^h`` forgiven sets,
    in chunks of at most :data:`CHUNK` scores.
    """
    M, r = values.shape
    k = stances.shape[0]
    read = np.where(values == 0, tol, values).astype(float)
    out = np.zeros((M, k))
    hostile = values < 0
    count = hostile.sum(axis=1) if gen > 0 else np.zeros(M, dtype=np.int64)
    for h in np.unique(count).tolist():
        rows = np.flatnonzero(count == h)
        masks = radix.decode(np.arange(2**h), [2] * h).astype(bool)  # (F, h)
        forgiven = masks.sum(axis=1)
        chance = gen**forgiven * (1.0 - gen) ** (h - forgiven)  # (F,)
        where = np.nonzero(hostile[rows])[1].reshape(rows.size, h) if h else None
        size = max(1, CHUNK // (masks.shape[0] * max(r, k, 1)))
        for a in range(0, rows.size, size):
            sub = rows[a : a + size]
            trial = np.repeat(read[sub][:, None, :], masks.shape[0], axis=1)  # (c, F, r)
            if h:
                c = np.arange(sub.size)[:, None, None]
                f = np.arange(masks.shape[0])[None, :, None]
                trial[c, f, where[a : a + size][:, None, :]] = np.where(masks, tol, -1.0)[None]
            choice = pick(trial @ stances.T, stances)  # (c, F)
            for act in range(k):
                out[sub, act] = (chance[None, :] * (choice == act)).sum(axis=1)
    return out


def _labels(names: list[str], values: np.ndarray) -> tuple[str, ...]:
    """``"india:+,pakistan:-"`` for every memory (``"-"`` with no partner)."""
    if not names:
        return ("-",) * len(values)
    words = {-1.0: "-", 0.0: "0", 1.0: "+"}
    symbols = [[words.get(float(v), f"{float(v):+g}") for v in row] for row in values]
    columns = [[f"{nm}:{row[pos]}" for row in symbols] for pos, nm in enumerate(names)]
    return tuple(",".join(row) for row in zip(*columns, strict=True))
