"""Attacks on the command line, run as a user would: subprocesses with a memory cap and a
timeout (see ``attack_helpers``). Each section is one class of attack from issue 6 (§4, and the
black-box defects of §3); each test states the behaviour recip promises, not what it does today.

The promise, for every bad input: exit code 2 (bad input) or 1 (an analysis that cannot be
done), one line on stderr starting with ``error: `` that names the file and the key, no
traceback, no pydantic text, no numpy warning, within the timeout and the memory cap.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from pathlib import Path

import pytest

from attack_helpers import (
    CONTROL_CHARS,
    assert_clean_error,
    assert_no_noise,
    describe,
    files_under,
    run_recip,
)

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "scenario-format.md"

# A small, valid scenario (the README's), with `{...}` slots for the attacks.
PD = """\
schema = 1
title = "A tiny test world"
players = ["row", "col"]

[states.round]
actions.row = {{ cooperate = {{ col = {stance} }}, defect = {{ col = -1 }} }}
actions.col = {{ cooperate = {{ row = 1 }}, defect = {{ row = -1 }} }}

[tables.round]
row = [[{r}, 0], [5, 1]]
col = [[3, 5], [0, 1]]

[horizon]
discount = {discount}

[noise]
execution = 0.01

[strategies]
row = "aligning"
col = "aligning"

