"""The command line as a user runs it: subprocesses, exit codes, messages, files."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

GOOD = """\
schema = 1
title = "A tiny test world"
players = ["row", "col"]

[states.round]
actions.row = { cooperate = { col = 1 }, defect = { col = -1 } }
actions.col = { cooperate = { row = 1 }, defect = { row = -1 } }

[tables.round]
row = [[3, 0], [5, 1]]
col = [[3, 5], [0, 1]]

[horizon]
discount = 0.9

[strategies]
col = "aligning"

[compare]
focal = "row"
"""


def recip(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "recip", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_default_run_prints_verdict_and_writes_files(tmp_path):
    out = tmp_path / "out"
    r = recip("run", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "Verdict: aligning beats balancing for russia" in r.stdout
    assert {p.name for p in out.iterdir()} == {
        "results.json",
        "payoffs.png",
        "payoffs.svg",
        "discount.png",
        "discount.svg",
    }
    doc = json.loads((out / "results.json").read_text())
    assert doc["scenario"]["name"] == "sindoor-2025"
    assert len(doc["scenario"]["hash"]) == 64
    assert doc["comparison"]["best"] == "aligning"
    # every number printed in the table is in results.json
    for policy, ev in doc["comparison"]["evaluations"].items():
        for player, value in ev["values"].items():
            assert f"{value:.4f}" in r.stdout, (policy, player)


def test_default_run_is_reproducible(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert recip("run", "--out", str(a)).returncode == 0
    assert recip("run", "--out", str(b)).returncode == 0
    for name in ("results.json", "payoffs.png", "payoffs.svg", "discount.png", "discount.svg"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_simulated_run_reproducible_and_json(tmp_path):
    args = [
        "compare",
        "prisoners-dilemma",
        "--method",
        "simulate",
        "--replicates",
        "400",
        "--seed",
        "3",
        "--json",
    ]
    a, b = recip(*args), recip(*args)
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    doc = json.loads(a.stdout)
    assert doc["seed"] == 3 and doc["method"] == "simulate"


def test_quiet_prints_one_line():
    r = recip("compare", "prisoners-dilemma", "--quiet")
    assert r.returncode == 0
    assert len(r.stdout.strip().splitlines()) == 1


def test_set_override_changes_the_numbers():
    base = json.loads(recip("compare", "prisoners-dilemma", "--json").stdout)
    changed = json.loads(
        recip("compare", "prisoners-dilemma", "--json", "--set", "horizon.discount=0.5").stdout
    )
    assert changed["overrides"] == {"horizon.discount": 0.5}
    assert base["comparison"]["advantage"] != changed["comparison"]["advantage"]


def test_listing_commands():
    r = recip("scenarios")
    assert r.returncode == 0 and "sindoor-2025" in r.stdout and "(default)" in r.stdout
    r = recip("strategies")
    assert r.returncode == 0
    for name in ("balancing", "aligning", "always", "zd", "memory-one", "myopic"):
        assert f"{name}:" in r.stdout
    r = recip("strategies", "--json")
    assert {s["name"] for s in json.loads(r.stdout)} >= {"balancing", "aligning"}
    r = recip("schema")
    schema = json.loads(r.stdout)
    assert schema["type"] == "object" and "horizon" in schema["properties"]
    # an independent validator agrees with recip about every bundled scenario and a bad one
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    root = Path(__file__).resolve().parents[1] / "scenarios"
    for path in sorted(root.glob("*.toml")):
        raw = tomllib.loads(path.read_text("utf-8"))
        if "base" in raw:  # an extension is a scenario once its base is merged in
            from recip.scenario.load import load_scenario, thaw

            raw = thaw(load_scenario(str(path)).data)
        data = json.loads(json.dumps(raw, default=str))
        assert list(validator.iter_errors(data)) == [], path.name
        for rates in ({"row": 0.1}, {"value": 0.1, "low": 0.0, "high": 0.2}):
            data["noise"] = {"execution": rates}
            assert validator.is_valid(data), rates
        data["noise"] = {"execution": {"row": 2}}
        assert not validator.is_valid(data)
        # a discount factor per player, each a number or an uncertain value
        data["noise"] = {"execution": 0.0}
        own = {"row": 0.9, "col": {"value": 0.5, "low": 0.1, "high": 0.8}}
        data["horizon"] = {"discount": own}
        assert validator.is_valid(data)
        data["horizon"] = {"discount": {"row": 1.5}}
        assert not validator.is_valid(data)


@pytest.mark.parametrize(
    "cmd",
    [
        "run",
        "compare",
        "validate",
        "strategies",
        "scenarios",
        "equilibria",
        "threshold",
        "export",
        "schema",
        "show",
        "explain",
        "report",
    ],
)
def test_every_command_has_help_with_an_example(cmd):
    r = recip(cmd, "--help")
    assert r.returncode == 0
    assert "Example:" in r.stdout


def test_validate_good_file(tmp_path):
    f = tmp_path / "good.toml"
    f.write_text(GOOD)
    r = recip("validate", str(f))
    assert r.returncode == 0, r.stderr
    assert "valid" in r.stdout


def _replace(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new)


# (file text, expected key in the message, expected phrase in the message)
BAD = {
    "not-toml": (GOOD.replace("[horizon]", "[horizon"), None, "line 13, column 9"),
    "unknown-key": (
        _replace("discount = 0.9", "discont = 0.9"),
        "horizon.discont",
        "did you mean 'discount'",
    ),
    "unknown-top-key": (GOOD + "\n[noize]\nexecution = 0.1\n", "noize", "did you mean 'noise'"),
    "unknown-player-in-actions": (
        _replace("actions.col = {", "actions.coll = {"),
        "states.round.actions.coll",
        "did you mean 'col'",
    ),
    "unknown-player-in-stance": (
        _replace("cooperate = { col = 1 }", "cooperate = { cole = 1 }"),
        "states.round.actions.row.cooperate.cole",
        "unknown player 'cole'",
    ),
    "unknown-state-in-table": (
        _replace("[tables.round]", "[tables.rund]"),
        "tables.rund",
        "did you mean 'round'",
    ),
    "unknown-state-in-term": (
        GOOD + '\n[[payoffs]]\nstate = "rond"\nrow = 1\n',
        "payoffs[0].state",
        "did you mean 'round'",
    ),
    "unknown-action-in-term": (
        GOOD + '\n[[payoffs]]\nwhen = { col = "defekt" }\nrow = 1\n',
        "payoffs[0].when.col",
        "did you mean 'defect'",
    ),
    "unknown-strategy-player": (
        _replace('col = "aligning"', 'colt = "aligning"'),
        "strategies.colt",
        "unknown player",
    ),
    "probabilities": (
        _replace("[states.round]", "[states.round]\nprobability = 0.7"),
        "states",
        "add up to 0.7",
    ),
    "nan": (_replace("discount = 0.9", "discount = nan"), "horizon.discount", "finite"),
    "inf-payoff": (GOOD + "\n[[payoffs]]\nrow = inf\n", "payoffs[0].row", "finite"),
    "non-numeric": (
        _replace("discount = 0.9", 'discount = "high"'),
        "horizon.discount",
        "must be a number",
    ),
    "non-numeric-table": (
        _replace("row = [[3, 0], [5, 1]]", 'row = [[3, "x"], [5, 1]]'),
        "tables.round.row[0][1]",
        "must be a number",
    ),
    "discount-one": (_replace("discount = 0.9", "discount = 1.0"), "horizon.discount", "[0, 1)"),
    "discount-negative": (
        _replace("discount = 0.9", "discount = -0.2"),
        "horizon.discount",
        "greater than or equal to 0",
    ),
    "rounds-zero": (_replace("discount = 0.9", "rounds = 0"), "horizon.rounds", "at least 1"),
    "empty-actions": (
        _replace(
            "actions.col = { cooperate = { row = 1 }, defect = { row = -1 } }", "actions.col = {}"
        ),
        "states.round.actions.col",
        "empty action list",
    ),
    "duplicate-player": (
        _replace('players = ["row", "col"]', 'players = ["row", "col", "row"]'),
        "players[2]",
        "listed twice",
    ),
    "duplicate-toml-key": (
        _replace("[horizon]\n", "[horizon]\ndiscount = 0.5\n"),
        None,
        "not valid TOML",
    ),
    "duplicate-term-id": (
        GOOD + '\n[[payoffs]]\nid = "a"\nrow = 1\n[[payoffs]]\nid = "a"\nrow = 2\n',
        "payoffs[1].id",
        "used twice",
    ),
    "stance": (
        _replace("cooperate = { col = 1 }", "cooperate = { col = 2 }"),
        "states.round.actions.row.cooperate.col",
        "a number from -1 (against) through 0 (neutral) to 1 (with), not 2",
    ),
    "incomplete-table": (
        _replace("row = [[3, 0], [5, 1]]", "row = [[3, 0], [5]]"),
        "tables.round.row[1]",
        "incomplete payoff table",
    ),
    "unknown-strategy": (
        _replace('col = "aligning"', 'col = "aligner"'),
        "strategies.col",
        "did you mean 'aligning'",
    ),
    "unknown-parameter": (
        _replace('col = "aligning"', 'col = { name = "aligning", tolerence = 1 }'),
        "strategies.col",
        "did you mean 'tolerance'",
    ),
    "parameter-range": (
        _replace('col = "aligning"', 'col = { name = "aligning", tolerance = 3 }'),
        "strategies.col.tolerance",
        "[0, 1]",
    ),
    "unknown-always-action": (
        _replace('col = "aligning"', 'col = "always:cooperat"'),
        "strategies.col",
        "did you mean 'cooperate'",
    ),
    "joint-action-limit": (
        'schema = 1\ntitle = "big"\nplayers = ["a", "b", "c", "d", "e"]\n[states.s]\n'
        + "".join(
            f"actions.{p} = {{ {', '.join(f'x{k} = {{}}' for k in range(10))} }}\n" for p in "abcde"
        )
        + "[horizon]\ndiscount = 0.5\n",
        "states.s.actions",
        "limit",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_one_message_exit_2_nothing_written(case, tmp_path):
    text, key, phrase = BAD[case]
    f = tmp_path / f"{case}.toml"
    f.write_text(text)
    out = tmp_path / "out"
    r = recip("run", str(f), "--out", str(out))
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    message = lines[0]
    assert "Traceback" not in r.stderr
    assert message.startswith("error: ") and str(f) in message
    if key is not None:
        assert f"key '{key}'" in message, message
    assert phrase in message, message
    assert not out.exists()
    # validate says the same
    v = recip("validate", str(f))
    assert v.returncode == 2 and v.stderr == r.stderr


def test_chain_limit_refused(tmp_path):
    players = [f"p{k}" for k in range(6)]
    acts = "".join(
        f"actions.{p} = {{ "
        + ", ".join(
            "a{} = {{ {} }}".format(
                j, ", ".join(f"{q} = {(j + k) % 3 - 1}" for k, q in enumerate(players) if q != p)
            )
            for j in range(3)
        )
        + " }\n"
        for p in players
    )
    strategies = "".join(f'{p} = {{ name = "aligning", memory = "grim" }}\n' for p in players)
    text = (
        f'schema = 1\ntitle = "six reciprocators"\nplayers = {json.dumps(players)}\n'
        f"[states.s]\n{acts}[horizon]\ndiscount = 0.9\n[noise]\nexecution = 0.1\n"
        f'[strategies]\n{strategies}[compare]\nfocal = "p0"\n'
    )
    f = tmp_path / "six.toml"
    f.write_text(text)
    r = recip("run", str(f), "--out", str(tmp_path / "out"))
    assert r.returncode == 2, r.stderr
    assert "limit for exact evaluation" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_unknown_scenario_name_suggests():
    r = recip("run", "sindoor-2026")
    assert r.returncode == 2
    assert "did you mean 'sindoor-2025'" in r.stderr


def test_bad_set_override_names_the_key():
    r = recip("compare", "prisoners-dilemma", "--set", "horizon.discount=2")
    assert r.returncode == 2
    assert "key 'horizon.discount'" in r.stderr
    r = recip("compare", "prisoners-dilemma", "--set", "horizon.discont=0.5")
    assert r.returncode == 2 and "did you mean 'discount'" in r.stderr


def test_unknown_policy_and_focal():
    r = recip("compare", "prisoners-dilemma", "--policy", "tit-for-tat")
    assert r.returncode == 2 and "unknown strategy 'tit-for-tat'" in r.stderr
    r = recip("compare", "prisoners-dilemma", "--focal", "rowe")
    assert r.returncode == 2 and "did you mean 'row'" in r.stderr


def test_usage_error_exit_2():
    r = recip("run", "--method", "guess")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
