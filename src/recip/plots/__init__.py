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
        # PNG: moderate resolution and zlib level, which keep `recip run` quick
        extra = {"dpi": 120, "pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}
        fig.savefig(buf, format=fmt, metadata=metadata, **extra)
    return buf.getvalue()
