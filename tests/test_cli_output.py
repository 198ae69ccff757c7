"""What the command line prints: control characters from a scenario file never reach the
terminal raw, warnings never appear as raw Python warnings, bad command-line numbers get one
line naming the option and the limit."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from conftest import pd_data
from recip.cli.output import captured_warnings, json_visible, one_line, visible
from recip.io.toml_out import dumps

#: Raw characters that must never be printed: ESC, BEL, CSI (C1), DEL, a bidi override, CR.
RAW = ("\x1b", "\x07", "\x9b", "\x7f", "\u202e", "\r")

#: A scenario whose every free text carries control characters (TOML escapes them as \uXXXX).
HOSTILE = r"""
schema = 1
title = "Evil\u001b]0;pwned\u0007 title\u001b[2J\u009b31m\u007f\u202eend\r"
description = "desc\u001b[31m"

[players.row]
label = "Row\u001b[1m"
[players.col]
label = "Col\u009b1m"

[states.round]
label = "the \u001b[5mround"
actions.row = { cooperate = { col = 1 }, defect = { col = -1 } }
actions.col = { cooperate = { row = 1 }, defect = { row = -1 } }

[tables.round]
row = [[3, 0], [5, 1]]
col = [[3, 5], [0, 1]]

[horizon]
discount = 0.9

[strategies]
row = "aligning"
col = "aligning"

[compare]
focal = "row"
"""


def recip_bytes(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run recip; return exit code and stdout/stderr decoded without loss (every raw byte kept)."""
    r = subprocess.run(
        [sys.executable, "-m", "recip", *args], capture_output=True, cwd=cwd, timeout=300
    )
    decode = lambda b: b.decode("utf-8", "surrogateescape")  # noqa: E731
    return r.returncode, decode(r.stdout), decode(r.stderr)


def assert_confined(code: int, out: str, err: str) -> None:
    for ch in RAW:
        assert ch not in out, (repr(ch), out[-2000:])
        assert ch not in err, (repr(ch), err[-2000:])
    assert "Traceback" not in err, err


@pytest.fixture
def hostile(tmp_path) -> Path:
    path = tmp_path / "hostile.toml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def test_visible_escapes_every_control_but_newline_and_tab():
    text = "a\x1b[31mb\x07c\x9bd\x7fe\u202ef\tg\nh\ri\x00"
    shown = visible(text)
    assert shown == "a\\x1b[31mb\\x07c\\x9bd\\x7fe\\u202ef\tg\nh\\x0di\\x00"
    assert visible("plain — ± … text") == "plain — ± … text"


def test_json_visible_keeps_json_valid_and_lossless():
    doc = {"title": "x\x1b[31m\x9b\x7f\u202e"}
    text = json_visible(json.dumps(doc, ensure_ascii=False))
    assert not any(ch in text for ch in RAW)
    assert json.loads(text) == doc


