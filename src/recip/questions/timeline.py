"""One simulated history per policy, round by round: who took which stance toward whom.

An average hides what happens in a play. For each of the focal player's policies, recip plays
one history of the first ``rounds`` rounds (after any scripted history) with the simulator
(:mod:`recip.engine.simulate`): the first replicate of ``recip.simulate(..., replicates=2,
seed=seed, record=True)``, whose first rounds they are (the draws of a round depend on the seed
and on how many replicates are played, not on how many rounds).
Nature, the players' random choices and execution noise draw from streams keyed by the seed
and the player, so every policy sees the same world states and the same slips of the others
(common random numbers): what differs between the histories is what the policy changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.limits import MAX_CURVE_ROUNDS
from ..core.text import join_words
from ..engine.simulate import simulate_profile
from ..model.conditions import Conditions
from ..model.profile import compile_profile
from ..model.result import Result
from ..model.setting import ScenarioLike, as_setting
from .checks import check_count, check_seed

#: Rounds shown by default (a finite horizon shows at most its own rounds).
DEFAULT_ROUNDS = 30


@dataclass(frozen=True, eq=False)
class Timeline(Result):
    """Result of :func:`timeline`.

    ``world[p, t]`` is the world state (index into ``states``) of round ``t`` under policy
    ``p``; ``actions[p, t, i]`` player ``i``'s realised action there (-1 when it has no
    choice); ``stances[p, t, i, k]`` its stance toward player ``k`` (NaN when its choice in that
    state does not concern ``k``); ``payoffs[p, t, i]`` what it got. ``pairs`` lists every
    ``(actor, target)`` whose choices concern the target in some world state, partners toward
    the focal player first.
    """

    title: str
    conditions: Conditions
    focal: str
    policies: tuple[str, ...]
    players: tuple[str, ...]
    states: tuple[str, ...]
    state_labels: tuple[str, ...]
    action_names: tuple[tuple[tuple[str, ...], ...], ...]  # [state][player] -> action names
    seed: int
    history: int
    world: np.ndarray
    actions: np.ndarray
    stances: np.ndarray
    payoffs: np.ndarray
    pairs: tuple[tuple[str, str], ...]

    kind = "timeline"

    @property
    def rounds(self) -> int:
        return self.world.shape[1]

    def counts(self, p: int, actor: str, target: str) -> dict[str, int]:
        """Under policy ``p``: in how many rounds ``actor`` sided with (stance > 0), stayed
        neutral toward (0) or against (< 0) ``target``, among the rounds where its choice
        concerned ``target``."""
        i, k = self.players.index(actor), self.players.index(target)
        x = self.stances[p, :, i, k]
        x = x[~np.isnan(x)]
        return {
            "sides": int((x > 0).sum()),
            "neutral": int((x == 0).sum()),
            "against": int((x < 0).sum()),
        }

    @property
    def summary(self) -> str:
        partners = [(a, b) for a, b in self.pairs if b == self.focal]
        if not partners:
            return f"One history of {self.rounds} rounds per policy (seed {self.seed})."
        actor = partners[0][0]
        parts = []
        for p, policy in enumerate(self.policies):
            c = self.counts(p, actor, self.focal)
            parts.append(f"{c['sides']} of {sum(c.values())} under {policy}")
        return (
            f"In one history of {self.rounds} rounds (seed {self.seed}), of the rounds where "
            f"{actor}'s choice concerns {self.focal}, {actor} sides with {self.focal} in "
            f"{join_words(parts)}."
        )

    def payload(self) -> dict[str, Any]:
        histories = {}
        for p, policy in enumerate(self.policies):
            world = self.world[p]
            acts = {}
            for i, player in enumerate(self.players):
                names = []
                for t, s in enumerate(world.tolist()):
                    a = int(self.actions[p, t, i])
                    names.append(self.action_names[s][i][a] if a >= 0 else None)
                acts[player] = names
            stances = {}
            counts = {}
            for actor, target in self.pairs:
                i, k = self.players.index(actor), self.players.index(target)
                x = self.stances[p, :, i, k]
                stances[f"{actor}->{target}"] = [None if np.isnan(v) else float(v) for v in x]
                counts[f"{actor}->{target}"] = self.counts(p, actor, target)
            histories[policy] = {
                "states": [self.states[s] for s in world.tolist()],
                "actions": acts,
                "stances": stances,
                "counts": counts,
                "payoffs": {
                    player: [float(v) for v in self.payoffs[p, :, i]]
                    for i, player in enumerate(self.players)
                },
            }
        return {
            "focal": self.focal,
            "policies": list(self.policies),
            "players": list(self.players),
            "seed": self.seed,
            "rounds": self.rounds,
            "scripted_rounds": self.history,
            "states": list(self.states),
            "state_labels": dict(zip(self.states, self.state_labels, strict=True)),
            "pairs": [[a, b] for a, b in self.pairs],
            "histories": histories,
        }


def stance_pairs(game, focal: int) -> list[tuple[int, int]]:
    """Every ``(actor, target)`` such that some choice of the actor, in some world state, takes
    a stance toward the target: partners toward the focal player first, then the focal player
    toward the others, then the rest."""
    pairs = []
    for i in range(game.n_players):
        for k in range(game.n_players):
            if i != k and any(
                game.acts[s, i] and np.any(game.stances[s, i, : game.n_actions[s, i], k])
                for s in range(game.n_states)
            ):
                pairs.append((i, k))
    return sorted(pairs, key=lambda ik: (ik[1] != focal, ik[0] != focal, ik))


def timeline(
    scenario: ScenarioLike,
    *,
    focal: str | None = None,
    policies: Sequence[Any] | None = None,
    rounds: int | None = None,
    seed: int = 0,
) -> Timeline:
    """One simulated history of ``rounds`` rounds (default :data:`DEFAULT_ROUNDS`, at most a
    finite horizon's own) under each of ``focal``'s ``policies`` (defaults as in
    :func:`recip.compare`), with the same draws of nature and noise for every policy.

    >>> t = timeline("prisoners-dilemma", rounds=5, seed=1)
    >>> t.world.shape, t.pairs
    ((3, 5), (('col', 'row'), ('row', 'col')))
    """
    check_seed(seed)
    setting = as_setting(scenario)
    if rounds is not None:
        check_count(rounds, "rounds", low=1, high=MAX_CURVE_ROUNDS)
    T = rounds or DEFAULT_ROUNDS
    if setting.rounds is not None:
        T = min(T, setting.rounds)
    focal = setting.check_player(
        focal if focal is not None else setting.focal, "compare.focal", "focal player"
    )
    parsed, _ = setting.policy_list(policies)
    game = setting.game
    n, f = game.n_players, setting.players.index(focal)
    pairs = stance_pairs(game, f)
    # concerns[s, i, k]: whether player i's choice in world state s takes a stance toward k
    concerns = (
        np.array(
            [
                [np.any(game.stances[x, i, : game.n_actions[x, i]], axis=0) for i in range(n)]
                for x in range(game.n_states)
            ]
        )
        & game.acts[:, :, None]
    )
    world, actions, stances, payoffs = [], [], [], []
    for policy in parsed:
        compiled = compile_profile(setting, setting.profile({focal: policy}))
        out = simulate_profile(
            game,
            compiled.automata,
            setting.noise,
            rounds=T,
            replicates=2,
            seed=seed,
            discount=None,
            finite=True,
            record=True,
        )
        s = out.states[0].astype(np.int64)
        a = out.actions[0].astype(np.int64)
        a = np.where(game.acts[s], a, -1)
        st = np.full((T, n, n), np.nan)
        for i, k in pairs:
            rows = np.flatnonzero(concerns[s, i, k])
            st[rows, i, k] = game.stances[s[rows], i, a[rows, i], k]
        world.append(s)
        actions.append(a)
        stances.append(st)
        payoffs.append(out.payoffs[0].astype(float))
    state_labels = tuple(setting.state_labels.get(x, x) for x in game.states)
    return Timeline(
        title=f"{setting.title}: one history per policy of {focal}",
        conditions=setting.conditions(setting.profile({focal: parsed[0]}), focal=focal),
        focal=focal,
        policies=tuple(p.label for p in parsed),
        players=setting.players,
        states=tuple(game.states),
        state_labels=state_labels,
        action_names=tuple(tuple(tuple(acts) for acts in row) for row in game.actions),
        seed=seed,
        history=setting.history,
        world=np.array(world),
        actions=np.array(actions),
        stances=np.array(stances),
        payoffs=np.array(payoffs),
        pairs=tuple((setting.players[i], setting.players[k]) for i, k in pairs),
    )
