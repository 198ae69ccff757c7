"""`recip sensitivity` as a user runs it: a subprocess, its exit code, what it prints and writes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from recip.cli import sensitivity_cmds
from recip.model.sampling import DESIGNS
from recip.questions.sensitivity import DEFAULT_SAMPLES


def recip(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "recip", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_the_command_line_states_the_same_defaults_as_the_library():
    assert sensitivity_cmds.DESIGNS == DESIGNS
    assert sensitivity_cmds.DEFAULT_SAMPLES == DEFAULT_SAMPLES


def test_sensitivity_prints_every_part_and_writes_results_and_the_tornado(tmp_path):
    out = tmp_path / "out"
    r = recip("sensitivity", "sindoor-2025", "--samples", "32", "--seed", "1", "--out", str(out))
    assert r.returncode == 0, r.stderr
    text = r.stdout
    for part in (
        "Tornado:",
        "Sobol' indices:",
        "Break-even values:",
        "Inert inputs:",
        "Where the verdict flips",
        "strategies.india.tolerance: flips just above 0",
        "horizon.discount: flips at 0.4566",
        "payoffs.taking_sides.russia: does not flip in its range [-2.5, -0.1]; beyond it, "
        "flips at -3.241",
        "strategies.india: flips under myopic and always:support",
        "payoffs.cheap_oil.india: pays only india",
    ):
        assert part in text, part
    table_lines = [line for line in text.splitlines() if "  " in line and not line.startswith(" ")]
    assert max(len(line) for line in table_lines) <= 100
    assert "Wrote" in text
    assert {p.name for p in out.iterdir()} == {"results.json", "tornado.png", "tornado.svg"}
    doc = json.loads((out / "results.json").read_text())
    assert doc["command"] == "sensitivity" and doc["kind"] == "sensitivity"
    assert doc["seed"] == 1 and doc["sobol"]["base_samples"] == 32
    assert doc["flip_region"]["sentence"] in " ".join(text.split())
    # not a terminal: no progress bar
    assert "points/s" not in r.stderr and "it/s" not in r.stderr


def test_json_and_quiet_and_the_same_bytes_for_a_seed(tmp_path):
    args = ("sensitivity", "sindoor-2025", "--samples", "16", "--input", "horizon.discount")
    one, two = recip(*args, "--json"), recip(*args, "--json", "--workers", "2")
    assert one.returncode == 0, one.stderr
    assert one.stdout == two.stdout
    doc = json.loads(one.stdout)
    (effect,) = doc["inputs"]
    assert effect["key"] == "horizon.discount"
    quiet = recip(*args, "--quiet")
    assert quiet.returncode == 0 and quiet.stdout.count("\n") == 1
    assert quiet.stdout.startswith("aligning beats balancing for russia by 0.3744 per round")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--input", "payoffs.oil_revenue.rusia"), "did you mean 'payoffs.oil_revenue.russia'"),
        (("--samples", "0"), "--samples"),
        (("--samples", "lots"), "--samples"),
        (("--samples", "5000000"), "MAX_SENSITIVITY_POINTS"),
        (("--method", "grid"), "--method"),
        (("--policy", "aligning"), "at least two policies"),
        (("--set", "horizon.discount=2"), "horizon.discount"),
    ],
)
def test_bad_specifications_exit_2_with_one_line_and_write_nothing(tmp_path, args, message):
    out = tmp_path / "out"
    r = recip("sensitivity", "sindoor-2025", *args, "--out", str(out))
    assert r.returncode == 2, r.stderr
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("error: ")
    assert message in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert not out.exists()


def test_a_scenario_without_uncertain_inputs_says_how_to_declare_them():
    r = recip("sensitivity", "prisoners-dilemma")
    assert r.returncode == 2
    assert "declares no uncertain inputs" in r.stderr and "docs/scenario-format.md" in r.stderr
