"""The look every recip figure shares: colours, line styles, font sizes, layout, the title that
states the finding and the caption that says where the numbers came from.

* **Colours** are the Okabe-Ito palette [Okabe-Ito2008], distinguishable with every common
  colour-vision deficiency; series also differ in line style or hatching, so that a figure
  reads in grey. Signs use blue (favourable, "sides with") and vermillion (unfavourable,
  "against"); neutral is light grey.
* **Layout** is matplotlib's constrained layout: titles, axis labels, legends (outside the data,
  above or below the panels) and the caption are given room instead of overlapping; long text
  is wrapped to the figure's width (:func:`wrap`) and cut after a few lines, so nothing is drawn
  outside the canvas.
* **Title and caption**: the title states the finding in words (``aligning pays russia more
  above δ = 0.457``); the caption under the panels names the scenario (and its SHA-256), the
  seed (or that the values are exact), the claim map the scenario encodes, and the conditions.

Matplotlib is imported only when a figure is drawn.
"""

from __future__ import annotations

from functools import wraps

from .text import paragraph

BLUE, ORANGE, GREEN, VERMILLION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
PURPLE, SKY, YELLOW, BLACK = "#CC79A7", "#56B4E9", "#F0E442", "#000000"
#: Colours of series in order (yellow last: it is faint on white).
SERIES = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, BLACK, YELLOW)
#: Line styles of series in order (so that series also differ in grey).
DASHES = ("-", (0, (5, 2)), (0, (1, 1.5)), (0, (6, 2, 1, 2)), (0, (3, 1, 1, 1, 1, 1)), (0, (9, 3)))
#: Markers of series in order.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Hatches of bars in order.
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")
#: A favourable sign, an unfavourable one, and neutral.
POSITIVE, NEGATIVE, NEUTRAL = BLUE, VERMILLION, "#C8C8C8"
#: Font sizes in points.
TITLE_SIZE, LABEL_SIZE, TICK_SIZE, LEGEND_SIZE, CAPTION_SIZE = 12.5, 10.0, 9.0, 9.0, 8.0
#: Resolution of the figures (and of their PNG files): laying out at the resolution the PNG is
#: drawn at lets the PNG reuse the layout's measurements of every text.
DPI = 120
#: Most lines of a title and of a caption.
TITLE_LINES, CAPTION_LINES = 3, 6
#: The matplotlib settings every figure is drawn with.
RC = {
    "font.size": LABEL_SIZE,
    "axes.titlesize": LABEL_SIZE + 0.5,
    "axes.labelsize": LABEL_SIZE,
    "xtick.labelsize": TICK_SIZE,
    "ytick.labelsize": TICK_SIZE,
    "legend.fontsize": LEGEND_SIZE,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.6,
    "lines.linewidth": 1.8,
    "axes.prop_cycle": None,  # set in styled(), from SERIES (needs matplotlib's cycler)
    "svg.hashsalt": "recip",
    "svg.fonttype": "none",
}


def styled(draw):
    """Draw the figure of ``draw`` with :data:`RC` (rc settings are read when artists are
    made, so the whole drawing happens inside the context)."""

    @wraps(draw)
    def wrapper(*args, **kwargs):
        import matplotlib
        from cycler import cycler

        rc = {**RC, "axes.prop_cycle": cycler(color=SERIES)}
        with matplotlib.rc_context(rc):
            return draw(*args, **kwargs)

    return wrapper


def colour(k: int) -> str:
    return SERIES[k % len(SERIES)]


def dash(k: int):
    return DASHES[k % len(DASHES)]


def marker(k: int) -> str:
    return MARKERS[k % len(MARKERS)]


def hatch(k: int) -> str:
    return HATCHES[k % len(HATCHES)]


def chars(width: float, size: float, bold: bool = False) -> int:
    """About how many characters of a ``size``-point font fit across ``width`` inches (a
    conservative estimate for DejaVu Sans, matplotlib's default)."""
    em = 0.66 if bold else 0.6
    return max(20, int(width * 72 / (size * em)))


def wrap(text: str, width: float, size: float, lines: int, bold: bool = False) -> str:
    """``text`` wrapped to ``width`` inches at ``size`` points, at most ``lines`` lines."""
    return paragraph(text, chars(width, size, bold), lines)


