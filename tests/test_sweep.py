"""Sweeps (issue 7), as a user runs them: values equal independent evaluations, the CSV is the
same bytes for any executor and worker count, a killed or interrupted sweep resumes to the same
CSV, bad specifications are refused before anything is written, and the region map's break-even
line lies where the exact critical discount factor is."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

import recip
from recip.core.errors import ScenarioError
from recip.questions.sweep_spec import grid_values, is_sweep_text, split_values

SINDOOR = recip.load_scenario("sindoor-2025")
#: A sweep slow enough to be interrupted (240 values of the noise rate: a rebuilt scenario and
#: its chains each; a strategy parameter would be too quick, its points share chains) in chunks
#: small enough (60 of 12 points) that some finish first.
SLOW = (
    "--vary",
    "noise.execution=0:0.2:240",
    "--vary",
    "horizon.discount=0.5:0.9:3",
    "--chunk",
    "12",
    "--no-figures",
)
TOTAL_CHUNKS = 60


def recip_cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "recip", *args],
        capture_output=True,
        text=True,
        timeout=180,
        **kw,
    )


def start(*args: str) -> subprocess.Popen:
    """``recip`` in its own process group (as a terminal runs a job: Ctrl-C reaches every
    process of the group, the workers included)."""
    return subprocess.Popen(
        [sys.executable, "-m", "recip", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for_chunks(folder: Path, at_least: int, proc: subprocess.Popen) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        n = len(list((folder / "checkpoints").glob("chunk-*.npy")))
        if n >= at_least:
            return n
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.01)
    raise AssertionError("no chunk was checkpointed in time")


def table(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """The slow sweep, uninterrupted, on one worker."""
    out = tmp_path_factory.mktemp("reference")
    r = recip_cli("sweep", "sindoor-2025", *SLOW, "--workers", "1", "--out", str(out), "-q")
    assert r.returncode == 0, r.stderr
    assert not (out / "checkpoints").exists()  # removed once the files are written
    return out


# ----------------------------------------------------------------------------------------------
# values


def test_values_at_swept_points_equal_independent_comparisons():
    grid = {
        "payoffs.oil_revenue.russia": "1.5:5:3",
        "horizon.discount": "0.4,0.9",
        "strategies.india": "aligning,myopic",
        "noise.execution": "0,0.05",
    }
    s = SINDOOR
    sw = recip.sweep(s, grid, workers=1)
    assert sw.values.shape == (3 * 2 * 2 * 2, 2, 3)
    rng = np.random.default_rng(1)
    for k in rng.choice(len(sw.points), 6, replace=False):
        overrides = {
            key: item.axis.value(x)
            for key, item, x in zip(grid, sw.inputs, sw.points[k], strict=True)
        }
        c = recip.compare(s.with_overrides(overrides))
        assert_allclose(sw.values[k], c.values, atol=1e-12)
        assert sw.winners()[k] == c.policies[c.best]
    # the grid's order: the first key varies slowest
    assert sw.points[:, 0].tolist() == [1.5] * 8 + [3.25] * 8 + [5.0] * 8
    assert sw.points[:8, 1].tolist() == [0.4] * 4 + [0.9] * 4


def test_the_scenario_own_point_and_a_range_beyond_the_declared_one():
    # the cost of taking sides flips the verdict near -3.24, outside its declared [-2.5, -0.1]
    sw = recip.sweep(SINDOOR, {"payoffs.taking_sides.russia": "-5:0:11"}, workers=1)
    assert any("crosses the range the scenario declares" in n for n in sw.notes)
    winners = sw.winners()
    assert winners[:3] == ["balancing"] * 3 and winners[4:] == ["aligning"] * 7
    assert sw.own_point == (-1.0,)
    assert_allclose(sw.own_values, recip.compare(SINDOOR).values, atol=1e-12)
    # the advantage is linear in a payoff: its zero, from two points, is the break-even value
    a = sw.advantage[:, 1]
    x = np.array(sw.points[:, 0])
    slope = (a[-1] - a[0]) / (x[-1] - x[0])
    assert_allclose(a, a[0] + slope * (x - x[0]), atol=1e-12)
    assert -3.3 < x[0] - a[0] / slope < -3.2


def test_the_csv_has_one_exact_row_per_point():
    sw = recip.sweep(
        SINDOOR,
        {"horizon.discount": "0.5:0.99:8", "strategies.india": "aligning,always:support"},
        workers=1,
    )
    rows = list(csv.reader(io.StringIO(sw.to_csv())))
    assert rows[0] == [
        "horizon.discount",
        "strategies.india",
        *[f"value.{p}.{q}" for p in ("russia", "india", "pakistan") for q in sw.policies],
        "advantage.aligning",
        "winner",
    ]
    assert len(rows) == 1 + 16
    for row, k in zip(rows[1:], range(16), strict=True):
        assert float(row[0]) == sw.points[k, 0]
        assert row[1] == ("aligning", "always:support")[int(sw.points[k, 1])]
        assert float(row[2]) == sw.values[k, 0, 0] and float(row[3]) == sw.values[k, 1, 0]
        assert float(row[8]) == sw.values[k, 1, 0] - sw.values[k, 0, 0]
        assert row[9] == sw.winners()[k]
    assert rows[3][0] == "0.57"  # interior grid values read as written, not 0.5700000000000001


def test_a_design_is_seeded_and_stays_in_its_ranges():
    grid = {"horizon.discount": "0.3:0.99", "strategies.india": "aligning,myopic"}
    a = recip.sweep(SINDOOR, grid, design="sobol", samples=60, seed=3, workers=1)
    b = recip.sweep(SINDOOR, grid, design="sobol", samples=60, seed=3, workers=1)
    assert len(a.points) == 64  # Sobol': the next power of two
    assert a.to_csv() == b.to_csv()
    assert ((a.points[:, 0] >= 0.3) & (a.points[:, 0] <= 0.99)).all()
    assert set(a.points[:, 1]) == {0.0, 1.0}
    c = recip.sweep(SINDOOR, grid, design="lhs", samples=60, seed=4, workers=1)
    assert len(c.points) == 60 and not np.array_equal(a.points[:60], c.points)


def test_progress_counts_every_point():
    seen = []
    recip.sweep(SINDOOR, {"horizon.discount": "0.3:0.9:40"}, workers=1, progress=seen.append)
    assert sum(seen) == 40


def test_spec_syntax():
    assert is_sweep_text("0:1:11") and is_sweep_text("-5:0") and is_sweep_text("a,b")
    assert not is_sweep_text("always:support") and not is_sweep_text("[0.1, 0.2]")
    assert split_values('aligning, { name = "aligning", tolerance = 1 },myopic') == [
        "aligning",
        '{ name = "aligning", tolerance = 1 }',
        "myopic",
    ]
    assert grid_values(0.0, 1.0, 11)[3] == 0.3 and grid_values(0.5, 0.99, 50)[-1] == 0.99


@pytest.mark.parametrize(
    ("grid", "kw", "message"),
    [
        ({"horizon.discnt": "0.5:0.9:3"}, {}, "did you mean 'discount'"),
        ({"horizon.discount": "0.5:0.5:3"}, {}, "range is empty"),
        ({"horizon.discount": "0.9:0.5:3"}, {}, "range is reversed"),
        ({"horizon.discount": "0.5:0.9:1"}, {}, "whole number >= 2"),
        ({"horizon.discount": "0.5:0.9"}, {}, "a grid needs a count"),
        ({"horizon.discount": "0.5:0.9:5"}, {"design": "sobol", "samples": 8}, "without a count"),
        ({"horizon.discount": "0.5:1.5:5"}, {}, "at 1.5"),
        ({"strategies.india.tolerance": "0:2:3"}, {}, r"must be in \[0, 1\]"),
        ({"strategies.india": "aligning,myopc"}, {}, "myopc"),
        ({"horizon.discount": "0.5"}, {}, "at least two values"),
        ({"payoffs.oil_revenue.russia": "1,x"}, {}, "a payoff value is a number"),
        (
            {"strategies.india": "aligning,myopic", "strategies.india.tolerance": "0,1"},
            {},
            "at the point strategies.india=myopic",
        ),
        ({"horizon.discount": "0.1:0.9:2000000"}, {}, "MAX_SWEEP_POINTS"),
    ],
)
def test_bad_specifications_are_refused_before_any_work(tmp_path, grid, kw, message):
    with pytest.raises(ScenarioError, match=message):
        recip.sweep(SINDOOR, grid, workers=1, out=tmp_path / "out", **kw)
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------------------------
# the command line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--vary", "horizon.discnt=0.5:0.9:3"], "--vary horizon.discnt=0.5:0.9:3: key"),
        (["--vary", "horizon.discount=0.9:0.5:3"], "range is reversed"),
        (["--set", "horizon.discount=0.5:0.5:3"], "--set horizon.discount=0.5:0.5:3: key"),
        (["--vary", "strategies.india.tolerance=0:2:5"], "at 2: "),
        (["--set", "horizon.discount=0.5"], "nothing to sweep"),
    ],
)
def test_bad_specifications_exit_2_with_one_line_and_write_nothing(tmp_path, args, message):
    out = tmp_path / "out"
    r = recip_cli("sweep", "sindoor-2025", *args, "--out", str(out))
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1, r.stderr
    assert message in r.stderr and "Traceback" not in r.stderr
    assert not out.exists() and r.stdout == ""


def test_alternatives_whose_weights_do_not_sum_to_one_exit_2(tmp_path):
    text = SINDOOR.source and Path(SINDOOR.source).read_text(encoding="utf-8")
    text += (
        '\n[[alternatives.india]]\nstrategy = "aligning"\nweight = 0.5\n'
        '[[alternatives.india]]\nstrategy = "myopic"\nweight = 0.3\n'
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    r = recip_cli("sweep", str(bad), "--vary", "horizon.discount=0.5:0.9:3", "--out", str(out))
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert "alternatives.india" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()


def test_a_sweep_writes_its_files_and_quiet_progress_off_a_terminal(tmp_path):
    out = tmp_path / "out"
    r = recip_cli(
        "sweep",
        "sindoor-2025",
        "--vary",
        "horizon.discount=0.3:0.99:24",
        "--set",
        "strategies.india.tolerance=0,0.5,1",
        "--set",
        "noise.execution=0.01",
        "--out",
        str(out),
        "--workers",
        "1",
    )
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # stderr is a pipe here: no progress bar
    assert sorted(p.name for p in out.iterdir()) == [
        "region.png",
        "region.svg",
        "results.json",
        "sweep.csv",
    ]
    rows = table(out / "sweep.csv")
    assert len(rows) == 72 and rows[0]["strategies.india.tolerance"] == "0.0"
    assert "noise.execution=0.01" in r.stdout  # the fixed override is in the header
    assert "Where each policy is russia's best" in r.stdout


@pytest.mark.slow
def test_progress_shows_rate_and_time_left_on_a_terminal(tmp_path):
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    # a terminal of 24 rows and 120 columns (a new pty has none, and tqdm then draws nothing)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    p = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "recip",
            "sweep",
            "sindoor-2025",
            # long enough (800 rebuilt scenarios, several seconds) for the bar's 1 s delay
            "--vary",
            "noise.execution=0:0.2:800",
            "--no-figures",
            "--workers",
            "1",
            "--out",
            str(tmp_path / "out"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=slave,
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        seen += data
    assert p.wait() == 0
    text = seen.decode(errors="replace")
    assert "sweeping" in text and "points/s" in text and "<" in text  # rate, time left


@pytest.mark.slow
def test_any_executor_and_worker_count_give_the_same_bytes(reference, tmp_path):
    pytest.importorskip("distributed")
    for name, extra in (("two", ["--workers", "2"]), ("dask", ["--executor", "dask"])):
        out = tmp_path / name
        r = recip_cli("sweep", "sindoor-2025", *SLOW, *extra, "--out", str(out), "-q")
        assert r.returncode == 0, r.stderr
        for f in ("sweep.csv", "results.json"):
            assert (out / f).read_bytes() == (reference / f).read_bytes(), (name, f)


@pytest.mark.slow
def test_a_killed_sweep_resumes_to_the_same_csv(reference, tmp_path):
    out = tmp_path / "out"
    args = ("sweep", "sindoor-2025", *SLOW, "--workers", "2", "--out", str(out), "-q")
    p = start(*args)
    wait_for_chunks(out, 3, p)
    os.killpg(p.pid, signal.SIGKILL)
    p.wait()
    kept = len(list((out / "checkpoints").glob("chunk-*.npy")))
    assert 3 <= kept < TOTAL_CHUNKS, "the sweep finished before it was killed"
    assert not (out / "sweep.csv").exists()
    r = recip_cli(*args, "--resume")
    assert r.returncode == 0, r.stderr
    # the finished chunks are read, not computed again
    assert f"note: resumed: {kept} of {TOTAL_CHUNKS} chunks read from" in r.stderr
    assert (out / "sweep.csv").read_bytes() == (reference / "sweep.csv").read_bytes()
    assert (out / "results.json").read_bytes() == (reference / "results.json").read_bytes()
    assert not (out / "checkpoints").exists()


@pytest.mark.slow
def test_ctrl_c_keeps_finished_chunks_prints_one_line_and_exits_130(reference, tmp_path):
    out = tmp_path / "out"
    args = ("sweep", "sindoor-2025", *SLOW, "--workers", "2", "--out", str(out))
    p = start(*args)
    wait_for_chunks(out, 2, p)
    os.killpg(p.pid, signal.SIGINT)  # as a terminal's Ctrl-C: to the workers too
    stdout, stderr = p.communicate(timeout=60)
    assert p.returncode == 130, stderr
    assert stdout == "" and "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    saved = int(lines[0].split()[1])
    assert lines[0] == (
        f"interrupted: {saved} of {TOTAL_CHUNKS} chunks saved in {out}; rerun with --resume"
    )
    # nothing half-written: the finished chunks and the manifest, no output, no temporary file
    files = sorted(p.name for p in (out / "checkpoints").iterdir())
    assert files == [*[f"chunk-{i:06d}.npy" for i in _indices(files)], "manifest.json"], stderr
    assert len(files) == saved + 1 and sorted(os.listdir(out)) == ["checkpoints"], (files, stderr)
    r = recip_cli(*args, "--resume", "-q")
    assert r.returncode == 0, r.stderr
    assert (out / "sweep.csv").read_bytes() == (reference / "sweep.csv").read_bytes()


def _indices(files: list[str]) -> list[int]:
    return [int(f[6:12]) for f in files if f.startswith("chunk-")]


# ----------------------------------------------------------------------------------------------
# the region map


def test_the_break_even_line_is_the_exact_critical_discount():
    from recip.plots import figures
    from recip.plots.region import BREAK_EVEN

    oil = (1.5, 2.5, 3.5, 5.0)
    sw = recip.sweep(
        SINDOOR,
        {"horizon.discount": "0.3:0.7:81", "payoffs.oil_revenue.russia": ",".join(map(str, oil))},
        workers=1,
    )
    fig = figures(sw)["region"]
    ax = fig.axes[0]
    (line,) = [c for c in ax.collections if c.get_gid() == BREAK_EVEN]
    vertices = np.concatenate(line.allsegs[0])
    for y in oil:
        exact = recip.critical_discount(SINDOOR.with_overrides({"payoffs.oil_revenue.russia": y}))
        roots = [r for r in exact.roots if 0.3 < r < 0.7]
        assert len(roots) == 1
        on_row = vertices[np.isclose(vertices[:, 1], y)]
        assert len(on_row) == 1
        assert_allclose(on_row[0, 0], roots[0], atol=1e-4)
    # the scenario's own point is marked, and the title states the finding
    (star,) = [ln for ln in ax.get_lines() if ln.get_marker() == "*"]
    assert star.get_xydata().tolist() == [[0.9, 3.0]]
    assert "Aligning beats balancing for russia in" in fig._suptitle.get_text()