def test_error_messages_are_one_line_of_bounded_length():
    assert one_line("a\n  b\n") == "a b"
    long = "start " + "x" * 10_000 + " end"
    short = one_line(long)
    assert len(short) <= 490 and short.startswith("start") and short.endswith("end")
    kept = len(short) - len(" ... (9560 characters left out) ... ")
    assert f" ... ({len(long) - kept} characters left out) ... " in short


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ("run", "--out", "OUT"),
        ("compare",),
        ("compare", "--method", "simulate", "--replicates", "200"),
        ("equilibria",),
        ("equilibria", "--meta"),
        ("equilibria", "--spe"),
        ("threshold",),
        ("threshold", "--quiet"),
        ("export",),
        ("validate",),
    ],
    ids=lambda a: "-".join(a[:2]),
)
def test_control_characters_in_a_scenario_never_reach_the_terminal(hostile, tmp_path, args):
    """A scenario may not hold control characters (titles, labels and free text are refused at
    load); the refusal itself is one confined line naming the key."""
    args = tuple(str(tmp_path / "out") if a == "OUT" else a for a in args)
    code, out, err = recip_bytes(args[0], str(hostile), *args[1:])
    assert code == 2, err
    assert_confined(code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "without control characters" in lines[0], err
    assert not (tmp_path / "out").exists()


def test_printed_text_shows_control_characters_as_visible_escapes():
    """The second line of defence, for text that reaches the printer from anywhere (an argument
    echoed in an error, a future field): every control character becomes visible text, and JSON
    keeps the exact text as escapes that read back."""
    from recip.cli.output import json_visible, visible

    raw = "Evil\x1b]0;pwned\x07 title\x1b[2J\x9b31m\x7f\u202eend\r"
    shown = visible(raw)
    assert not any(ch in shown for ch in RAW)
    assert "\\x1b" in shown
    doc = json_visible(json.dumps({"title": raw}, ensure_ascii=False))
    assert not any(ch in doc for ch in RAW)
    assert json.loads(doc)["title"] == raw


@pytest.mark.parametrize(
    "args",
    [
        ("run", "no-such-\x1b[31mscenario\x9b"),
        ("compare", "prisoners-dilemma", "--set", "horizon.disc\x1b[2Jount=0.5"),
        ("equilibria", "prisoners-dilemma", "--state", "ro\x1b]0;x\x07und"),
        ("compare", "prisoners-dilemma", "--method", "gu\x1bess"),
        ("compare", "prisoners-dilemma", "--no-such-\x1b[1moption"),
    ],
    ids=["scenario-name", "set-key", "state", "choice", "option"],
)
def test_control_characters_in_arguments_never_reach_the_terminal(args):
    code, out, err = recip_bytes(*args)
    assert code == 2, err
    assert_confined(code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err


# ----------------------------------------------------------------------------------------------
# Warnings


def _warn(message: str, category: type[Warning], filename: str) -> None:
    warnings.warn_explicit(message, category, filename=filename, lineno=1)


def test_warnings_become_notes_or_are_dropped(capsys):
    recip_file = str(Path("src") / "recip" / "engine" / "exact.py")
    with captured_warnings(shown={"already printed"}):
        warnings.simplefilter("always")
        _warn("divide by zero encountered in divide", RuntimeWarning, recip_file)
        _warn("grim-trigger never fires: defect has stance 0", UserWarning, recip_file)
        _warn("already printed", UserWarning, recip_file)
        _warn("Glyph 27 missing from font(s) DejaVu Sans.", UserWarning, "matplotlib/text.py")
        _warn("np.foo is deprecated", DeprecationWarning, recip_file)
    err = capsys.readouterr().err
    assert err == "note: grim-trigger never fires: defect has stance 0\n"


#: The prisoner's dilemma of conftest with payoffs near 1e200 (R, S, T, P), as a file would hold it.
PD_HUGE = dumps(pd_data(1e200, 0.0, 1.5e200, 1.0, strategies={"col": "aligning"}))


def test_numpy_warnings_never_reach_stderr(tmp_path):
    # the stage-game solver squares payoffs of 1e200 (numpy warns of an overflow)
    path = tmp_path / "huge.toml"
    path.write_text(PD_HUGE)
    code, _, err = recip_bytes("equilibria", str(path))
    assert code in (0, 2), err
    assert "RuntimeWarning" not in err and "Warning:" not in err, err
    assert "Traceback" not in err


# ----------------------------------------------------------------------------------------------
# Limits on command-line numbers


@pytest.mark.parametrize(
    ("option", "value", "limit"),
    [
        ("--replicates", "1000000000", "MAX_REPLICATES"),
        ("--replicates", "1e9", "MAX_REPLICATES"),
        ("--rounds", "1000000000", "MAX_SIMULATED_ROUNDS"),
    ],
)
def test_numbers_over_their_limit_are_one_line_naming_option_and_limit(option, value, limit):
    from recip.core import limits

    code, _, err = recip_bytes(
        "compare", "prisoners-dilemma", "--method", "simulate", option, value
    )
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert option in err and limit in err and f"{getattr(limits, limit):,}" in err


def test_integral_numbers_in_exponent_form_are_accepted():
    code, out, err = recip_bytes(
        "compare", "prisoners-dilemma", "--method", "simulate", "--replicates", "2e3", "--json"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["comparison"]["evaluations"]["balancing"]["replicates"] == 2000


def test_usage_errors_are_one_line():
    for args in (("run", "--method", "guess"), ("--no-such-option",), ("no-such-command",)):
        code, _, err = recip_bytes(*args)
        assert code == 2
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), err


def test_a_file_system_error_is_one_line(tmp_path):
    # a scenario name longer than the file system allows
    code, _, err = recip_bytes("validate", "x" * 10_000 + ".toml", cwd=tmp_path)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and len(err) < 500, err


@pytest.mark.parametrize(
    "override", ["horizon.discount=2", 'compare.focal="nobody"', 'strategies.india="bogus"']
)
def test_an_override_error_names_set_not_the_installed_file(override):
    code, _, err = recip_bytes("compare", "sindoor-2025", "--set", override)
    assert code == 2
    (line,) = err.strip().splitlines()
    # the override itself, then the key it set: "error: --set KEY=VALUE: key 'KEY': ..."
    key = override.split("=")[0]
    assert line.startswith(f"error: --set {key}=") and f"key '{key}'" in line
    assert "sindoor-2025.toml" not in line
