"""The result of a sensitivity analysis (:func:`recip.questions.sensitivity.sensitivity`): what
each input does to the verdict, and where the verdict flips."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.text import join_words
from ..model.conditions import Conditions
from ..model.result import Result
from .breakeven import BreakEven
from .discovery import Discovery


@dataclass(frozen=True)
class InputEffect:
    """What one input does to the verdict quantity: its ``changes`` at the ``ends`` of its
    range (low, high; for alternatives: under each), its Sobol' indices with intervals, its
    break-even values (numeric inputs), the ends or alternatives under which the verdict flips,
    and the reason it is ``inert`` (``None`` unless it is)."""

    key: str
    kind: str
    description: str
    ends: tuple[str, ...]
    changes: tuple[float, ...]
    first: float
    first_interval: tuple[float, float]
    total: float
    total_interval: tuple[float, float]
    break_even: BreakEven | None = None
    flipping: tuple[str, ...] = ()
    inert: str | None = None

    @property
    def swing(self) -> float:
        return max(self.changes) - min(self.changes)

    def break_even_text(self) -> str:
        if self.break_even is not None:
            return self.break_even.text
        if self.flipping:
            return f"flips under {join_words(self.flipping)}"
        return "flips under none of its alternatives"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "description": self.description,
            "tornado": [
                {"at": e, "change": c} for e, c in zip(self.ends, self.changes, strict=True)
            ],
            "swing": self.swing,
            "first_order": self.first,
            "first_order_interval": list(self.first_interval),
            "total": self.total,
            "total_interval": list(self.total_interval),
            "break_even": self.break_even.to_dict() if self.break_even else None,
            "flipping_alternatives": list(self.flipping) if self.break_even is None else None,
            "break_even_text": self.break_even_text(),
            "inert": self.inert,
        }


@dataclass(frozen=True, eq=False)
class Sensitivity(Result):
    """Result of :func:`sensitivity`: the verdict at the nominal values (``nominal``: the
    quantity ``q``; ``verdict``: in words), every input's :class:`InputEffect` in tornado order
    (largest swing first), and where the verdict flips (``discovery``)."""

    title: str
    conditions: Conditions
    scenario: str
    focal: str
    policies: tuple[str, ...]
    quantity: str
    nominal: float
    verdict: str
    effects: tuple[InputEffect, ...]
    discovery: Discovery
    samples: int
    evaluations: int
    seed: int
    design: str
    levels: int
    confidence: float
    notes: tuple[str, ...] = field(default=())

    kind = "sensitivity"

    def __repr__(self) -> str:
        return f"Sensitivity({self.focal}: {self.summary})"

    def effect(self, key: str) -> InputEffect:
        """The effect of the input ``key``."""
        for e in self.effects:
            if e.key == key:
                return e
        raise KeyError(key)

    @property
    def flipping(self) -> tuple[InputEffect, ...]:
        """The inputs that flip the verdict within their range (or under an alternative)."""
        return tuple(
            e
            for e in self.effects
            if e.flipping or (e.break_even is not None and e.break_even.within)
        )

    @property
    def inert(self) -> tuple[InputEffect, ...]:
        return tuple(e for e in self.effects if e.inert)

    @property
    def summary(self) -> str:
        flips = [f"{e.key} ({_short_flip(e)})" for e in self.flipping]
        text = f"{self.verdict}; "
        text += f"it flips with {join_words(flips)}" if flips else "no input flips it in its range"
        beyond = [
            f"{e.key} ({e.break_even.value_text(e.break_even.beyond[0])})"
            for e in self.effects
            if e.break_even is not None and not e.break_even.within and e.break_even.beyond
        ]
        if beyond:
            text += f"; beyond their ranges, {join_words(beyond)}"
        inert = len(self.inert)
        return text + f"; {inert} of {len(self.effects)} inputs are inert."

    def payload(self) -> dict[str, Any]:
        return {
            "focal": self.focal,
            "policies": list(self.policies),
            "quantity": self.quantity,
            "nominal": self.nominal,
            "verdict": self.verdict,
            "inputs": [e.to_dict() for e in self.effects],
            "flip_region": self.discovery.to_dict(),
            "sobol": {
                "base_samples": self.samples,
                "evaluations": self.evaluations,
                "design": self.design,
                "seed": self.seed,
                "strata": self.levels,
                "confidence": self.confidence,
                "estimator": "Saltelli 2010 (scipy.stats.sobol_indices), percentile bootstrap",
            },
            "notes": list(self.notes),
        }


def _short_flip(e: InputEffect) -> str:
    if e.break_even is not None:
        return " and ".join(e.break_even.value_text(c) for c in e.break_even.within)
    return f"under {join_words(e.flipping)}"
