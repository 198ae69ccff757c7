"""The shape every answer has: a title, its conditions, a one-line summary and ``to_dict()``.

Printers and figures are chosen by a result's type (:mod:`recip.report`), so a new question
appears in every printer and report by subclassing :class:`Result`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from .conditions import Conditions


class Result:
    """Base class of every question's result.

    Subclasses are frozen dataclasses with fields ``title`` and ``conditions``; they implement
    :attr:`summary` (one line) and :meth:`payload` (their numbers, for ``to_dict``).
    """

    kind: ClassVar[str] = "result"
    title: str
    conditions: Conditions

    @property
    def summary(self) -> str:  # pragma: no cover - every result overrides it
        raise NotImplementedError

    def payload(self) -> dict[str, Any]:  # pragma: no cover - every result overrides it
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        """Everything the result holds, as plain JSON-ready data."""
        return {
            "kind": self.kind,
            "title": self.title,
            "summary": self.summary,
            "conditions": self.conditions.to_dict(),
            **self.payload(),
        }
