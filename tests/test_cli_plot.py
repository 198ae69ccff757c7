"""`recip plot FIGURE SCENARIO|results.json`: draws any figure of the catalogue, again from a
saved results document, and refuses a bad name or a document of another result (exit 2)."""

from __future__ import annotations

import json

from test_cli import recip


def test_plot_draws_a_figure_and_the_results_it_was_drawn_from(tmp_path):
    r = recip(
        "plot", "timeline", "prisoners-dilemma", "--rounds", "12", "--seed", "4", cwd=tmp_path
    )
    assert r.returncode == 0, r.stderr
    folder = tmp_path / "recip-out" / "prisoners-dilemma"
    names = {p.name for p in folder.iterdir()}
    assert names == {"timeline.png", "timeline.svg", "timeline.json"}
    assert (folder / "timeline.png").stat().st_size > 10_000
    doc = json.loads((folder / "timeline.json").read_text())
    assert doc["kind"] == "timeline" and doc["seed"] == 4 and doc["rounds"] == 12
    assert doc["command"] == "plot" and doc["scenario"]["name"] == "prisoners-dilemma"
    # the first line says what the figure shows; then what was written
    assert r.stdout.startswith("One history (seed 4): col sides with row in")
    assert "Wrote recip-out/prisoners-dilemma/timeline.png" in r.stdout
    # drawn again from its document, to another folder: the same bytes
    again = recip("plot", "timeline", str(folder / "timeline.json"), "--out", "again", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    for ext in ("png", "svg"):
        assert (tmp_path / "again" / f"timeline.{ext}").read_bytes() == (
            folder / f"timeline.{ext}"
        ).read_bytes()
    assert not (tmp_path / "again" / "timeline.json").exists()


def test_run_s_results_json_draws_its_figures_again(tmp_path):
    run = recip("run", "prisoners-dilemma", "--out", "run", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    doc = tmp_path / "run" / "results.json"
    assert "critical_discount" in json.loads(doc.read_text())
    for figure in ("payoffs", "discount", "credibility"):
        r = recip("plot", figure, str(doc), "--out", "plots", cwd=tmp_path)
        assert r.returncode == 0, (figure, r.stderr)
    for name in ("payoffs.png", "payoffs.svg", "discount.png", "discount.svg"):
        assert (tmp_path / "plots" / name).read_bytes() == (tmp_path / "run" / name).read_bytes()
    # a figure the document cannot draw: exit 2, naming the ones it can
    r = recip("plot", "timeline", str(doc), cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "holds a comparison result" in r.stderr
    assert "payoffs, discount, credibility" in r.stderr


def test_plot_refuses_a_bad_name_with_the_nearest_ones(tmp_path):
    r = recip("plot", "timelime", "prisoners-dilemma", cwd=tmp_path)
    assert r.returncode == 2
    assert "did you mean 'timeline'?" in r.stderr and r.stderr.count("\n") == 1
    assert not (tmp_path / "recip-out").exists()


def test_plot_refuses_an_option_its_figure_does_not_take(tmp_path):
    r = recip("plot", "payoffs", "prisoners-dilemma", "--seed", "3", cwd=tmp_path)
    assert r.returncode == 2 and "--seed does not apply to the payoffs figure" in r.stderr
    r = recip("plot", "region", "prisoners-dilemma", "--vary", "horizon.discount=0.5:0.9:3")
    assert r.returncode == 2 and "a region map has two keys" in r.stderr


def test_plot_with_overrides_writes_to_a_folder_of_their_own(tmp_path):
    r = recip(
        "plot",
        "one-vs-many",
        "prisoners-dilemma",
        "--set",
        "horizon.discount=0.5",
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    (folder,) = (tmp_path / "recip-out").iterdir()
    assert folder.name.startswith("prisoners-dilemma+")
    doc = json.loads((folder / "one-vs-many.json").read_text())
    assert doc["overrides"] == {"horizon.discount": 0.5} and doc["discount"] == 0.5


def test_plot_region_with_two_keys(tmp_path):
    r = recip(
        "plot",
        "region",
        "sindoor-2025",
        "--vary",
        "horizon.discount=0.3:0.99:8",
        "--vary",
        "payoffs.taking_sides.russia=-3:0:4",
        "--out",
        "r",
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads((tmp_path / "r" / "region.json").read_text())
    assert doc["kind"] == "sweep" and len(doc["region"]["advantage"]) == 32
    assert (tmp_path / "r" / "region.svg").stat().st_size > 10_000
