"""Figures for the HTML report: whatever :func:`recip.plots.figures` draws for a result, as SVG
fit to sit inline in a page.

This is the report's one seam with :mod:`recip.plots`: :func:`result_figures` asks it for the
figures of each result (by result type), so that a figure added there appears in the report
without a change here; :data:`PLACES` only says in which section a known figure goes (an
unknown one goes to :data:`OTHER`).

An inline SVG must not reach outside the page and must not clash with the page's other
figures, so :func:`inline_svg` drops the XML declaration, the document type, the metadata
(which hold URLs) and the namespace declarations (HTML needs none), writes ``xlink:href`` as
``href``, prefixes every ``id`` (and every reference to it) with the figure's name, and removes
the fixed size so that the page's style sizes it.
"""

from __future__ import annotations

import re

#: The section of the report each known figure goes to.
PLACES = {
    "payoffs": "verdict",
    "discount": "whatif",
    "tornado": "sensitivity",
    "uncertainty": "sensitivity",
    "region": "sensitivity",
    "credibility": "credibility",
    "discount-overlay": "counters",
}
#: Largest colour mesh drawn as vectors; larger ones are embedded as an image.
MESH_CELLS = 400
#: Where a figure goes that :data:`PLACES` does not know.
OTHER = "sensitivity"

#: What each known figure shows, in one sentence for the reader of the report.
CAPTIONS = {
    "payoffs": "Expected payoff per round of each player under each policy, and its running "
    "total (exact).",
    "discount": "The advantage against the discount factor (exact), with every critical value "
    "marked.",
    "tornado": "Tornado: the change in the verdict quantity with each input at the ends of its "
    "declared range, the others nominal (exact); and the Sobol' indices.",
    "uncertainty": "How sure: the advantage over random draws of every uncertain input within "
    "its declared range (each draw exact).",
    "region": "Where the verdict flips over two inputs at once (exact, on a grid).",
    "credibility": "What each partner would gain per round by playing its best response instead "
    "of its strategy, under each policy (exact); zero: the strategy is a best response.",
    "discount-overlay": "The advantage against the discount factor in this scenario and in every "
    "bundled scenario arguing about its claims (exact), each with its critical values and its own "
    "discount factor.",
}

_DROP = (
    re.compile(r"<\?xml[^>]*\?>\s*"),
    re.compile(r"<!DOCTYPE[^>]*>\s*", re.S),
    re.compile(r"<metadata>.*?</metadata>\s*", re.S),
    re.compile(r"<style[^>]*>.*?</style>\s*", re.S),
    re.compile(r'\s+xmlns(:\w+)?="[^"]*"'),
)


def inline_svg(svg: bytes | str, name: str) -> str:
    """``svg`` (a whole SVG document) as an element to put inside HTML (see the module
    docstring); ``name`` prefixes its ids."""
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    for pattern in _DROP:
        text = pattern.sub("", text)
    text = text.replace("xlink:href=", "href=")
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", name)
    ids = set(re.findall(r'\bid="([^"]+)"', text))
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', text)
    text = re.sub(
        r'(href="#|url\(#)([^")]+)',
        lambda m: m.group(1) + (f"{prefix}-{m.group(2)}" if m.group(2) in ids else m.group(2)),
        text,
    )
    text = re.sub(r'<svg\s+([^>]*?)width="[^"]*"\s+height="[^"]*"\s*', r"<svg \1", text, count=1)
    text = text.replace("<svg ", f'<svg role="img" aria-label="{prefix}" ', 1)
    return text.strip()


def result_figures(*results) -> dict[str, str]:
    """Every figure :func:`recip.plots.figures` draws for ``results`` (None skipped), by name,
    as inline SVG; a name drawn twice keeps the first."""
    from ..plots import figures, render

    out: dict[str, str] = {}
    for result in results:
        if result is None:
            continue
        for name, fig in figures(result).items():
            if name not in out:
                _rasterize_meshes(fig)
                out[name] = inline_svg(render(fig, "svg"), name)
    return out


def _rasterize_meshes(fig) -> None:
    """Draw colour meshes of more than :data:`MESH_CELLS` cells as one embedded image (a
    region map of thousands of cells is otherwise as many SVG paths: hundreds of kilobytes);
    lines, text and markers stay vectors."""
    from matplotlib.collections import QuadMesh

    for ax in fig.axes:
        for artist in ax.collections:
            if isinstance(artist, QuadMesh) and artist.get_array().size > MESH_CELLS:
                artist.set_rasterized(True)
