"""Text of any result, as the command line prints it: ``render(result)``.

One entry point for every question: :func:`render` prints the common header (title,
``Conditions: ...``, overrides), then the body of the result's type, then its notes. The
printers live by theme (:mod:`.comparison_text`, :mod:`.equilibria_text`) and register
themselves with :func:`recip.report.base.body` when imported: :data:`PRINTERS` says which module
prints which kind of result, and it is imported when such a result is first printed (so that
printing a comparison does not load the equilibrium solvers).

>>> import recip
>>> c = recip.compare("prisoners-dilemma", policies=["always:defect", "aligning"])
>>> print(render(c).splitlines()[1])
Conditions: discount factor 0.9; execution noise 0.01; col plays aligning(tolerance=0).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ..model.result import Result
from .base import body, header, notes, page

__all__ = ["PRINTERS", "body", "header", "notes", "render"]

#: The module (in this package) whose printer is registered for each kind of result.
PRINTERS = {
    "evaluation": "comparison_text",
    "comparison": "comparison_text",
    "critical-discount": "equilibria_text",
    "subgame-perfection": "equilibria_text",
    "meta-game": "equilibria_text",
    "stage-equilibria": "equilibria_text",
    "uncertainty": "uncertainty_text",
    "sensitivity": "sensitivity_text",
    "credibility": "credibility_text",
    "commitment": "credibility_text",
    "sweep": "sweep_text",
    "explanation": "explain_text",
}


def render(result: Result, *, verbose: bool = False, scenario: Any = None) -> str:
    """``result`` as text for a terminal: :func:`header`, a blank line, the body its type's
    printer returns, its notes (``note: ...``). ``verbose`` lifts the row limits of long
    listings; ``scenario`` (the :class:`~recip.scenario.load.Scenario` asked about) adds its
    name and overrides to the header."""
    module = PRINTERS.get(getattr(result, "kind", None))
    if module is not None:
        import_module(f"{__package__}.{module}")
    return page(result, body(result, verbose=verbose), scenario)
