"""Figures: one function per figure, drawing results computed elsewhere.

:mod:`recip.plots.catalogue` lists every figure by name (``payoffs``, ``discount``,
``discount-overlay``, ``region``, ``tornado``, ``uncertainty``, ``timeline``, ``one-vs-many``,
``credibility``, ``meta``) with the result it is drawn from; :func:`draw` draws one by name,
:func:`figures` the ones written with a result (a comparison's ``payoffs``, a threshold's
``discount``, a sensitivity analysis's ``tornado``, ...). Each figure function takes a result or
its results document (``results.json``), so a saved result draws the same figure again
(:mod:`recip.plots.reading`); it computes nothing.

Every figure shares one style (:mod:`recip.plots.style`: the Okabe-Ito palette, constrained
layout, a title that states the finding, a caption naming the scenario, its SHA-256, the seed
and the claim map, and the conditions). Text from a scenario file is fitted before it is drawn
(:mod:`recip.plots.text`), so that no input can stall the layout or reach outside the canvas.
Figures are rendered without a display and saved reproducibly (no dates, fixed SVG ids): the
same input gives the same bytes. Matplotlib is imported only when a figure is drawn.
"""

from __future__ import annotations

import io
from typing import Any

from .catalogue import CATALOGUE, draw, drawable, written
from .reading import Source
from .style import DPI

__all__ = ["CATALOGUE", "Source", "draw", "drawable", "figures", "render"]


def figures(result: Any, *, source: Any = None) -> dict:
    """The figures written with ``result`` (a result or its results document), by name: a
    comparison's ``payoffs`` (and ``discount`` when ``recip run`` attached the curve), a
    threshold's ``discount``, a sweep's ``region`` over two keys, ...; none for results that
    have no figure (stage equilibria, subgame perfection)."""
    return {name: draw(name, result, source=source) for name in written(result)}


def render(fig, fmt: str) -> bytes:
    """The figure as PNG or SVG bytes, identical for identical inputs."""
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "recip", "svg.fonttype": "none"}):
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        # PNG: moderate resolution and zlib level, which keep `recip run` quick
        extra = {"dpi": DPI, "pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}
        fig.savefig(buf, format=fmt, metadata=metadata, **extra)
    return buf.getvalue()
