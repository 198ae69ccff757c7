"""Where `recip run` writes: checked before the analysis, never outside ./recip-out/ by default,
and a run with overrides never replaces the baseline's files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from recip.cli.folders import overrides_tag, safe_name
from test_cli import GOOD, recip


def only_error_line(r) -> str:
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("error: ") and "Traceback" not in r.stderr
    return lines[0]


# ----------------------------------------------------------------------------------------------
# Overrides: printed, recorded, and written beside the baseline


def test_an_overridden_run_keeps_the_baseline_files_and_says_what_it_overrode(tmp_path):
    base = recip("run", "prisoners-dilemma", cwd=tmp_path)
    assert base.returncode == 0, base.stderr
    folder = tmp_path / "recip-out" / "prisoners-dilemma"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    changed = recip("run", "prisoners-dilemma", "--set", "horizon.discount=0.5", cwd=tmp_path)
    assert changed.returncode == 0, changed.stderr
    # the baseline's files are untouched
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    # the header says what was overridden
    assert "Overrides: horizon.discount=0.5" in changed.stdout
    assert "Overrides:" not in base.stdout
    # the override's results are in their own folder, named by the overrides, and say so
    tag = overrides_tag([("horizon.discount", 0.5)])
    other = tmp_path / "recip-out" / f"prisoners-dilemma+{tag}"
    doc = json.loads((other / "results.json").read_text())
    assert doc["overrides"] == {"horizon.discount": 0.5}
    assert doc["comparison"]["evaluations"]["balancing"]["discount"] == 0.5
    assert str(other.relative_to(tmp_path)) in changed.stdout


def test_the_overrides_tag_ignores_order_and_tells_overrides_apart():
    a = overrides_tag([("horizon.discount", 0.5), ("noise.execution", 0.0)])
    b = overrides_tag([("noise.execution", 0.0), ("horizon.discount", 0.5)])
    assert a == b and len(a) == 8
    assert a != overrides_tag([("horizon.discount", 0.6), ("noise.execution", 0.0)])


def test_overrides_are_in_the_header_of_every_command():
    for args in (
        ("compare", "prisoners-dilemma"),
        ("equilibria", "prisoners-dilemma", "--spe"),
        ("threshold", "prisoners-dilemma"),
    ):
        r = recip(*args, "--set", "noise.execution=0", "--set", "strategies.col=grim-trigger")
        assert r.returncode == 0, r.stderr
        assert "Overrides: noise.execution=0, strategies.col=grim-trigger" in r.stdout, r.stdout


# ----------------------------------------------------------------------------------------------
# The default folder is always under ./recip-out/


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("sindoor-2025", "sindoor-2025"),
        ("../../etc/evil", "evil"),
        ("/abs/path/world", "world"),
        ("..", "scenario"),
        (".hidden", "hidden"),
        ("my world (v2)", "my_world_v2"),
        ("x" * 300, "x" * 80),
    ],
)
def test_safe_name(name, safe):
    assert safe_name(name) == safe


def test_a_scenario_given_by_an_outside_path_writes_under_recip_out(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "my-world.toml").write_text(GOOD)
    work = tmp_path / "work" / "sub"
    work.mkdir(parents=True)
    for arg in (str(outside / "my-world.toml"), "../../elsewhere/my-world.toml"):
        r = recip("run", arg, "--no-figures", cwd=work)
        assert r.returncode == 0, r.stderr
        assert (work / "recip-out" / "my-world" / "results.json").is_file()
        shutil.rmtree(work / "recip-out")
    # nothing was written next to the scenario or above the working folder
    assert sorted(p.name for p in outside.iterdir()) == ["my-world.toml"]
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["sub"]


def test_a_scenario_named_dotdot_writes_under_recip_out(tmp_path):
    (tmp_path / "..toml").write_text(GOOD)  # stem ".": would be recip-out/ itself
    r = recip("run", str(tmp_path / "..toml"), "--no-figures", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "recip-out" / "scenario" / "results.json").is_file()
    assert not (tmp_path / "recip-out" / "results.json").exists()


# ----------------------------------------------------------------------------------------------
# An output folder that cannot be written is refused before any work


def test_unwritable_out_is_refused_before_the_analysis(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    r = recip("run", "prisoners-dilemma", "--out", str(blocker / "out"), cwd=tmp_path)
    assert r.returncode == 2
    line = only_error_line(r)
    assert "--out" in line and str(blocker) in line and "not a folder" in line
    assert r.stdout == ""
    # checked first: before the comparison, whose own error (an unknown focal player) would
    # otherwise be the one reported
    r = recip("run", "prisoners-dilemma", "--out", str(blocker / "out"), "--focal", "nobody")
    assert r.returncode == 2 and "--out" in only_error_line(r)


def test_out_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "results"
    target.write_text("x")
    r = recip("run", "prisoners-dilemma", "--out", str(target))
    assert r.returncode == 2
    assert "--out" in only_error_line(r)
    assert target.read_text() == "x"


def test_empty_out_is_refused(tmp_path):
    r = recip("run", "prisoners-dilemma", "--out", "", cwd=tmp_path)
    assert r.returncode == 2
    assert "--out" in only_error_line(r)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_analysis_leaves_no_folder(tmp_path):
    # the probe makes the folder, then removes it: a refused scenario leaves nothing behind
    out = tmp_path / "deep" / "out"
    r = recip("run", "prisoners-dilemma", "--out", str(out), "--focal", "nobody")
    assert r.returncode == 2
    assert not (tmp_path / "deep").exists()


def test_export_to_an_unwritable_file_is_one_message(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    r = recip("export", "prisoners-dilemma", "--out", str(blocker / "pd.nfg"))
    assert r.returncode == 2
    assert "--out" in only_error_line(r)


def test_out_dot_writes_into_the_current_folder(tmp_path):
    r = recip("run", "prisoners-dilemma", "--out", ".", "--no-figures", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert Path(tmp_path / "results.json").is_file()
