"""The conditions of an answer: the one sentence of assumptions every result states.

Every question states the assumptions its numbers rest on -- how rounds are weighted (the
*criterion*), execution and observation noise, scripted history, and the strategies of the
players it holds fixed. They are collected in a :class:`Conditions` and rendered by
:meth:`Conditions.text`, so that the same setting reads the same way in every command, table,
figure and report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..core.text import join_words

#: How the rounds of a repeated game are weighted into one per-round value.
CRITERIA = {
    "discounted": "(1 - discount) x sum over rounds t of discount^t x payoff, infinite horizon",
    "discounted-finite": "discount^t-weighted mean of the payoffs of a fixed number of rounds",
    "finite": "mean payoff over a fixed number of rounds",
    "limit-of-means": "long-run average payoff per round",
}


def criterion(discount: float | None, rounds: int | None, limit_of_means: bool = False) -> str:
    """The name of the criterion that weights rounds (see :data:`CRITERIA`)."""
    if limit_of_means:
        return "limit-of-means"
    if rounds is not None:
        return "finite" if discount is None else "discounted-finite"
    return "discounted"


def noise_text(noise: Sequence[tuple[str, float]]) -> str:
    """Execution noise in words: one rate when every player shares it, else per player."""
    noisy = [(p, x) for p, x in noise if x > 0]
    if not noisy:
        return "no execution noise"
    rates = {x for _, x in noisy}
    if len(rates) == 1 and len(noisy) == len(noise):
        return f"execution noise {noisy[0][1]:g}"
    return "execution noise " + ", ".join(f"{p} {x:g}" for p, x in noisy)


def observation_text(rates: Sequence[tuple[str, float]]) -> str:
    """Observation noise in words (empty when nobody misreads): one rate when every player
    shares it, else per observing player."""
    noisy = [(p, x) for p, x in rates if x > 0]
    if not noisy:
        return ""
    if len({x for _, x in noisy}) == 1 and len(noisy) == len(rates):
        return f"observation noise {noisy[0][1]:g}"
    return "observation noise " + ", ".join(f"{p} {x:g}" for p, x in noisy)


@dataclass(frozen=True)
class Conditions:
    """What an answer assumes.

    ``criterion`` names how rounds are weighted; ``discount`` is the discount factor it used
    (``None`` when it varies over the analysis, as for a critical discount factor, or for
    limit-of-means and undiscounted finite horizons); ``rounds`` a finite horizon;
    ``infinite``: equilibria checked in the infinitely repeated game; ``noise`` each player's
    execution-error rate; ``history`` how many scripted rounds precede the analysis; ``others``
    the strategies of the players held fixed, as ``(player, label)`` pairs; ``observation``
    each player's chance of misreading another's action (``noise.observation``).
    """

    criterion: str
    discount: float | None
    rounds: int | None
    noise: tuple[tuple[str, float], ...]
    history: int = 0
    others: tuple[tuple[str, str], ...] = ()
    infinite: bool = False
    discount_varies: bool = False
    observation: tuple[tuple[str, float], ...] = ()

    def horizon_text(self) -> str:
        if self.discount_varies:
            if self.rounds is not None:
                return f"{self.rounds} rounds, weighted by the discount factor"
            return ""
        if self.criterion == "limit-of-means":
            return "long-run average payoffs"
        if self.criterion in ("finite", "discounted-finite"):
            text = f"{self.rounds} rounds"
            if self.discount is not None:
                text += f", discount factor {self.discount:g}"
            return text
        text = f"discount factor {self.discount:g}"
        return text + " (infinitely repeated)" if self.infinite else text

    def text(self) -> str:
        """The conditions as one clause (``discount factor 0.9; execution noise 0.02; india
        plays aligning(tolerance=0) and pakistan plays always:arm_ukraine``)."""
        bits = [self.horizon_text(), noise_text(self.noise), observation_text(self.observation)]
        if self.history:
            bits.append(f"after {self.history} scripted rounds of history")
        if self.others:
            bits.append(join_words([f"{p} plays {s}" for p, s in self.others]))
        return "; ".join(b for b in bits if b)

    def __str__(self) -> str:
        return self.text()

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text(),
            "criterion": self.criterion,
            "discount": None if self.discount_varies else self.discount,
            "rounds": self.rounds,
            "noise": dict(self.noise),
            "observation": dict(self.observation),
            "history_rounds": self.history,
            "others": dict(self.others),
        }
