"""Issue 3's commands as a user runs them: equilibria, threshold, export."""

from __future__ import annotations

import json
import re

import pytest

from test_cli import recip


def test_threshold_prints_the_closed_form_donation_game():
    # grim-free direct reciprocity in the donation game pays from delta = c / b = 1/3
    r = recip("threshold", "donation-game")
    assert r.returncode == 0, r.stderr
    assert "0.333333" in r.stdout
    doc = json.loads(recip("threshold", "donation-game", "--json").stdout)
    (crossing,) = doc["crossings"]
    assert crossing["discount"] == pytest.approx(1 / 3, abs=1e-9)


@pytest.mark.parametrize(("T", "R", "P"), [(5, 3, 1), (4, 3, 0), (7, 2, 1)])
def test_threshold_spe_of_grim_trigger_is_T_minus_R_over_T_minus_P(T, R, P):
    r = recip(
        "threshold",
        "prisoners-dilemma",
        "--what",
        "spe",
        "--json",
        "--set",
        'strategies.row="grim-trigger"',
        "--set",
        'strategies.col="grim-trigger"',
        "--set",
        "noise.execution=0",
        "--set",
        f"tables.round.row=[[{R}, 0], [{T}, {P}]]",
        "--set",
        f"tables.round.col=[[{R}, {T}], [0, {P}]]",
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    discounts = [c["discount"] for c in doc["crossings"]]
    assert discounts == pytest.approx([(T - R) / (T - P)], abs=1e-8)


def test_threshold_sentence_states_its_conditions():
    r = recip("threshold", "sindoor-2025", "--quiet")
    assert r.returncode == 0
    line = r.stdout.strip()
    assert re.search(
        r"aligning pays russia more than balancing when the discount factor is "
        r"above 0\.\d+",
        line,
    )
    assert "india plays aligning(tolerance=0)" in line and "noise" in line


def test_stage_equilibria_and_json():
    r = recip("equilibria", "prisoners-dilemma")
    assert r.returncode == 0
    assert "row defect; col defect" in r.stdout
    doc = json.loads(recip("equilibria", "prisoners-dilemma", "--json").stdout)
    assert doc["states"][0]["state"] == "round"


def test_unknown_state_is_one_message_exit_2():
    for cmd in (
        ("equilibria", "sindoor-2025", "--state", "india_atacked"),
        ("export", "sindoor-2025", "--state", "india_atacked"),
    ):
        r = recip(*cmd)
        assert r.returncode == 2
        assert len(r.stderr.strip().splitlines()) == 1
        assert "key '--state'" in r.stderr and "did you mean 'india_attacked'" in r.stderr


def test_meta_game_shows_best_responses():
    r = recip("equilibria", "sindoor-2025", "--meta", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["players"] == ["russia", "india", "pakistan"]


def test_export_requires_a_state_when_there_are_several():
    r = recip("export", "sindoor-2025")
    assert r.returncode == 2
    assert "--state" in r.stderr and "india_attacked" in r.stderr


def test_nfg_round_trip_through_the_command_line(tmp_path):
    path = tmp_path / "pd.nfg"
    r = recip("export", "prisoners-dilemma", "--out", str(path))
    assert r.returncode == 0, r.stderr
    assert path.read_text().startswith("NFG 1 R")
    v = recip("validate", str(path))
    assert v.returncode == 0, v.stderr
    e = recip("equilibria", str(path))
    assert e.returncode == 0 and "row defect; col defect" in e.stdout
    # the exported meta-game is a valid .nfg file too
    meta = tmp_path / "meta.nfg"
    assert recip("export", "prisoners-dilemma", "--meta", "--out", str(meta)).returncode == 0
    assert recip("equilibria", str(meta)).returncode == 0


def test_bad_nfg_file_is_one_message(tmp_path):
    path = tmp_path / "bad.nfg"
    path.write_text('NFG 1 R "broken" { "a" "b" } { 2 2 }\n1 2 3\n')
    r = recip("equilibria", str(path))
    assert r.returncode == 2, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and str(path) in r.stderr


def test_meta_game_reports_progress_per_profile(monkeypatch):
    # the command line's bar (tqdm on stderr, after one second) is fed once per profile
    import tqdm

    from recip import load_scenario
    from recip.cli.analysis_cmds import meta

    bars = []

    class Bar:
        def __init__(self, **kwargs):
            self.kwargs, self.done = kwargs, 0
            bars.append(self)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def update(self, n):
            self.done += n

    monkeypatch.setattr(tqdm, "tqdm", Bar)
    s = load_scenario("sindoor-2025")
    game = meta(s, ("russia=balancing,aligning,grim-trigger",), bar=True)
    (bar,) = bars
    # russia's three, india's five (aligning, balancing, myopic, always:support,
    # always:distance), pakistan's five (always:arm_ukraine, balancing, aligning, myopic,
    # always:stay_out)
    assert bar.done == game.payoffs[..., 0].size == 3 * 5 * 5
    assert bar.kwargs["delay"] == 1.0 and bar.kwargs["desc"] == "meta-game"
    assert meta(s, (), bar=False).payoffs.shape == (6, 5, 5, 3) and len(bars) == 1
