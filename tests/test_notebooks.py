"""The teaching notebooks: they run from top to bottom (executed with nbclient, as CI runs them),
every cell tagged ``plot`` shows its figure as an image (not as the text ``<Figure size ...>``),
every widget cell shows its widget without a browser, the committed files carry no outputs, and
every exercise has its worked answer in ``notebooks/answers/``, which runs too.

Each notebook should run in under a minute; the time is recorded (``--durations``, and the
``seconds`` property of each test) and a slower run warns, but a busy machine does not fail the
test: the cell timeout is generous.
"""

from __future__ import annotations

import re
import time
import warnings
from pathlib import Path

import pytest

FOLDER = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))
ANSWERS = sorted((FOLDER / "answers").glob("*.ipynb"))
#: The notebooks of the course, in order (issue 10, item 6).
COURSE = ("01-the-op-ed-as-a-game", "02-when-does-balancing-win", "03-reciprocity-classics")
#: Calls that draw: a code cell making one must be tagged ``plot`` (and a tagged cell must make
#: one), so that the tag and the code cannot drift apart.
PLOTTING = re.compile(
    r"\bfigures\(|\bpayoff_curves\(|\bplt\.(show|subplots|figure|plot)\(|"
    r"\.(plot|imshow|hist|barh?|scatter)\("
)
EXERCISE = re.compile(r"^#+\s*Exercise (\d+)\b", re.MULTILINE)
ANSWER = re.compile(r"^#+\s*Answer (\d+)\b", re.MULTILINE)
WIDGET = "application/vnd.jupyter.widget-view+json"
#: Seconds a notebook should take at most (reported when exceeded, not asserted).
BUDGET = 60.0
#: Seconds any one cell may take before the run fails (generous: CI machines are shared).
CELL_TIMEOUT = 600


def read(path: Path):
    nbformat = pytest.importorskip("nbformat")
    return nbformat.read(path, as_version=4)


def code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def tagged(cell, tag: str) -> bool:
    return tag in cell.get("metadata", {}).get("tags", [])


def plotting_cells(nb) -> list:
    return [c for c in code_cells(nb) if tagged(c, "plot")]


def shows_an_image(cell) -> bool:
    return any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))


def numbers(nb, pattern: re.Pattern) -> list[int]:
    return [
        int(n) for c in nb.cells if c.cell_type == "markdown" for n in pattern.findall(c.source)
    ]


def answers_of(path: Path) -> Path:
    return FOLDER / "answers" / f"{path.stem}-answers.ipynb"


def test_the_course_is_there_with_its_answers():
    assert tuple(p.stem for p in NOTEBOOKS) == COURSE
    assert [p.name for p in ANSWERS] == [answers_of(p).name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS + ANSWERS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nbformat = pytest.importorskip("nbformat")
    nb = read(path)
    nbformat.validate(nb)
    for cell in code_cells(nb):
        assert cell.outputs == [], f"{path.name}: a cell has outputs: {cell.source[:60]!r}"
        assert cell.execution_count is None, f"{path.name}: an execution count"
        assert "execution" not in cell.metadata, f"{path.name}: execution timings"
    assert "widgets" not in nb.metadata, f"{path.name}: saved widget state"


@pytest.mark.parametrize("path", NOTEBOOKS + ANSWERS, ids=lambda p: p.stem)
def test_plot_tags_match_the_code(path):
    for cell in code_cells(read(path)):
        assert tagged(cell, "plot") == bool(PLOTTING.search(cell.source)), cell.source[:200]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_exercise_has_an_answer(path):
    nb = read(path)
    exercises = numbers(nb, EXERCISE)
    assert exercises, f"{path.name} has no exercises"
    assert exercises == list(range(1, len(exercises) + 1)), exercises
    assert plotting_cells(nb), f"{path.name} draws nothing"
    assert numbers(read(answers_of(path)), ANSWER) == exercises


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS + ANSWERS, ids=lambda p: p.stem)
def test_notebook_runs_and_shows_its_figures(path, tmp_path, record_property):
    nbclient = pytest.importorskip("nbclient")
    nb = read(path)
    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError, with the traceback, if any cell fails
    seconds = time.perf_counter() - start
    record_property("seconds", round(seconds, 1))
    if seconds > BUDGET:
        warnings.warn(f"{path.name} took {seconds:.0f} s (budget {BUDGET:.0f} s)", stacklevel=1)
    silent = [c.source[:200] for c in plotting_cells(nb) if not shows_an_image(c)]
    assert not silent, f"plotting cells that show no image: {silent}"
    widgets = [c for c in code_cells(nb) if tagged(c, "widget")]
    for cell in widgets:
        assert any(WIDGET in o.get("data", {}) for o in cell.outputs), cell.source[:200]


def test_plotting_cells_are_recognised():
    nbformat = pytest.importorskip("nbformat")
    cell = nbformat.v4.new_code_cell('figures(c)["payoffs"]')
    cell.metadata["tags"] = ["plot"]
    text = nbformat.v4.new_code_cell("print(c.verdict)")
    nb = nbformat.v4.new_notebook(cells=[cell, text])
    assert plotting_cells(nb) == [cell]
    assert PLOTTING.search(cell.source) and not PLOTTING.search(text.source)
    assert PLOTTING.search("fig, ax = plt.subplots()\nax.plot(x, y)\nplt.show()")
    assert not PLOTTING.search("%matplotlib inline\nimport matplotlib.pyplot as plt")
    assert not shows_an_image(cell)
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBOR"})]
    assert shows_an_image(cell)
    md = nbformat.v4.new_markdown_cell("### Exercise 1 — one round\n\n### Exercise 2 — more")
    assert numbers(nbformat.v4.new_notebook(cells=[md]), EXERCISE) == [1, 2]
