"""The figure class of recip's figures: a matplotlib figure that shows itself in a notebook.

A figure made directly (not by ``pyplot``) has no display of its own: in Jupyter, returning it
from a cell prints ``<Figure size ...>`` unless the inline backend happens to be active. This
class adds ``_repr_png_``, so that a recip figure displays as an image wherever IPython shows a
value, with the same bytes as ``recip run`` writes.
"""

from __future__ import annotations

from matplotlib.figure import Figure as _Figure


class Figure(_Figure):
    """A :class:`matplotlib.figure.Figure` that IPython displays as a PNG image."""

    def _repr_png_(self) -> bytes:
        from . import render

        return render(self, "png")
