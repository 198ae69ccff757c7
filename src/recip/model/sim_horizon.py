"""What a simulation must play: the horizon it reports, within recip's limits."""

from __future__ import annotations

from ..core.errors import ScenarioError
from ..core.limits import MAX_SIMULATED_ROUNDS, MAX_SIMULATION_WORK
from ..engine.simulate import default_rounds
from .setting import Setting

#: Largest share of an infinite discounted horizon's weight a simulation may leave out.
TRUNCATION_ALLOWED = 1e-6


def check_simulated_rounds(
    setting: Setting, T: int, replicates: int, finite: bool, discount
) -> None:
    """A simulation must play the horizon it reports: all the rounds of a finite game, and enough
    of an infinite discounted one that the weight left out is negligible; and it must fit recip's
    limits (checked before anything is allocated). ``discount`` is the largest discount factor
    (the most patient player's, where the players have their own): it needs the most rounds."""
    if T > MAX_SIMULATED_ROUNDS:
        why = (
            f"the discount factor {discount:g} needs {T} rounds before the weight left falls "
            "under 1e-9"
            if not finite and discount is not None
            else f"{T} rounds"
        )
        raise ScenarioError(
            f"{why}: more than recip's limit of {MAX_SIMULATED_ROUNDS} simulated rounds; use "
            "the exact method, a smaller discount factor or fewer rounds",
            key="rounds",
        )
    if T * replicates > MAX_SIMULATION_WORK:
        raise ScenarioError(
            f"{replicates} replicates x {T} rounds is more than recip's limit of "
            f"{MAX_SIMULATION_WORK} simulated replicate-rounds; use fewer replicates or rounds",
            key="replicates",
        )
    if finite and setting.rounds != T:
        raise ScenarioError(
            f"the scenario's horizon is {setting.rounds} rounds: simulate exactly that many "
            f"(leave rounds out), not {T}; or change horizon.rounds",
            key="rounds",
        )
    if not finite and discount is not None and discount > 0:
        left = float(discount) ** T
        if left > TRUNCATION_ALLOWED:
            needed = default_rounds(discount, None)
            raise ScenarioError(
                f"{T} rounds leave {left:.2g} of the weight of this infinite discounted horizon "
                f"(discount {discount:g}) unsimulated, so the value would not be the discounted "
                f"value it claims to be; simulate at least {needed} rounds (the default), or set "
                "horizon.rounds to study a finite game",
                key="rounds",
            )