[compare]
focal = "row"
{extra}
"""


def pd_text(*, stance="1", r="3", discount="0.9", extra="") -> str:
    return PD.format(stance=stance, r=r, discount=discount, extra=extra)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def control_free(text: str) -> list[str]:
    """The raw control characters found in ``text`` (C0 ESC/BEL, C1 CSI, a lone 0x9b byte)."""
    return [repr(c) for c in (*CONTROL_CHARS, "\udc9b") if c in text]


# ================================================================================================
# 1. Crashes on malformed input
# ================================================================================================

DEEP = 5000


def _deep_cases(tmp: Path) -> dict[str, list[str]]:
    """Attack name -> recip arguments (files written into ``tmp``)."""
    base = pd_text()
    write(tmp / "arrays.toml", base + f"\nzzz = {'[' * DEEP}{']' * DEEP}\n")
    write(tmp / "tables.toml", base + f"\nzzz = {'{ a = ' * DEEP}1{' }' * DEEP}\n")
    write(
        tmp / "dotted.toml",
        base.replace("discount = 0.9", "discount" + ".a" * 3000 + " = 0.9"),
    )
    write(tmp / "deepcm.toml", f"schema = 1\nconclusion = {'[' * DEEP}{']' * DEEP}\n")
    write(tmp / "with-claims.toml", 'claims = "deepcm.toml"\n' + base)
    return {
        "nested-arrays": ["validate", "arrays.toml"],
        "nested-inline-tables": ["validate", "tables.toml"],
        "deep-dotted-key-where-a-number-goes": ["validate", "dotted.toml"],
        "nested-claim-map": ["validate", "with-claims.toml"],
        "nested-set-value": [
            "compare",
            "prisoners-dilemma",
            "--set",
            f"horizon.discount={'[' * DEEP}{']' * DEEP}",
        ],
        "nested-policy": [
            "compare",
            "prisoners-dilemma",
            "--policy",
            f"{{ name = {'[' * DEEP}{']' * DEEP} }}",
        ],
    }


@pytest.mark.parametrize(
    "case",
    [
        "nested-arrays",
        "nested-inline-tables",
        "deep-dotted-key-where-a-number-goes",
        "nested-claim-map",
        "nested-set-value",
        "nested-policy",
    ],
)
def test_malformed_deep_nesting_is_refused_cleanly(tmp_path, case):
    args = _deep_cases(tmp_path)[case]
    assert_clean_error(*run_recip(*args, cwd=tmp_path))


NFG_NUMBERS = [
    ("validate", "1/0"),
    ("equilibria", "1/0"),
    ("validate", "0/0"),
    ("validate", "-3/0.0"),
    ("validate", "1e400"),
    ("equilibria", "-1e400"),
    ("validate", "1.7976931348623159e308"),
    ("validate", "1" + "0" * 400 + "/3"),
    ("validate", "1e999999999999"),
]


@pytest.mark.parametrize(
    ("command", "number"), NFG_NUMBERS, ids=[f"{c}-{n[:24]}" for c, n in NFG_NUMBERS]
)
def test_malformed_nfg_number_is_refused_cleanly(tmp_path, command, number):
    write(tmp_path / "g.nfg", f'NFG 1 R "x" {{ "a" "b" }} {{ 2 2 }}\n\n1 1 0 2 0 2 {number} 1\n')
    code, out, err = run_recip(command, "g.nfg", cwd=tmp_path, timeout=30)
    assert_clean_error(code, out, err, mentions=("g.nfg",))


def _claim_map_bytes(kind: str) -> bytes:
    if kind == "random-bytes":
        return random.Random(6).randbytes(4000)
    if kind == "nul-bytes":
        return b"schema = 1\n\x00\x00\x00\x01\x02"
    if kind == "invalid-utf8":
        return b'schema = 1\nconclusion = "\xff\xfe\xc3("\n'
    if kind == "utf16":
        return 'schema = 1\nconclusion = "x"\n'.encode("utf-16")
    if kind == "png-header":
        return b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind", ["random-bytes", "nul-bytes", "invalid-utf8", "utf16", "png-header"]
)
def test_malformed_binary_claim_map_is_refused_cleanly(tmp_path, kind):
    write(tmp_path / "map.toml", _claim_map_bytes(kind))
    write(tmp_path / "s.toml", 'claims = "map.toml"\n' + pd_text())
    code, out, err = run_recip("validate", "s.toml", cwd=tmp_path)
    assert_clean_error(code, out, err, mentions=("map.toml",))


AUTOMATON = """\
schema = 1
title = "an automaton"
players = ["row", "col"]
[states.round]
actions.row = { cooperate = { col = 1 }, defect = { col = -1 } }
actions.col = { cooperate = { row = 1 }, defect = { row = -1 } }
[tables.round]
row = [[3, 0], [5, 1]]
col = [[3, 5], [0, 1]]
[horizon]
discount = 0.9
[automata.grudge.memories.m0]
play = "cooperate"
next = [RULE]
[automata.grudge.memories.m1]
play = "defect"
[strategies]
row = "grudge"
col = "aligning"
"""

RULES = [
    '{ state = 5, to = "m1" }',
    '{ state = 1.5, to = "m1" }',
    '{ state = true, to = "m1" }',
    '{ state = 2025-01-01, to = "m1" }',
    '{ state = ["round", 3], to = "m1" }',
    '{ when = { col = 7 }, to = "m1" }',
    '{ when = { col = true }, to = "m1" }',
    '{ when = { col = [1, 2] }, to = "m1" }',
    '{ when = { col = [[1]] }, to = "m1" }',
]


@pytest.mark.parametrize("rule", RULES)
def test_malformed_automaton_rule_is_refused_cleanly(tmp_path, rule):
    write(tmp_path / "auto.toml", AUTOMATON.replace("RULE", rule))
    code, out, err = run_recip("validate", "auto.toml", cwd=tmp_path)
    assert_clean_error(code, out, err, mentions=("auto.toml", "automata.grudge.memories.m0"))


@pytest.mark.parametrize("name", ["a=b.toml", "k=v", "horizon.discount=0.5.toml"])
def test_file_name_with_equals_sign_is_read_as_a_file(tmp_path, name):
    write(tmp_path / name, pd_text())
    code, out, err = run_recip("validate", name, cwd=tmp_path)
    assert code == 0, describe(code, out, err)
    assert "valid" in out


def test_missing_file_name_with_equals_sign_is_not_parsed_as_toml(tmp_path):
    code, out, err = run_recip("validate", "no=such.toml", cwd=tmp_path)
    line = assert_clean_error(code, out, err, mentions=("no=such.toml",))
    assert "<text>" not in line and "not valid TOML" not in line, line


@pytest.mark.parametrize("where", ["scenario", "claim-map"])
def test_utf8_bom_is_accepted(tmp_path, where):
    """Decision: a UTF-8 byte-order mark (as Windows editors write it) is accepted."""
    bom = b"\xef\xbb\xbf"
    if where == "scenario":
        write(tmp_path / "s.toml", bom + pd_text().encode())
    else:
        claim_map = (REPO / "seeds" / "gupta-2025-06-24.toml").read_bytes()
        write(tmp_path / "map.toml", bom + claim_map)
        write(tmp_path / "s.toml", 'claims = "map.toml"\n' + pd_text())
    command = "compare" if where == "scenario" else "validate"
    code, out, err = run_recip(command, "s.toml", cwd=tmp_path)
    assert code == 0, describe(code, out, err)


# What each kind of special path must be called in the message.
SPECIAL_WORDS = {
    "directory": ("director", "folder"),
    "fifo": ("regular file", "fifo", "pipe", "not a file", "special"),
    "symlink-loop": ("loop", "symbolic link", "symlink", "too many levels"),
    "device": ("regular file", "device", "not a file", "special"),
    "dangling-symlink": (
        "not found",
        "no such",
        "no scenario file",
        "broken",
        "dangling",
        "does not exist",
    ),
}


def _special_path(tmp: Path, kind: str) -> str:
    if kind == "directory":
        (tmp / "dir.toml").mkdir()
        return "dir.toml"
    if kind == "fifo":
        os.mkfifo(tmp / "f.toml")
        return "f.toml"
    if kind == "symlink-loop":
        (tmp / "l1.toml").symlink_to("l2.toml")
        (tmp / "l2.toml").symlink_to("l1.toml")
        return "l1.toml"
    if kind == "device":
        return "/dev/null"
    if kind == "dangling-symlink":
        (tmp / "gone.toml").symlink_to(tmp / "nowhere" / "x.toml")
        return "gone.toml"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", list(SPECIAL_WORDS))
def test_special_path_as_scenario_says_what_is_wrong(tmp_path, kind):
    arg = _special_path(tmp_path, kind)
    code, out, err = run_recip("validate", arg, cwd=tmp_path, timeout=20)
    line = assert_clean_error(code, out, err, mentions=(arg,))
    said = line.replace(arg, "").lower()  # the words must describe the path, not be its name
    assert any(w in said for w in SPECIAL_WORDS[kind]), (
        f"the message should say the path is a {kind} ({SPECIAL_WORDS[kind]}): {line}"
    )


@pytest.mark.parametrize("length", [300, 10_000])
def test_overlong_scenario_name_is_refused_cleanly(tmp_path, length):
    code, out, err = run_recip("validate", "x" * length + ".toml", cwd=tmp_path)
    assert_clean_error(code, out, err, max_len=500)


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfe\x00\x01", "schema = 1\n".encode("utf-16")],
    ids=["empty", "invalid-utf8", "utf16"],
)
def test_empty_or_undecodable_scenario_is_refused_cleanly(tmp_path, content):
    write(tmp_path / "bad.toml", content)
    code, out, err = run_recip("validate", "bad.toml", cwd=tmp_path)
    assert_clean_error(code, out, err, mentions=("bad.toml",))


# ================================================================================================
# 2. Finite numbers that overflow when added
# ================================================================================================

OVERFLOW_BODY = """\
schema = 1
title = "overflow"
players = ["row", "col"]
[states.round]
actions.row = { cooperate = { col = 1 }, defect = { col = -1 } }
actions.col = { cooperate = { row = 1 }, defect = { row = -1 } }
[horizon]
discount = 0.9
[noise]
execution = 0.01
[strategies]
row = "aligning"
col = "aligning"
[compare]
focal = "row"
"""

TABLE = "[tables.round]\nrow = {row}\ncol = [[3, 5], [0, 1]]\n"

OVERFLOWS = {
    # two finite terms whose sum is not a float
    "two-terms-1e308": "[[payoffs]]\nrow = 1e308\n[[payoffs]]\nrow = 1e308\n",
    # a single entry whose discounted sum 1.7e308 / (1 - 0.9) is not a float
    "table-1.7e308": TABLE.format(row="[[1.7e308, 0], [5, 1]]"),
    # a term and a table entry add up
    "term-plus-table": "[[payoffs]]\nrow = -1e308\n" + TABLE.format(row="[[-1e308, 0], [5, 1]]"),
    "three-terms-6e307": "".join("[[payoffs]]\nrow = 6e307\n" for _ in range(3)),
    # the nominal value of an uncertain term plus another term
    "uncertain-nominal": (
        "[[payoffs]]\nrow = { value = 1.5e308, low = 1e308, high = 1.6e308 }\n"
        "[[payoffs]]\nrow = 1e308\n"
    ),
    # a spread of 2e308 between two outcomes: every gain and advantage overflows
    "spread-2e308": TABLE.format(row="[[1e308, 0], [-1e308, 1]]"),
    # a constant 1e308 every round: its discounted sum 1e308 / (1 - 0.9) is not a float
    "flat-1e308": TABLE.format(row="[[1e308, 1e308], [1e308, 1e308]]"),
}


@pytest.mark.parametrize("case", list(OVERFLOWS))
def test_overflowing_payoffs_are_refused_by_validate(tmp_path, case):
    write(tmp_path / "big.toml", OVERFLOW_BODY + OVERFLOWS[case])
    code, out, err = run_recip("validate", "big.toml", cwd=tmp_path)
    assert_clean_error(code, out, err, mentions=("big.toml",))


@pytest.mark.parametrize("case", ["two-terms-1e308", "table-1.7e308"])
@pytest.mark.parametrize(
    "command",
    [["run"], ["compare"], ["export", "--format", "nfg"], ["threshold"]],
    ids=["run", "compare", "export", "threshold"],
)
def test_overflowing_payoffs_are_refused_by_every_command(tmp_path, case, command):
    write(tmp_path / "big.toml", OVERFLOW_BODY + OVERFLOWS[case])
    code, out, err = run_recip(*command, "big.toml", cwd=tmp_path)
    assert_clean_error(code, out, err, mentions=("big.toml",))
    assert not (tmp_path / "recip-out").exists(), "nothing is written for a refused scenario"
    for bad in ("inf", "nan", "e+30"):
        assert bad not in out, f"printed a number computed from {bad!r}\n" + describe(
            code, out, err
        )


# ================================================================================================
# 3. Sizes checked too late, or not at all
# ================================================================================================

SIZE_TIMEOUT = 30.0


def _hub(partners: int, *, own_states: bool) -> str:
    """A hub playing `aligning` with ``partners`` partners, each always helping: either all in one
    state (the hub picks whom to help), or each partner meeting the hub in a state of its own."""
    players = ["hub"] + [f"p{i}" for i in range(partners)]
    names = ", ".join(f'"{p}"' for p in players)
    lines = ["schema = 1", 'title = "hub"', f"players = [{names}]"]
    if own_states:
        for p in players[1:]:
            lines += [
                f"[states.meet_{p}]",
                f"probability = {1 / partners!r}",
                f"actions.hub = {{ help = {{ {p} = 1 }}, hurt = {{ {p} = -1 }} }}",
                f"actions.{p} = {{ help = {{ hub = 1 }}, harm = {{ hub = -1 }} }}",
            ]
    else:
        helps = ", ".join(f"help_{p} = {{ {p} = 1 }}" for p in players[1:])
        lines += ["[states.round]", f"actions.hub = {{ {helps}, wait = {{}} }}"]
        lines += [
            f"actions.{p} = {{ help = {{ hub = 1 }}, harm = {{ hub = -1 }} }}" for p in players[1:]
        ]
    lines += ["[[payoffs]]"] + [f"{p} = 1" for p in players]
    lines += ["[horizon]", "discount = 0.9", "[strategies]", 'hub = "aligning"']
    lines += [f'{p} = "always:help"' for p in players[1:]]
    return "\n".join(lines) + "\n"


def _uncertain_table(n: int) -> str:
    """Two players with ``n`` actions each and full tables of uncertain values."""
    acts = ", ".join(f"a{i} = {{}}" for i in range(n))
    lines = ["schema = 1", 'title = "wide"', 'players = ["row", "col"]', "[states.round]"]
    lines += [f"actions.row = {{ {acts} }}", f"actions.col = {{ {acts} }}", "[tables.round]"]
    for p in ("row", "col"):
        rows = []
        for i in range(n):
            entries = (f"{{ value = {(i * j) % 5}, low = -1, high = 9 }}" for j in range(n))
            rows.append("[" + ", ".join(entries) + "]")
        lines.append(f"{p} = [" + ",\n".join(rows) + "]")
    lines += ["[horizon]", "discount = 0.9", "[strategies]", 'row = "balancing"']
    lines.append('col = "balancing"')
    return "\n".join(lines) + "\n"


NFG_HEADERS = {
    "billion-strategies": 'NFG 1 R "x" { "a" "b" } { 1000000000 2 }\n',
    "billion-squared": 'NFG 1 R "x" { "a" "b" } { 1000000000 1000000000 }\n',
    "huge-integer": 'NFG 1 R "x" { "a" "b" } { 99999999999999999999999 2 }\n',
    "three-players-1e15": 'NFG 1 R "x" { "a" "b" "c" } { 100000 100000 100000 }\n\n1 2\n',
    "forty-thousand-squared": 'NFG 1 R "x" { "a" "b" } { 40000 40000 }\n\n1 2 3\n',
}


@pytest.mark.parametrize("case", list(NFG_HEADERS))
def test_size_nfg_header_is_refused_before_allocating(tmp_path, case):
    write(tmp_path / "big.nfg", NFG_HEADERS[case])
    code, out, err = run_recip("validate", "big.nfg", cwd=tmp_path, timeout=SIZE_TIMEOUT)
    assert_clean_error(code, out, err, mentions=("big.nfg",))


@pytest.mark.slow
@pytest.mark.parametrize(
    "case",
    ["ten-partners-own-states", "eight-partners-one-state", "uncertain-table-96x96"],
)
def test_size_validate_never_allocates_gigabytes(tmp_path, case):
    """`recip validate` either accepts these (within the memory cap and the timeout) or refuses
    them with a message; it must not build gigabytes of tables to find out."""
    text = {
        "ten-partners-own-states": lambda: _hub(10, own_states=True),
        "eight-partners-one-state": lambda: _hub(8, own_states=False),
        "uncertain-table-96x96": lambda: _uncertain_table(96),
    }[case]()
    write(tmp_path / "big.toml", text)
    code, out, err = run_recip("validate", "big.toml", cwd=tmp_path, timeout=SIZE_TIMEOUT)
    if code != 0:
        assert_clean_error(code, out, err, exit_codes=(1, 2), mentions=("big.toml",))


SIZE_OPTIONS = {
    "replicates-1e9": (["--method", "simulate", "--replicates", "1000000000"], "replicates"),
    "rounds-1e9": (["--method", "simulate", "--rounds", "1000000000"], "rounds"),
    "horizon-rounds-1e9-simulated": (
        ["--method", "simulate", "--set", "horizon.rounds=1000000000"],
        "rounds",
    ),
    "discount-0.99999999999-simulated": (
        ["--method", "simulate", "--set", "horizon.discount=0.99999999999"],
        "discount",
    ),
    "replicates-times-rounds": (
        ["--method", "simulate", "--replicates", "100000000", "--rounds", "100000"],
        "replicates",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "case"),
    [("compare", case) for case in SIZE_OPTIONS] + [("run", "replicates-1e9")],
)
def test_size_simulation_beyond_reach_is_refused_with_what_to_reduce(tmp_path, command, case):
    args, word = SIZE_OPTIONS[case]
    if command == "run":
        args = [*args, "--no-figures"]
    code, out, err = run_recip(
        command, "prisoners-dilemma", *args, cwd=tmp_path, timeout=SIZE_TIMEOUT
    )
    line = assert_clean_error(code, out, err, exit_codes=(1, 2))
    assert word in line, f"the message should say what to reduce ({word!r}): {line}"


@pytest.mark.slow
@pytest.mark.parametrize("value", ["1000000000", "99999999999999999999"], ids=["1e9", "1e20"])
def test_size_exact_horizon_of_a_billion_rounds_answers_or_refuses(tmp_path, value):
    code, out, err = run_recip(
        "compare",
        "prisoners-dilemma",
        "--set",
        f"horizon.rounds={value}",
        cwd=tmp_path,
        timeout=SIZE_TIMEOUT,
    )
    if code != 0:
        line = assert_clean_error(code, out, err, exit_codes=(1, 2))
        assert "rounds" in line, line
    else:
        assert_no_noise(err)


def _meta_sets(n: int, players: list[str]) -> list[str]:
    specs = ", ".join(f'{{ name = "aligning", generosity = {k / (2 * n)!r} }}' for k in range(n))
    out = []
    for p in players:
        out += ["--set", f"meta.candidates.{p}=[{specs}]"]
    return out


@pytest.mark.slow
def test_size_meta_game_just_under_its_limit_answers_or_refuses_in_time(tmp_path):
    """11^4 = 14,641 profiles of a four-player scenario: under the 20,000-profile limit, and
    about a minute of work. recip must estimate the work first: refuse, or answer within the
    timeout, showing progress when it takes more than a few seconds."""
    sets = _meta_sets(11, ["russia", "india", "pakistan", "china"])
    start = time.monotonic()
    code, out, err = run_recip(
        "equilibria", "counter-china-backs-pakistan", "--meta", *sets, cwd=tmp_path, timeout=60
    )
    elapsed = time.monotonic() - start
    if code != 0:
        assert_clean_error(code, out, err, exit_codes=(1, 2))
    elif elapsed > 10:
        assert err.strip(), f"{elapsed:.0f} s of work without any progress shown on stderr"


@pytest.mark.slow
def test_size_many_iid_world_states_scale(tmp_path):
    """500 i.i.d. world states, two players: a small chain; it must not take minutes."""
    lines = ["schema = 1", 'title = "many states"', 'players = ["row", "col"]']
    for k in range(500):
        lines += [
            f"[states.s{k}]",
            "probability = 0.002",
            "actions.row = { cooperate = { col = 1 }, defect = { col = -1 } }",
            "actions.col = { cooperate = { row = 1 }, defect = { row = -1 } }",
        ]
    lines += ["[[payoffs]]", 'when = { row = "cooperate" }', "col = 3", "row = -1"]
    lines += ["[[payoffs]]", 'when = { col = "cooperate" }', "row = 3", "col = -1"]
    lines += ["[horizon]", "discount = 0.9", "[noise]", "execution = 0.01", "[strategies]"]
    lines += ['row = "aligning"', 'col = "aligning"', "[compare]", 'focal = "row"']
    write(tmp_path / "many.toml", "\n".join(lines) + "\n")
    code, out, err = run_recip("compare", "many.toml", cwd=tmp_path, timeout=SIZE_TIMEOUT)
    if code != 0:
        assert_clean_error(code, out, err, exit_codes=(1, 2))


@pytest.mark.slow
@pytest.mark.parametrize(
    "title", ["A" * 1_000_000, "word " * 200_000], ids=["1MB-word", "1MB-text"]
)
def test_size_megabyte_title_does_not_hang_the_figure(tmp_path, title):
    text = (REPO / "scenarios" / "donation-game.toml").read_text()
    text = text.replace('title = "The repeated donation game"', f'title = "{title.strip()}"')
    write(tmp_path / "long.toml", text)
    code, out, err = run_recip("run", "long.toml", cwd=tmp_path, timeout=SIZE_TIMEOUT)
    if code != 0:
        assert_clean_error(code, out, err, exit_codes=(1, 2), max_len=500)
    else:
        assert_no_noise(err)


@pytest.mark.slow
def test_size_million_round_horizon_writes_a_reasonable_results_file(tmp_path):
    text = (REPO / "scenarios" / "donation-game.toml").read_text()
    text = text.replace("discount = 0.9 ", "rounds = 1000000\ndiscount = 0.9 ")
    assert "rounds = 1000000" in text
    write(tmp_path / "long.toml", text)
    code, out, err = run_recip(
        "run", "long.toml", "--no-figures", cwd=tmp_path, timeout=SIZE_TIMEOUT
    )
    if code != 0:
        assert_clean_error(code, out, err, exit_codes=(1, 2))
        return
    results = list(tmp_path.rglob("results.json"))
    assert results, describe(code, out, err)
    size = results[0].stat().st_size
    assert size < 5_000_000, f"results.json of {size / 1e6:.0f} MB for a one-state game"


# ================================================================================================
# 4. Outputs
# ================================================================================================

# A simulation that takes about ten seconds: an --out checked first fails long before it ends.
SLOW_ANALYSIS = ["--method", "simulate", "--replicates", "400000", "--seed", "1"]


@pytest.mark.parametrize(
    "target",
    ["afile/sub", "afile/sub/deeper", "/proc/recip-attack-out"],
    ids=["under-a-file", "deep-under-a-file", "under-proc"],
)
def test_out_unwritable_is_refused_before_the_analysis(tmp_path, target):
    write(tmp_path / "afile", "a regular file\n")
    start = time.monotonic()
    code, out, err = run_recip(
        "run", "prisoners-dilemma", *SLOW_ANALYSIS, "--out", target, cwd=tmp_path
    )
    elapsed = time.monotonic() - start
    assert_clean_error(code, out, err, mentions=(target.split("/")[0] or target,))
    assert elapsed < 5, f"--out was checked after the analysis ({elapsed:.1f} s)"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores chmod")
def test_out_read_only_folder_is_refused_before_the_analysis(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        start = time.monotonic()
        code, out, err = run_recip(
            "run", "prisoners-dilemma", *SLOW_ANALYSIS, "--out", "locked/out", cwd=tmp_path
        )
        elapsed = time.monotonic() - start
        assert_clean_error(code, out, err, mentions=("locked",))
        assert elapsed < 5, f"--out was checked after the analysis ({elapsed:.1f} s)"
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize("target", ["afile/x.nfg", "afile/sub/x.nfg"])
def test_out_unwritable_export_is_refused(tmp_path, target):
    write(tmp_path / "afile", "a regular file\n")
    code, out, err = run_recip(
        "export", "prisoners-dilemma", "--format", "nfg", "--out", target, cwd=tmp_path
    )
    assert_clean_error(code, out, err, mentions=("afile",))
    assert (tmp_path / "afile").read_text() == "a regular file\n"


def test_out_empty_does_not_write_into_the_current_folder(tmp_path):
    """Decision: `--out ""` is either refused (exit 2) or means the default folder; it never
    scatters results.json and figures into the current folder."""
    code, out, err = run_recip("run", "prisoners-dilemma", "--out", "", cwd=tmp_path)
    top = {p.name for p in tmp_path.iterdir() if p.is_file()}
    assert not top, f"files written into the current folder: {sorted(top)}"
    if code == 0:
        assert (tmp_path / "recip-out" / "prisoners-dilemma" / "results.json").is_file()
    else:
        assert_clean_error(code, out, err, mentions=("--out",))


def test_out_empty_export_is_refused_or_printed(tmp_path):
    code, out, err = run_recip(
        "export", "prisoners-dilemma", "--format", "nfg", "--out", "", cwd=tmp_path
    )
    assert not list(tmp_path.iterdir()), "export --out '' wrote into the current folder"
    if code == 0:
        assert out.startswith("NFG"), describe(code, out, err)
    else:
        assert_clean_error(code, out, err, mentions=("--out",))


# ================================================================================================
# 5. Messages
# ================================================================================================

PYDANTIC_PROVOKERS = [
    'noise.execution="a"',
    "noise.execution=-1",
    "noise.execution=[1]",
    "horizon=5",
    "nature=5",
    "payoffs=[5]",
    "players=[{}]",
    'history=[{ state = "round", actions = 5 }]',
]


@pytest.mark.parametrize("override", PYDANTIC_PROVOKERS)
def test_messages_carry_no_pydantic_text(tmp_path, override):
    write(tmp_path / "mine.toml", pd_text())
    code, out, err = run_recip("compare", "mine.toml", "--set", override, cwd=tmp_path)
    assert_clean_error(code, out, err, mentions=(override.split("=")[0].split(".")[0],))


IN_FILE_ERRORS = {
    "stance-true": (pd_text(stance="true"), "states.round.actions.row.cooperate.col"),
    "stance-false": (pd_text(stance="false"), "states.round.actions.row.cooperate.col"),
    "noise-string": (pd_text().replace("execution = 0.01", 'execution = "a"'), "noise.execution"),
    "discount-string": (pd_text(discount='"0.9"'), "horizon.discount"),
    "table-entry-string": (pd_text(r='"three"'), "tables.round.row"),
    "focal-number": (pd_text().replace('focal = "row"', "focal = 3"), "compare.focal"),
}


@pytest.mark.parametrize("case", list(IN_FILE_ERRORS))
def test_messages_are_one_line_naming_file_and_key(tmp_path, case):
    text, key = IN_FILE_ERRORS[case]
    write(tmp_path / "mine.toml", text)
    code, out, err = run_recip("validate", "mine.toml", cwd=tmp_path)
    assert_clean_error(code, out, err, mentions=("mine.toml", key))


LONG = "x" * 10_000


def _long_value_args(tmp: Path, case: str) -> list[str]:
    if case == "number-in-file":
        write(tmp / "mine.toml", pd_text(discount=f'"{LONG}"'))
        return ["validate", "mine.toml"]
    if case == "unknown-key-in-file":
        write(tmp / "mine.toml", pd_text(extra=f"{LONG} = 1"))
        return ["validate", "mine.toml"]
    if case == "strategy-name-in-file":
        write(tmp / "mine.toml", pd_text().replace('col = "aligning"', f'col = "{LONG}"'))
        return ["validate", "mine.toml"]
    if case == "number-list-in-file":
        write(tmp / "mine.toml", pd_text(discount="[" + ", ".join(["1"] * 5000) + "]"))
        return ["validate", "mine.toml"]
    if case == "aligning-initial":
        spec = f'{{ name = "aligning", initial = "{LONG}" }}'
        write(tmp / "mine.toml", pd_text().replace('col = "aligning"', f"col = {spec}"))
        return ["validate", "mine.toml"]
    if case == "set-value":
        return ["compare", "prisoners-dilemma", "--set", f'horizon.discount="{LONG}"']
    if case == "set-key":
        return ["compare", "prisoners-dilemma", "--set", f"{LONG}=1"]
    if case == "policy":
        return ["compare", "prisoners-dilemma", "--policy", LONG]
    if case == "focal":
        return ["compare", "prisoners-dilemma", "--focal", LONG]
    if case == "nfg-token":
        write(tmp / "g.nfg", f'NFG 1 R "x" {{ "a" "b" }} {{ 2 2 }}\n\n1 1 0 2 0 2 1 {LONG}\n')
        return ["validate", "g.nfg"]
    raise AssertionError(case)


@pytest.mark.parametrize(
    "case",
    [
        "number-in-file",
        "unknown-key-in-file",
        "number-list-in-file",
        "aligning-initial",
        "set-key",
        "focal",
        "nfg-token",
    ],
)
def test_messages_truncate_long_values(tmp_path, case):
    code, out, err = run_recip(*_long_value_args(tmp_path, case), cwd=tmp_path)
    assert_clean_error(code, out, err, max_len=500)


# ================================================================================================
# 6. Confinement
# ================================================================================================

MARKER = "MARKER_7f3a9c_SECRET"


def _confinement_tree(tmp: Path) -> Path:
    """tmp/secret*.toml (outside) and tmp/a/b/c/ (the scenario's folder; its parent is b/)."""
    write(
        tmp / "secret.toml",
        f'schema = 1\nconclusion = "{MARKER}"\n[source]\nauthor = "{MARKER}"\n'
        f'date = 2025-01-01\n[claims.C1]\nsummary = "{MARKER}"\nmodel = "{MARKER}"\n',
    )
    # values that a validator would quote back: a string where a number goes, an unknown key
    write(tmp / "secret-bad.toml", f'schema = "{MARKER}"\n{MARKER} = "{MARKER}"\n')
    folder = tmp / "a" / "b" / "c"
    folder.mkdir(parents=True)
    return folder


CLAIM_TARGETS = {
    "dotdot-valid-map": "../../../secret.toml",
    "dotdot-invalid-map": "../../../secret-bad.toml",
    "absolute-valid-map": "{tmp}/secret.toml",
    "absolute-invalid-map": "{tmp}/secret-bad.toml",
    "etc-passwd-absolute": "/etc/passwd",
    "etc-passwd-dotdot": "../../../../../../../../../../etc/passwd",
    "symlink-out-of-folder": "link.toml",
}


@pytest.mark.parametrize("case", list(CLAIM_TARGETS))
def test_confinement_claim_map_outside_is_refused_and_not_echoed(tmp_path, case):
    folder = _confinement_tree(tmp_path)
    target = CLAIM_TARGETS[case].format(tmp=tmp_path)
    if case == "symlink-out-of-folder":
        (folder / "link.toml").symlink_to(tmp_path / "secret.toml")
    write(folder / "s.toml", f'claims = "{target}"\n' + pd_text())
    commands = [["validate", "s.toml"]]
    if case in ("dotdot-invalid-map", "absolute-valid-map"):
        commands.append(["run", "s.toml", "--no-figures", "--out", "out"])
    for args in commands:
        code, out, err = run_recip(*args, cwd=folder)
        assert_clean_error(code, out, err, mentions=("claims",))
        for leak in (MARKER, "root:"):
            assert leak not in out + err, "echoed the target's content\n" + describe(code, out, err)
        written = "".join(p.read_text(errors="replace") for p in folder.rglob("*.json"))
        assert MARKER not in written


@pytest.mark.parametrize("where", ["beside", "parent-seeds", "bundled-name"])
def test_confinement_allows_documented_claim_map_places(tmp_path, where):
    """The documented places still work: the scenario's folder, its parent, a bundled seed."""
    folder = tmp_path / "project" / "scenarios"
    seed = (REPO / "seeds" / "gupta-2025-06-24.toml").read_text()
    ref = {
        "beside": "map.toml",
        "parent-seeds": "seeds/map.toml",
        "bundled-name": "gupta-2025-06-24",
    }[where]
    if where == "beside":
        write(folder / "map.toml", seed)
    elif where == "parent-seeds":
        write(tmp_path / "project" / "seeds" / "map.toml", seed)
    write(folder / "s.toml", f'claims = "{ref}"\n' + pd_text())
    code, out, err = run_recip("validate", "s.toml", cwd=folder)
    assert code == 0, describe(code, out, err)


@pytest.mark.parametrize(
    ("form", "name"),
    [
        ("absolute", "outside.toml"),
        ("dotdot", "outside.toml"),
        ("absolute", "...toml"),
        ("dotdot", "..toml"),
        ("dotdot", ".toml"),
    ],
)
def test_confinement_default_output_stays_under_recip_out(tmp_path, form, name):
    cwd = tmp_path / "work" / "here"
    cwd.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    write(elsewhere / name, (REPO / "scenarios" / "donation-game.toml").read_text())
    arg = str(elsewhere / name) if form == "absolute" else f"../../elsewhere/{name}"
    before = files_under(tmp_path)
    code, out, err = run_recip("run", arg, "--no-figures", cwd=cwd)
    if code != 0:
        assert_clean_error(code, out, err)
    new = files_under(tmp_path) - before
    for path in new:
        rel = path.relative_to(Path("work") / "here") if path.is_relative_to("work/here") else None
        assert rel is not None, f"wrote {path} outside the current folder"
        parts = rel.parts
        assert len(parts) == 3 and parts[0] == "recip-out", f"wrote {rel} outside recip-out/<name>/"
        assert parts[1] not in ("", ".", ".."), f"output folder name {parts[1]!r}"


EVIL = r"\u001b[31m", r"\u0007", r"\u009b"


def _evil_scenario() -> str:
    esc, bel, csi = EVIL
    return f"""\
schema = 1
title = "Evil {esc}red{esc}[0m title{bel} and {csi}2J"
description = "desc {esc}]0;pwned{bel} {csi}31m"
tags = ["t{esc}"]

[players.row]
label = "Row{esc}[5m{bel}"
description = "{bel}bell"

[players.col]
label = "C{csi}ol{bel}"

[states.round]
label = "Round{esc}[2J{bel}{csi}"
description = "{esc}[H{bel}"
actions.row = {{ cooperate = {{ col = 1 }}, defect = {{ col = -1 }} }}
actions.col = {{ cooperate = {{ row = 1 }}, defect = {{ row = -1 }} }}

[tables.round]
row = [[3, 0], [5, 1]]
col = [[3, 5], [0, 1]]

[horizon]
discount = 0.9

[noise]
execution = 0.01

[strategies]
row = {{ name = "aligning", label = "{esc}[31mx{bel}{csi}", note = "{bel}" }}
col = "aligning"

[compare]
focal = "row"
"""


CONTROL_COMMANDS = {
    "validate": ["validate", "evil.toml"],
    "compare": ["compare", "evil.toml"],
    "compare-json": ["compare", "evil.toml", "--json"],
    "run": ["run", "evil.toml", "--no-figures"],
    "equilibria": ["equilibria", "evil.toml"],
    "threshold": ["threshold", "evil.toml"],
    "export": ["export", "evil.toml", "--format", "nfg"],
    "set-title-raw": ["compare", "prisoners-dilemma", "--set", "title=a\x1b[31mb\x07c\x9bd"],
    "set-strategy-name": ["compare", "prisoners-dilemma", "--set", 'strategies.row="e\x07v\x9bil"'],
    "focal-option": ["compare", "prisoners-dilemma", "--focal", "\x1b[31mx\x07\x9b"],
    "scenario-argument": ["validate", "\x1b[31mx\x07\x9b.toml"],
    "policy-option": ["compare", "prisoners-dilemma", "--policy", "al\x07ign\x9bing"],
}


@pytest.mark.parametrize("case", list(CONTROL_COMMANDS))
def test_confinement_control_characters_never_reach_the_terminal(tmp_path, case):
    write(tmp_path / "evil.toml", _evil_scenario())
    code, out, err = run_recip(*CONTROL_COMMANDS[case], cwd=tmp_path)
    assert "Traceback" not in err, describe(code, out, err)
    found = control_free(out + err)
    assert not found, f"raw control characters {found} in the output\n" + describe(code, out, err)


# ================================================================================================
# 7. Defects of issue 6 §3 that a user can see
# ================================================================================================


@pytest.mark.parametrize(
    ("scenario", "override"),
    [
        ("donation-game", "payoffs[0].row=1"),
        ("donation-game", "payoffs[9].row=1"),
        ("history-2022-2025", 'history[0].actions.india="distance"'),
        ("prisoners-dilemma", "tables.round.row[1][0]=7"),
        ("prisoners-dilemma", 'strategies[row]="balancing"'),
    ],
)
def test_set_with_brackets_never_crashes(tmp_path, scenario, override):
    code, out, err = run_recip("compare", scenario, "--set", override, cwd=tmp_path)
    if code != 0:
        assert_clean_error(code, out, err, mentions=("--set",))
    else:
        assert_no_noise(err)


UNCERTAIN_SCENARIO = """\
schema = 1
title = "uncertain values in every documented place"
players = ["row", "col", "russia"]

[states.round]
probability = 0.5
actions.row = { cooperate = { col = 1 }, defect = { col = -1 } }
actions.col = { cooperate = { row = 1 }, defect = { row = -1 } }

[states.calm]
probability = 0.5

[tables.round]
row = [[{ value = 3, low = 2, high = 4 }, 0], [{ value = 5, low = 4, high = 6 }, 1]]
col = [[3, 5], [0, 1]]

[tables.calm]
row = { value = 1.0, low = 0.0, high = 2.0 }
col = 0

[[payoffs]]
id = "oil_revenue"
russia = { value = 3.0, low = 1.5, high = 5.0 }

[[payoffs]]
col = 0.5

[[payoffs]]
id = "spare"
russia = 1.0

[[payoffs]]
russia = { value = 1.0, low = 0.0, high = 2.0 }

[horizon]
discount = 0.9

[strategies]
row = "aligning"
col = "aligning"

[compare]
focal = "row"
"""

# For each parameter of UNCERTAIN_SCENARIO (by key, either dialect): a new nominal value inside
# its range, and a new low and high that keep the old nominal value inside.
UNCERTAIN_VALUES = {
    "payoffs.oil_revenue.russia": (4.0, 1.0, 6.0),
    "payoffs.3.russia": (1.5, -0.5, 2.5),
    "tables.round.row.1.0": (5.5, 3.5, 6.5),
    "tables.calm.row": (1.5, 0.5, 2.5),
}


def _documented_uncertain_keys() -> list[str]:
    """The keys docs/scenario-format.md gives for uncertain values ('keyed by where it sits')."""
    try:
        text = DOCS.read_text(encoding="utf-8")
        section = text.split("## Uncertain values", 1)[1].split("\n## ", 1)[0]
        sentence = section[section.index("keyed by where it sits") :]
        sentence = sentence[: sentence.index("\n\n")]
        keys = re.findall(r"`((?:payoffs|tables)[^`]*)`", sentence)
    except (OSError, IndexError, ValueError):
        keys = []
    return keys or ["<no uncertain-value keys found in docs/scenario-format.md>"]


def _canonical(key: str) -> str:
    return re.sub(r"\[(\d+)\]", r".\1", key)


@pytest.mark.parametrize("key", _documented_uncertain_keys())
def test_set_accepts_documented_uncertain_value_keys(tmp_path, key):
    assert _canonical(key) in UNCERTAIN_VALUES, f"the docs name {key!r}: extend this test"
    value, low, high = UNCERTAIN_VALUES[_canonical(key)]
    write(tmp_path / "u.toml", UNCERTAIN_SCENARIO)
    for k, v in ((f"{key}.low", low), (f"{key}.high", high), (key, value)):
        code, out, err = run_recip(
            "export",
            "u.toml",
            "--format",
            "nfg",
            "--state",
            "round",
            "--set",
            f"{k}={v}",
            cwd=tmp_path,
        )
        assert code == 0, f"--set {k}={v}\n" + describe(code, out, err)
    if _canonical(key) == "tables.round.row.1.0":  # row defects, col cooperates
        assert re.search(r'"defect cooperate" 5\.5,', out), out


@pytest.mark.parametrize(
    "override",
    [
        "horizon.discount=2",
        "payoffs.oil_revenue.russia=9",
        'strategies.india="bogus"',
        "noise.execution=2",
        'compare.focal="nobody"',
    ],
)
def test_set_errors_name_the_set_argument_not_the_installed_file(tmp_path, override):
    code, out, err = run_recip("compare", "sindoor-2025", "--set", override, cwd=tmp_path)
    line = assert_clean_error(code, out, err, mentions=("--set", override.split("=")[0]))
    assert "sindoor-2025.toml" not in line, f"names the installed file: {line}"


NO_PAYOFF = """\
schema = 1
title = "a player without payoffs"
players = ["row", "col"{third}]
[states.round]
actions.row = {{ give = {{ col = 1 }}, keep = {{}} }}
actions.col = {{ give = {{ row = 1 }}, keep = {{}} }}
[[payoffs]]
when = {{ col = "give" }}
row = 3.0
{col_term}
[horizon]
discount = 0.9
[strategies]
row = "aligning"
{col_strategy}
"""


@pytest.mark.parametrize(
    ("case", "valid"),
    [
        ("col-has-no-payoff", False),
        ("observer-has-no-payoff", False),
        ("col-has-an-explicit-zero-term", True),
    ],
)
def test_validate_reports_a_player_without_any_payoff(tmp_path, case, valid):
    text = NO_PAYOFF.format(
        third=', "observer"' if case == "observer-has-no-payoff" else "",
        col_term="" if case == "col-has-no-payoff" else "[[payoffs]]\ncol = 0.0\n",
        col_strategy='col = "aligning"',
    )
    write(tmp_path / "mine.toml", text)
    code, out, err = run_recip("validate", "mine.toml", cwd=tmp_path)
    if valid:
        assert code == 0, describe(code, out, err)
    else:
        who = "observer" if case == "observer-has-no-payoff" else "col"
        assert_clean_error(code, out, err, mentions=("mine.toml", who))


@pytest.mark.parametrize("case", ["two-players", "one-of-three", "acts-in-one-state-of-two"])
def test_validate_reports_an_acting_player_without_a_strategy(tmp_path, case):
    if case == "two-players":
        text = NO_PAYOFF.format(third="", col_term="[[payoffs]]\ncol = -1.0\n", col_strategy="")
    elif case == "one-of-three":
        text = NO_PAYOFF.format(
            third=', "cy"',
            col_term="[[payoffs]]\ncol = -1.0\ncy = 1.0\n",
            col_strategy='col = "aligning"',
        ).replace("[[payoffs]]", "actions.cy = { a = {}, b = {} }\n[[payoffs]]", 1)
    else:
        text = NO_PAYOFF.format(third="", col_term="[[payoffs]]\ncol = -1.0\n", col_strategy="")
        text = text.replace(
            "actions.col = { give = { row = 1 }, keep = {} }\n",
            "\n[states.other]\nactions.col = { give = { row = 1 }, keep = {} }\n",
        )
        text = text.replace("[states.round]", "[states.round]\nprobability = 0.5")
        text = text.replace("[states.other]", "[states.other]\nprobability = 0.5")
        text = text.replace('when = { col = "give" }\n', "")
    write(tmp_path / "mine.toml", text)
    code, out, err = run_recip("validate", "mine.toml", cwd=tmp_path)
    who = "cy" if case == "one-of-three" else "col"
    assert_clean_error(code, out, err, mentions=("mine.toml", who, "strateg"))


def test_validate_accepts_the_readme_scenario_whose_focal_player_has_no_strategy(tmp_path):
    """The README's example gives the focal player no strategy: `compare` supplies it."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    write(tmp_path / "readme.toml", block)
    code, out, err = run_recip("validate", "readme.toml", cwd=tmp_path)
    assert code == 0, describe(code, out, err)


ID_TERMS = """\
schema = 1
title = "terms with ids"
players = ["russia", "india"]
[states.russia_isolated]
actions.india = {{ support = {{ russia = 1 }}, distance = {{}} }}
[[payoffs]]
id = "first_term"
russia = 0.5
india = 0.5
[[payoffs]]
id = "oil_revenue"
{body}
[horizon]
discount = 0.9
[strategies]
india = "aligning"
"""


@pytest.mark.parametrize(
    "body",
    [
        'when = { india = "suport" }\nrussia = 3.0',
        'state = "nowhere"\nrussia = 3.0',
        "russia = { value = 9.0, low = 1.5, high = 5.0 }",
        'russia = "three"',
        "pakistan = 1.0",
    ],
    ids=["unknown-action", "unknown-state", "value-out-of-range", "not-a-number", "unknown-player"],
)
def test_messages_name_payoff_terms_by_id(tmp_path, body):
    write(tmp_path / "mine.toml", ID_TERMS.format(body=body))
    code, out, err = run_recip("validate", "mine.toml", cwd=tmp_path)
    line = assert_clean_error(code, out, err, mentions=("mine.toml", "payoffs.oil_revenue"))
    assert "payoffs[1]" not in line, line


@pytest.mark.parametrize(
    "override",
    [
        'payoffs.taking_sides.when.russia="nope"',
        'payoffs.cheap_oil.state="nowhere"',
        'payoffs.oil_revenue.russia="x"',
    ],
)
def test_set_messages_name_payoff_terms_by_id(tmp_path, override):
    code, out, err = run_recip("compare", "sindoor-2025", "--set", override, cwd=tmp_path)
    term = override.split(".")[1]
    line = assert_clean_error(code, out, err, mentions=(f"payoffs.{term}",))
    assert not re.search(r"payoffs\[\d+\]", line), line


@pytest.mark.parametrize(
    "args",
    [
        ["run", "sindoor-2025", "--no-figures"],
        ["run", "counter-china-backs-pakistan", "--no-figures"],
        ["compare", "counter-china-backs-pakistan"],
        ["compare", "sindoor-2025", "--method", "simulate", "--replicates", "400"],
    ],
    ids=["run-sindoor", "run-four-players", "compare-four-players", "compare-simulated"],
)
def test_run_tables_fit_100_columns(tmp_path, args):
    """Every line of a table (a line with columns: two or more runs of 2+ spaces between
    words) fits 100 columns. Prose lines (the header sentence, `Verdict:`, `Wrote`) are not
    tables and are not held to it here."""
    code, out, err = run_recip(*args, cwd=tmp_path)
    assert code == 0, describe(code, out, err)
    table = [line for line in out.splitlines() if re.search(r"\S {2,}\S.* {2,}\S", line)]
    assert table, f"no table found in the output:\n{out}"
    wide = [line for line in table if len(line) > 100]
    assert not wide, f"{len(wide)} table lines over 100 columns, e.g.\n{wide[0]}"


def _find_key(doc, key):
    if isinstance(doc, dict):
        if key in doc:
            return doc[key]
        for v in doc.values():
            found = _find_key(v, key)
            if found is not None:
                return found
    return None


@pytest.mark.slow
def test_run_with_set_reports_the_override_and_keeps_the_baseline(tmp_path):
    code, out, err = run_recip("run", "sindoor-2025", "--no-figures", cwd=tmp_path)
    assert code == 0, describe(code, out, err)
    baseline = tmp_path / "recip-out" / "sindoor-2025" / "results.json"
    before = baseline.read_bytes()
    code, out, err = run_recip(
        "run", "sindoor-2025", "--no-figures", "--set", "horizon.discount=0.5", cwd=tmp_path
    )
    assert code == 0, describe(code, out, err)
    header = "\n".join(out.splitlines()[:5])
    assert "horizon.discount" in header and "0.5" in header, f"header:\n{header}"
    assert baseline.read_bytes() == before, "the run with --set overwrote the baseline's results"
    others = [p for p in tmp_path.rglob("results.json") if p != baseline]
    assert len(others) == 1, [str(p) for p in tmp_path.rglob("results.json")]
    overrides = _find_key(json.loads(others[0].read_text()), "overrides")
    assert overrides is not None, "results.json records no overrides"
    assert "horizon.discount" in json.dumps(overrides) and "0.5" in json.dumps(overrides)


@pytest.mark.parametrize(
    "calm",
    ["row = 1.0\ncol = 2", "row = { value = 1.0, low = 0.0, high = 2.0 }\ncol = -1"],
    ids=["numbers", "uncertain"],
)
def test_single_number_table_for_a_state_where_nobody_acts_loads(tmp_path, calm):
    text = f"""\
schema = 1
title = "a quiet state with a table"
players = ["row", "col"]
[states.calm]
probability = 0.5
[states.round]
probability = 0.5
actions.row = {{ give = {{ col = 1 }}, keep = {{}} }}
actions.col = {{ give = {{ row = 1 }}, keep = {{}} }}
[tables.calm]
{calm}
[tables.round]
row = [[2, -1], [3, 0]]
col = [[2, 3], [-1, 0]]
[horizon]
discount = 0.9
[strategies]
row = "aligning"
col = "aligning"
[compare]
focal = "row"
"""
    write(tmp_path / "quiet.toml", text)
    code, out, err = run_recip("compare", "quiet.toml", cwd=tmp_path)
    assert code == 0, describe(code, out, err)
