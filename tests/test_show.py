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


def _block(text: str, start: str, rows: int) -> list[list[str]]:
    """The ``rows`` rows of the table that follows the line ``start`` (its header and rule
    skipped), split into cells."""
    lines = text.splitlines()
    k = lines.index(start)
    return [line.split() for line in lines[k + 3 : k + 3 + rows]]


def test_the_op_ed_scenario_shows_every_players_payoff_matrix(tmp_path):
    r = recip("show", "sindoor-2025", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    text = r.stdout
    # Russia isolated (rows: India, columns: Pakistan). Russia: oil 3 + cover 1.5 when India
    # supports, -1 when Pakistan arms Ukraine; India: cheap oil 1.5 - criticism 1 when it
    # supports; Pakistan: 0.5 when it arms Ukraine, whatever India does
    assert "  each player's payoff; rows: india, columns: pakistan" in text
    assert _block(text, "  russia:", 2) == [["support", "4.5", "3.5"], ["distance", "0", "-1"]]
    assert _block(text, "  india:", 2) == [["support", "0.5", "0.5"], ["distance", "0", "0"]]
    assert _block(text, "  pakistan:", 2) == [["support", "0", "0.5"], ["distance", "0", "0.5"]]
    # India attacked: siding costs Russia 1 and pays India 2; balancing costs Russia 0.25
    assert "align_india         -1      2        -1" in text
    assert "balance          -0.25      0         0" in text
    assert "calm 0.5, russia_isolated 0.25, india_attacked 0.25" in text
    assert all(len(line) <= 100 for line in text.splitlines())
    assert not list(tmp_path.iterdir())  # nothing written


def test_show_names_the_claims_of_each_state_and_term():
    text = recip("show", "sindoor-2025").stdout
    # the file: russia_isolated cites C2 and C6, india_attacked C5; each term its own
    assert "  claims cited: C2, C6" in text and "  claims cited: C5" in text
    assert "    payoffs.oil_revenue: russia +3 (1.5 to 5) when india plays support [C2]" in text
    assert "payoffs.taking_sides: russia -1 (-2.5 to -0.1) when russia plays align_india or" in (
        text
    )
    assert "Horizon: discount factor 0.9 (the chance of another round) [C7, C12]" in text
    assert "india aligning, tolerance 0 [C1, C11]" in text
    for claim in (f"C{k}" for k in range(1, 13)):
        assert f"  {claim}: " in text  # every claim of the map, in words
    doc = json.loads(recip("show", "sindoor-2025", "--json").stdout)
    isolated = next(s for s in doc["states"] if s["name"] == "russia_isolated")
    assert isolated["claims"] == ["C2", "C6"]
    terms = {t["key"]: t for t in isolated["terms"]}
    assert terms["payoffs.pakistani_arms"]["claims"] == ["C6"]
    assert terms["payoffs.pakistani_arms"]["values"]["pakistan"] == {
        "value": 0.5,
        "low": 0.0,
        "high": 1.0,
    }


def test_every_state_of_a_two_player_game_has_a_matrix_per_player():
    text = recip("show", "prisoners-dilemma").stdout
    # T = 5 > R = 3 > P = 1 > S = 0: row's matrix and col's (its transpose)
    assert _block(text, "  row:", 2) == [["cooperate", "3", "0"], ["defect", "5", "1"]]
    assert _block(text, "  col:", 2) == [["cooperate", "3", "5"], ["defect", "0", "1"]]


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
