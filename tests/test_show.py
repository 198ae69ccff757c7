"""`recip show`: the scenario as a reader needs it, payoffs added up from the file's terms and
tables (the expected numbers are summed here by hand from sindoor-2025.toml)."""

from __future__ import annotations

import json
import subprocess
import sys


def recip(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "recip", *args], capture_output=True, text=True, cwd=cwd
    )


def test_the_op_ed_scenario_shows_its_payoff_tables(tmp_path):
    r = recip("show", "sindoor-2025", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    text = r.stdout
    # Russia isolated, India supports and Pakistan arms Ukraine: Russia 3 + 1.5 - 1, India
    # 1.5 - 1, Pakistan 0.5; India keeps its distance and Pakistan stays out: nobody gets anything
    assert "support           4.5, 0.5, 0  3.5, 0.5, 0.5" in text
    assert "distance              0, 0, 0     -1, 0, 0.5" in text
    # India attacked: siding costs Russia 1 and pays India 2; balancing costs Russia 0.25
    assert "align_india         -1      2        -1" in text
    assert "balance          -0.25      0         0" in text
    assert "calm 0.5, russia_isolated 0.25, india_attacked 0.25" in text
    assert all(len(line) <= 100 for line in text.splitlines())
    assert not list(tmp_path.iterdir())  # nothing written


def test_json_and_one_state():
    doc = json.loads(recip("show", "prisoners-dilemma", "--json").stdout)
    (state,) = doc["states"]
    cells = {
        (r["actions"]["row"], r["actions"]["col"]): (r["payoffs"]["row"], r["payoffs"]["col"])
        for r in state["payoffs"]
    }
    assert cells[("defect", "cooperate")] == (5, 0) and cells[("cooperate", "cooperate")] == (3, 3)
    r = recip("show", "sindoor-2025", "--state", "india_attacked", "--json")
    assert [s["name"] for s in json.loads(r.stdout)["states"]] == ["india_attacked"]
    r = recip("show", "sindoor-2025", "--state", "nowhere")
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and "nowhere" in r.stderr


def test_many_states_and_joint_actions_are_capped(tmp_path):
    lines = ["schema = 1", 'title = "many"', 'players = ["a", "b", "c"]']
    for k in range(32):
        lines += [
            f"[states.s{k}]",
            "probability = 0.03125",
            "actions.a = { x = { b = 1 }, y = {}, z = { b = -1 }, w = {}, v = {} }",
            "actions.b = { x = { a = 1 }, y = {}, z = { a = -1 }, w = {}, v = {} }",
            "actions.c = { x = { a = 1 }, y = {}, z = { a = -1 }, w = {}, v = {} }",
        ]
    lines += ["[[payoffs]]", 'when = { a = "x" }', "a = 1", "b = 1", "c = 1"]
    lines += ["[horizon]", "discount = 0.9", "[strategies]", 'b = "aligning"', 'c = "aligning"']
    (tmp_path / "many.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = recip("show", "many.toml", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "... and 20 more states (--verbose, or --state NAME)." in r.stdout
    assert "... and 0 more" not in r.stdout and "more joint actions (--verbose)" in r.stdout
    full = recip("show", "many.toml", "--verbose", cwd=tmp_path).stdout
    assert "State s31" in full and "more joint actions" not in full


def test_listing_every_joint_action_is_capped(tmp_path):
    """40 states of 15 x 15 x 15 joint actions: 135,000 rows for --json, above its 100,000; one
    state at a time is fine, and the text shows the first rows of the first states."""
    acts = "{ " + ", ".join(f"a{k} = {{}}" for k in range(15)) + " }"
    lines = ["schema = 1", 'title = "wide"', 'players = ["p", "q", "r"]']
    for k in range(40):
        lines += [f"[states.s{k}]", "probability = 0.025"]
        lines += [f"actions.{p} = {acts}" for p in ("p", "q", "r")]
    lines += ["[[payoffs]]", 'when = { p = "a0" }', "p = 1", "q = 1", "r = 1"]
    lines += ["[horizon]", "discount = 0.9", "[strategies]", 'q = "balancing"', 'r = "balancing"']
    (tmp_path / "wide.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = recip("show", "wide.toml", "--json", cwd=tmp_path)
    assert r.returncode == 2 and "135,000 joint actions" in r.stderr and r.stdout == ""
    r = recip("show", "wide.toml", "--json", "--state", "s3", cwd=tmp_path)
    assert r.returncode == 0 and len(json.loads(r.stdout)["states"][0]["payoffs"]) == 3375
    r = recip("show", "wide.toml", cwd=tmp_path)
    assert r.returncode == 0 and "... and 3311 more joint actions (--verbose)" in r.stdout
    assert "... and 28 more states" in r.stdout
