"""The notebooks run from top to bottom without error (executed with nbclient), and every cell
that draws a figure shows it as an image (not as the text ``<Figure size ...>``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
#: What marks a code cell as one that draws: recip's figures, or matplotlib directly.
PLOTTING = re.compile(r"\bfigures\(|\bpayoff_curves\(|\bplt\.|\bmatplotlib\b|\.plot\(")


def plotting_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and PLOTTING.search(c.source)]


def shows_an_image(cell) -> bool:
    return any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_shows_its_figures(path, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    errors = [
        o
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors
    silent = [c.source for c in plotting_cells(nb) if not shows_an_image(c)]
    assert not silent, f"plotting cells that show no image: {silent}"


def test_there_are_notebooks_and_they_draw():
    nbformat = pytest.importorskip("nbformat")
    assert NOTEBOOKS
    assert any(plotting_cells(nbformat.read(p, as_version=4)) for p in NOTEBOOKS)


def test_plotting_cells_are_recognised():
    nbformat = pytest.importorskip("nbformat")
    cell = nbformat.v4.new_code_cell('figures(c)["payoffs"]')
    text = nbformat.v4.new_code_cell("print(c.verdict)")
    nb = nbformat.v4.new_notebook(cells=[cell, text])
    assert plotting_cells(nb) == [cell]
    assert not shows_an_image(cell)
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBOR"})]
    assert shows_an_image(cell)
