"""The conditions of an answer: the one sentence of assumptions every result states.

Every question states the assumptions its numbers rest on -- how rounds are weighted (the
*criterion*), execution noise, scripted history, and the strategies of the players it holds
fixed. They are collected in a :class:`Conditions` and rendered by :meth:`Conditions.text`, so
that the same setting reads the same way in every command, table, figure and report.
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


@dataclass(frozen=True)
class Conditions:
    """What an answer assumes.

    ``criterion`` names how rounds are weighted; ``discount`` is the discount factor it used
    (``None`` when it varies over the analysis, as for a critical discount factor, for
    limit-of-means and undiscounted finite horizons, or when each player has its own);
    ``discounts`` each player's own, as ``(player, discount)`` pairs, when they differ (each
    player's value is then taken at its own), and ``weighted_by`` the player whose discount
    factor weights the frequencies reported with the values (``None`` when none are);
    ``rounds`` a finite horizon; ``infinite``: equilibria checked in the infinitely repeated
    game; ``noise`` each player's execution-error rate; ``history`` how many scripted rounds
    precede the analysis; ``others`` the strategies of the players held fixed, as ``(player,
    label)`` pairs.
    """

    criterion: str
    discount: float | None
    rounds: int | None
    noise: tuple[tuple[str, float], ...]
    history: int = 0
    others: tuple[tuple[str, str], ...] = ()
    infinite: bool = False
    discount_varies: bool = False
    discounts: tuple[tuple[str, float], ...] = ()
    weighted_by: str | None = None
    #: Players whose own discount factor an analysis varies (a sweep of
    #: ``horizon.discount.<player>``): ``discounts`` holds the others'.
    swept: tuple[str, ...] = ()

    def discounts_text(self) -> str:
        """Each player's own discount factor, ``row 0.9, col 0.3`` (``col swept``)."""
        return ", ".join(
            f"{p} swept" if p in self.swept else f"{p} {d:g}" for p, d in self.discounts
        )

    def horizon_text(self) -> str:
        if self.discount_varies:
            if self.discounts:
                text = (
                    "each player's value in its own discount factor (the scenario's: "
                    f"{self.discounts_text()})"
                )
                return f"{self.rounds} rounds, {text}" if self.rounds is not None else text
            if self.rounds is not None:
                return f"{self.rounds} rounds, weighted by the discount factor"
            return ""
        if self.discounts and self.criterion != "limit-of-means":
            own = "each player's own"
            if self.weighted_by is not None:
                own += f"; frequencies weighted by {self.weighted_by}'s"
            text = f"discount factors {self.discounts_text()} ({own})"
            if self.rounds is not None:
                return f"{self.rounds} rounds, {text}"
            return text + (", infinitely repeated" if self.infinite else "")
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
        bits = [self.horizon_text(), noise_text(self.noise)]
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
            **(
                {"discounts": {p: None if p in self.swept else d for p, d in self.discounts}}
                if self.discounts
                else {}
            ),
            **({"frequencies_weighted_by": self.weighted_by} if self.weighted_by else {}),
            "rounds": self.rounds,
            "noise": dict(self.noise),
            "history_rounds": self.history,
            "others": dict(self.others),
        }
