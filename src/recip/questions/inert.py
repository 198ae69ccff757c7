"""Inputs that cannot move the verdict under the compared profiles, and why, decided exactly.

The profiles compared are the focal player's policies against the others' scenario strategies.
When none of their strategies reads payoffs, the chain of each profile is the same for every
payoff value, and the focal player's value is affine in a payoff input ``x`` with slope
``c_p = sum of the occupancy of the entries x pays to the focal player`` under policy ``p``
(:mod:`recip.model.points`). So, exactly:

* an input that pays only other players has slope 0 under every policy: inert ("pays only
  india, and no strategy in the compared profiles reads payoffs");
* an input paid to the focal player with ``c_p = 0`` under every policy: inert ("never paid to
  russia under these strategies");
* with ``c_p`` equal under every policy: every value shifts alike and no comparison moves
  ("paid to russia equally under every compared policy").

Whatever the payoffs, a parameter or the alternatives of the focal player's own strategy are
inert: each compared policy replaces that strategy. Other inputs are judged numerically by the
caller (no change at either end of the range, and a total Sobol' index of about 0).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..core.text import join_words
from ..model.inputs import Input
from ..model.profile import compile_profile
from ..model.setting import Setting
from ..scenario.load import Scenario
from ..strategies import Strategy

#: Occupancies closer than this count as equal (they are sums of at most a few thousand
#: probabilities, each exact to rounding).
SAME = 1e-12


def exact_reasons(
    scenario: Scenario,
    setting: Setting,
    inputs: Sequence[Input],
    focal: str,
    policies: Sequence[Strategy],
) -> dict[str, str]:
    """The inputs (by key) shown inert exactly, with the reason."""
    out: dict[str, str] = {}
    own = f"strategies.{focal}"
    for inp in inputs:
        if inp.key == own or inp.key.startswith(own + "."):
            out[inp.key] = f"{focal}'s own strategy is replaced by each compared policy"
    payoff = [i for i in inputs if i.axis.kind == "payoff"]
    if not payoff:
        return out
    compiled = [compile_profile(setting, setting.profile({focal: p})) for p in policies]
    if not all(c.payoff_blind for c in compiled):
        return out
    n = len(setting.players)
    f = setting.players.index(focal)
    # weighted by the focal player's discount factor (its own, where the players have theirs)
    occupancy = [c.player_occupancies()[f].reshape(-1) for c in compiled]
    for inp in payoff:
        index = np.asarray(scenario.payoff_slots[inp.key][0])
        paid = sorted({int(k) for k in index % n})
        if f not in paid:
            names = join_words([setting.players[k] for k in paid])
            out[inp.key] = (
                f"pays only {names}, and no strategy in the compared profiles reads payoffs"
            )
            continue
        mine = index[index % n == f] // n
        slopes = np.array([occ[mine].sum() for occ in occupancy])
        if np.abs(slopes).max() <= SAME:
            out[inp.key] = f"never paid to {focal} under these strategies"
        elif slopes.max() - slopes.min() <= SAME:
            out[inp.key] = (
                f"paid to {focal} equally often under every compared policy "
                f"({slopes.mean():.4g} of the weight of the rounds)"
            )
    return out
