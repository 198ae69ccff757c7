"""Figures by result type; text from a scenario file is fitted before it is drawn."""

from __future__ import annotations

import dataclasses

import pytest

import recip
from recip.plots import figures, render
from recip.plots.style import CAPTION_LINES, TITLE_LINES, caption_of
from recip.plots.text import label, paragraph


def test_figures_by_result_type():
    pd = recip.load_scenario("prisoners-dilemma")
    c = recip.compare(pd)
    figs = figures(c)
    assert list(figs) == ["payoffs"]
    fig = figs["payoffs"]
    assert fig._suptitle.get_text().startswith("Balancing beats aligning for row by")
    # under the panels: the scenario, its hash and the conditions
    note = caption_of(fig)
    assert f"Scenario prisoners-dilemma (sha256 {pd.hash[:8]})" in note
    assert c.conditions.text() in note
    assert list(figures(recip.critical_discount(pd))) == ["discount"]
    for other in (recip.is_subgame_perfect(pd), recip.equilibria(pd)):
        assert figures(other) == {}


def test_a_megabyte_of_text_is_cut_to_a_few_lines():
    """A caption of any length (conditions naming strategies) is cut to CAPTION_LINES lines and
    a legend label to one short line, whatever the scenario's strings; the figure still draws."""
    c = recip.compare("prisoners-dilemma")
    cond = dataclasses.replace(c.conditions, others=(("col", "T" * 1_000_000),))
    policies = ("balancing", "P" * 1_000_000, "always:defect")
    big = dataclasses.replace(c, conditions=cond, policies=policies)
    fig = figures(big)["payoffs"]
    assert fig._suptitle.get_text().count("\n") < TITLE_LINES
    note = next(t.get_text() for t in fig.texts if t.get_gid() == "caption")
    assert note.count("\n") < CAPTION_LINES and note.endswith("...")
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert max(len(x) for x in labels) <= 60 and labels[1].endswith("...")
    assert render(fig, "png").startswith(b"\x89PNG")


def test_dollars_and_controls_in_a_title_are_drawn_as_text():
    c = recip.compare("prisoners-dilemma")
    cond = dataclasses.replace(c.conditions, others=(("col", "Costs $5 and $\\frac{ a\x1b[31m"),))
    fig = figures(dataclasses.replace(c, conditions=cond))["payoffs"]
    assert "\x1b" not in caption_of(fig)
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