def new_figure(width: float, height: float):
    """A figure of ``width`` inches whose panels take ``height`` inches; :func:`finish` adds
    the room for the title, the legend and the caption."""
    from .figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained", dpi=DPI)
    fig.get_layout_engine().set(w_pad=0.06, h_pad=0.06, wspace=0.04, hspace=0.06)
    return fig


def text_lines(text: str) -> int:
    return text.count("\n") + 1 if text else 0


#: Inches between the figure's edge and its text, and between bands of text.
PAD = 0.12
#: Height of a line of text, in multiples of its font size.
LEADING = 1.3


def finish(fig, title: str, caption: str, legend=None, legend_columns: int | None = None):
    """Frame the panels: the title (the finding, bold, wrapped to the figure's width) at the
    top, under it the legend (``(handles, labels)``, in as many columns as fit), and the caption
    (provenance and conditions) at the bottom. Each band gets the height its lines need: the
    figure grows by that much and the panels keep theirs (constrained layout, within the rest).
    """
    width, panels = fig.get_size_inches()
    room = width - 2 * PAD
    title = wrap(title[:1].upper() + title[1:], room, TITLE_SIZE, TITLE_LINES, bold=True)
    caption = wrap(caption, room, CAPTION_SIZE, CAPTION_LINES)
    title_h = text_lines(title) * TITLE_SIZE * LEADING / 72
    caption_h = text_lines(caption) * CAPTION_SIZE * LEADING / 72
    legend_h, ncols = 0.0, 1
    if legend and legend[0]:
        handles, labels = legend
        longest = max(len(x) for x in labels)
        fit = max(1, int(chars(room, LEGEND_SIZE) // (longest + 7)))
        ncols = legend_columns or min(len(labels), fit)
        rows = -(-len(labels) // ncols)
        legend_h = rows * LEGEND_SIZE * 1.75 / 72 + PAD
    height = panels + title_h + legend_h + caption_h + 4 * PAD
    fig.set_size_inches(width, height)
    top = 1 - PAD / height
    fig.suptitle(
        title, x=0.5, y=top, va="top", fontsize=TITLE_SIZE, fontweight="bold", in_layout=False
    )
    if legend_h:
        box = fig.legend(
            handles,
            labels,
            loc="upper center",
            bbox_to_anchor=(0.5, top - (title_h + PAD / 2) / height),
            ncols=ncols,
            fontsize=LEGEND_SIZE,
            borderaxespad=0.0,
        )
        box.set_in_layout(False)
    note = fig.text(
        PAD / width,
        PAD / height,
        caption,
        fontsize=CAPTION_SIZE,
        color="#333333",
        va="bottom",
        ha="left",
        gid="caption",
    )
    note.set_in_layout(False)
    bottom = (caption_h + 2 * PAD) / height
    used = (title_h + legend_h + 2 * PAD) / height
    engine = fig.get_layout_engine()
    engine.set(rect=(0.0, bottom, 1.0, 1.0 - used - bottom))
    # lay the panels out once and keep them there: saving as PNG and as SVG then draws twice
    # instead of laying out twice more (the layout is most of the cost of a figure)
    engine.execute(fig)
    fig.set_layout_engine("none")


def caption_of(fig) -> str:
    """The caption :func:`finish` wrote (its lines joined)."""
    for t in fig.texts:
        if t.get_gid() == "caption":
            return " ".join(t.get_text().split())
    return ""


def number(x: float, digits: int = 3) -> str:
    """A number for a figure: ``digits`` significant digits, a true minus sign.

    >>> number(0.45662), number(-1.5), number(1234.6)
    ('0.457', '−1.5', '1235')
    """
    text = f"{x:.0f}" if 10**digits <= abs(x) < 1e15 else f"{x:.{digits}g}"
    return text.replace("-", "\u2212")


def caption(source, *, seed: int | None, body: str = "", conditions: str = "") -> str:
    """The caption: the scenario (``source``, a :class:`~recip.plots.reading.Source`), the seed
    or that the values are exact, the claim map, the conditions, then ``body`` (how to read the
    figure)."""
    draws = f"seed {seed}" if seed is not None else "exact values (no random draws, no seed)"
    head = source.text()
    text = f"{head}; {draws}." if head else f"{draws[:1].upper()}{draws[1:]}."
    if source.claims:
        text += f" Claims: {source.claims}."
    if conditions:
        text += f" Conditions: {conditions}."
    if body:
        text += f" {body}"
    return text
