"""Figures: one function per figure, drawing results computed elsewhere.

Every figure says in its title what it shows and, underneath, under which assumptions.
Figures are rendered without a display and saved reproducibly (no dates, fixed SVG ids).
"""

from __future__ import annotations

import io


def render(fig, fmt: str) -> bytes:
    """The figure as PNG or SVG bytes, identical for identical inputs."""
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "recip", "svg.fonttype": "none"}):
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(
            buf,
            format=fmt,
            metadata=metadata,
            dpi=150 if fmt == "png" else None,
            bbox_inches="tight",
        )
    return buf.getvalue()
