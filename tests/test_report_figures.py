"""Figures by result type; text from a scenario file is fitted before it is drawn."""

from __future__ import annotations

import dataclasses

import pytest

import recip
from recip.plots import figures, render
from recip.plots.payoffs import NOTE_LINES, NOTE_WIDTH
from recip.plots.text import TITLE, label, paragraph


def with_title(c, title: str):
    """The comparison ``c`` about a scenario titled ``title`` (the loader is not asked)."""
    origin = dataclasses.replace(c.setting.origin, title=title)
    return dataclasses.replace(c, setting=dataclasses.replace(c.setting, origin=origin))


def test_figures_by_result_type():
    pd = recip.load_scenario("prisoners-dilemma")
    c = recip.compare(pd)
    figs = figures(c)
    assert list(figs) == ["payoffs"]
    fig = figs["payoffs"]
    assert fig._suptitle.get_text().startswith(pd.title)
    # under the panels: the verdict with its conditions
    note = fig.texts[-1].get_text().replace("\n", " ")
    assert c.conditions.text() in note and "shortened" not in note
    assert list(figures(recip.critical_discount(pd))) == ["discount"]
    for other in (recip.is_subgame_perfect(pd), recip.equilibria(pd)):
        assert figures(other) == {}


def test_a_megabyte_title_is_cut_to_one_line():
    c = with_title(recip.compare("prisoners-dilemma"), "T" * 1_000_000 + " end")
    fig = figures(c)["payoffs"]
    title = fig._suptitle.get_text()
    assert len(title) <= TITLE + 3 and "..." in title and "row: balancing vs aligning" in title
    note = fig.texts[-1].get_text()
    assert "the full title is in results.json" in note.replace("\n", " ")
    assert note.count("\n") < NOTE_LINES and max(map(len, note.splitlines())) <= NOTE_WIDTH + 3


def test_dollars_and_controls_in_a_title_are_drawn_as_text():
    c = with_title(recip.compare("prisoners-dilemma"), "Costs $5 and $\\frac{ a\x1b[31m")
    fig = figures(c)["payoffs"]
    assert "\x1b" not in fig._suptitle.get_text()
    assert render(fig, "png").startswith(b"\x89PNG")  # mathtext would fail on the open \frac


def test_figures_show_themselves_in_a_notebook():
    fig = figures(recip.compare("prisoners-dilemma"))["payoffs"]
    assert fig._repr_png_().startswith(b"\x89PNG")


@pytest.mark.parametrize("width", [10, 40])
def test_paragraph_keeps_to_its_lines(width):
    text = paragraph("word " * 10_000, width, 3)
    lines = text.splitlines()
    assert len(lines) == 3 and all(len(x) <= width for x in lines) and lines[-1].endswith("...")
    assert label("short") == "short" and label("$x$") == r"\$x\$"


def test_the_discount_figure_marks_every_critical_value(tmp_path):
    """The threshold's figure: the advantage on its grid, a dashed line at the critical discount
    factor (where the donation game's advantage d b - c changes sign: c / b = 1/3), the finding
    as its title; `recip threshold --out` writes it."""
    r = recip.critical_discount("donation-game", policies=["always:keep", "aligning"])
    (fig,) = figures(r).values()
    ax = fig.axes[0]
    dashed = [line.get_xdata()[0] for line in ax.lines if line.get_linestyle() == "--"]
    assert dashed == pytest.approx([1 / 3], abs=1e-6)
    assert "0.333" in fig._suptitle.get_text()
    import subprocess
    import sys

    out = tmp_path / "th"
    run = subprocess.run(
        [sys.executable, "-m", "recip", "threshold", "donation-game", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert (out / "discount.png").stat().st_size > 1000 and (out / "results.json").exists()
