"""Figures: one function per figure, drawing results computed elsewhere.

:func:`figures` gives the figures of any result, by its type: a comparison has ``payoffs``
(:func:`recip.plots.payoffs.payoff_curves`), a sensitivity analysis ``tornado``
(:func:`recip.plots.sensitivity.tornado`), a threshold ``discount``
(:func:`recip.plots.threshold.discount_curve`); other results have none yet.
Every figure says in its title what it shows and, underneath, under which assumptions. Text
from a scenario file is fitted before it is drawn (:mod:`recip.plots.text`): a title is cut to
one line, the note under the panels to a few, so that no input can stall the layout; the full
title is in ``results.json`` and in the printed header. Figures are rendered without a display
and saved reproducibly (no dates, fixed SVG ids).
"""

from __future__ import annotations

import io
from functools import singledispatch
from importlib import import_module

from ..model.result import Result
from ..questions.compare import Comparison
from ..questions.sweep_result import Sweep
from ..questions.uncertainty import Uncertainty

#: Figures of result kinds whose module is imported only when such a result is drawn (so
#: that ``recip run`` does not load the sensitivity analysis): kind -> (module, function).
LAZY = {
    "sensitivity": ("sensitivity", "sensitivity_figures"),
    "critical-discount": ("threshold", "threshold_figures"),
}


@singledispatch
def figures(result: Result) -> dict:
    """The figures of ``result`` by name (``{"payoffs": Figure}``); none for most results."""
    lazy = LAZY.get(getattr(result, "kind", None))
    if lazy is not None:
        module, function = lazy
        return getattr(import_module(f"{__package__}.{module}"), function)(result)
    return {}


@figures.register
def _comparison_figures(result: Comparison) -> dict:
    from .payoffs import payoff_curves

    return {"payoffs": payoff_curves(result)}


@figures.register
def _uncertainty_figures(result: Uncertainty) -> dict:
    from .uncertainty import advantage_histogram

    return {"advantage": advantage_histogram(result)}


@figures.register
def _sweep_figures(result: Sweep) -> dict:
    if len(result.keys) != 2 or len(result.policies) < 2:
        return {}
    from .region import region_map

    return {"region": region_map(result)}


def render(fig, fmt: str) -> bytes:
    """The figure as PNG or SVG bytes, identical for identical inputs."""
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "recip", "svg.fonttype": "none"}):
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        # PNG: moderate resolution and zlib level, which keep `recip run` quick
        extra = {"dpi": 120, "pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}
        fig.savefig(buf, format=fmt, metadata=metadata, **extra)
    return buf.getvalue()
