"""Unravelling: in a finite game, the final rounds where a payoff-maximising partner would not
carry out its strategy (by backward induction on the situations, against the others'
automata). A comparison of a finite horizon reports it instead of the credibility check."""

from __future__ import annotations

import numpy as np

from ..model.profile import compile_profile
from ..model.setting import Setting

#: Final rounds examined for unravelling (from the last one backwards).
MAX_UNRAVEL_ROUNDS = 1_000


def unravelling(setting: Setting, strategies, focal: str, policy: str) -> list[str]:
    """For a finite horizon of ``T`` rounds: for each partner, in how many of the final rounds
    (counted back from the last, without a gap) a payoff-maximising partner would not do what
    its strategy says, at some situation on the path of play -- by backward induction on the
    situations against the others' automata: with ``r`` rounds left, intending ``a`` is worth
    its stage payoff plus ``delta`` (the partner's own discount factor) times the optimal value
    with ``r - 1`` rounds left. In the
    last round the future is gone, so a strategy that does not play a one-round best reply
    there is not credible."""
    model = compile_profile(setting, strategies).deviations
    T = int(setting.rounds)
    game = setting.game
    out = []
    for i, player in enumerate(game.players):
        if player == focal or not setting.acting(player):
            continue
        own = setting.discount_of(i)
        delta = 1.0 if own is None else float(own)  # the player's own discount factor
        V = np.zeros(model.size)
        N, A = model.size, model.width
        depth, largest = 0, 0.0
        scale = 1.0 + float(np.abs(model.stage[i]).max(initial=0.0))
        for _ in range(min(T, MAX_UNRAVEL_ROUNDS)):
            # with r rounds left: each intended action's worth, playing optimally afterwards
            q = np.where(
                model.valid[i], model.stage[i] + delta * (model.moves[i] @ V).reshape(N, A), 0.0
            )
            follow = np.einsum("ka,ka->k", model.policy[i], q)
            best = np.where(model.valid[i], q, -np.inf).max(axis=1)
            best = np.where(np.isfinite(best), best, follow)  # no choice: nothing to gain
            worst = float((best - follow)[model.on_path].max(initial=0.0))
            V = best
            if worst <= 1e-12 * scale:
                break
            depth += 1
            largest = max(largest, worst)
        if not depth:
            continue
        every = depth >= T
        span = (
            "in every round: backward induction unravels it completely"
            if every
            else "in the last round"
            if depth == 1
            else f"in each of the last {depth} rounds"
            + (
                " (and perhaps earlier: recip looks back 1,000 rounds)"
                if depth >= MAX_UNRAVEL_ROUNDS
                else ""
            )
        )
        out.append(
            f"finite horizon ({T} rounds), under {policy}: a payoff-maximising {player} would "
            f"not follow {strategies[i].stated_label} {span} (gaining up to {largest:.3g} in "
            "total from such a round on); a verdict that rests on its reciprocity rests on a "
            "threat it would not carry out there"
        )
    return out
