"""Attacks on the public Python API (issue 6 §4 "Python API", "limit of means", and the
black-box defect of §3 on ``simulate(rounds=T)``).

The promise: every public function accepts a :class:`recip.Scenario`, a bundled scenario's name
or a path, the same way; it checks its arguments and raises :class:`recip.ScenarioError` (or
:class:`recip.AnalysisError`) with a message, never an AttributeError, TypeError, KeyError or
ValueError from an internal line. Attacks that could exhaust the test process run in a
subprocess with a memory cap and a timeout.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest

import recip
from attack_helpers import PYDANTIC_TAGS, describe, run_python

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "scenarios"

CLEAN = (recip.ScenarioError, recip.AnalysisError)


@pytest.fixture(scope="module")
def pd():
    return recip.load_scenario("prisoners-dilemma")


def expect_clean_error(call, *, avoid: tuple[str, ...] = ()):
    """``call()`` raises ScenarioError or AnalysisError with a one-line message free of pydantic
    text (and of each string in ``avoid``); returns the message."""
    try:
        result = call()
    except CLEAN as exc:
        message = str(exc)
    except Exception as exc:  # the defect: an internal error escapes
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else "?"
        pytest.fail(f"{type(exc).__name__} from {where}: {exc}", pytrace=False)
    else:
        pytest.fail(f"accepted; returned {type(result).__name__}", pytrace=False)
    assert message.strip(), "an error without a message"
    assert "\n" not in message.strip(), f"a multi-line message: {message!r}"
    for tag in (*PYDANTIC_TAGS, *avoid):
        assert tag not in message, f"{tag!r} in the message: {message}"
    return message


# ================================================================================================
# Wrong types and values: a ScenarioError or AnalysisError with a message
# ================================================================================================

WRONG_CALLS = {
    "evaluate-missing-file": lambda s: recip.evaluate("/no/such/file.toml"),
    "evaluate-string-profile": lambda s: recip.evaluate(s, "aligning"),
    "evaluate-list-profile": lambda s: recip.evaluate(s, ["aligning", "aligning"]),
    "evaluate-number-profile": lambda s: recip.evaluate(s, 5),
    "evaluate-number-in-profile": lambda s: recip.evaluate(s, {"row": 5}),
    "evaluate-none-scenario": lambda s: recip.evaluate(None),
    "evaluate-number-scenario": lambda s: recip.evaluate(42),
    "evaluate-dict-scenario": lambda s: recip.evaluate({"schema": 1}),
    "evaluate-negative-curve-rounds": lambda s: recip.evaluate(s, curve_rounds=-3),
    "evaluate-string-curve-rounds": lambda s: recip.evaluate(s, curve_rounds="10"),
    "evaluate-method-number": lambda s: recip.evaluate(s, method=3),
    "evaluate-limit-of-means-string": lambda s: recip.evaluate(s, limit_of_means="yes"),
    "simulate-workers-string": lambda s: recip.simulate(s, workers="a", replicates=10),
    "simulate-workers-negative": lambda s: recip.simulate(s, workers=-2, replicates=10),
    "simulate-workers-fraction": lambda s: recip.simulate(s, workers=2.5, replicates=10),
    "simulate-replicates-fraction": lambda s: recip.simulate(s, replicates=1.5),
    "simulate-replicates-string": lambda s: recip.simulate(s, replicates="100"),
    "simulate-rounds-zero": lambda s: recip.simulate(s, rounds=0, replicates=10),
    "simulate-string-profile": lambda s: recip.simulate(s, "aligning", replicates=10),
    "simulate-none-scenario": lambda s: recip.simulate(None, replicates=10),
    "compare-focal-number": lambda s: recip.compare(s, focal=3),
    "compare-focal-unknown": lambda s: recip.compare(s, focal="nobody"),
    "compare-policies-number": lambda s: recip.compare(s, policies=5),
    "compare-policies-dict": lambda s: recip.compare(s, policies={"name": "aligning"}),
    "compare-method-bogus": lambda s: recip.compare(s, method="bogus"),
    "compare-none-scenario": lambda s: recip.compare(None),
    "compare-number-scenario": lambda s: recip.compare(5),
    "with-overrides-number": lambda s: s.with_overrides(5),
    "with-overrides-string": lambda s: s.with_overrides("horizon.discount=0.5"),
    "with-overrides-number-key": lambda s: s.with_overrides({5: 1}),
    "with-overrides-none-key": lambda s: s.with_overrides({None: 1}),
    "with-overrides-bad-value": lambda s: s.with_overrides({"horizon.discount": "0.5x"}),
    "critical-discount-grid-string": lambda s: recip.critical_discount(s, grid="x"),
    "critical-discount-profile-string": lambda s: recip.critical_discount(s, profile="aligning"),
    "critical-discount-what-number": lambda s: recip.critical_discount(s, what=3),
    "critical-discount-none-scenario": lambda s: recip.critical_discount(None),
    "is-subgame-perfect-discount-string": lambda s: recip.is_subgame_perfect(s, discount="0.5"),
    "is-subgame-perfect-profile-string": lambda s: recip.is_subgame_perfect(s, "aligning"),
    "is-subgame-perfect-tol-negative": lambda s: recip.is_subgame_perfect(s, tol=-1),
    "is-subgame-perfect-none-scenario": lambda s: recip.is_subgame_perfect(None),
    "equilibria-options-number": lambda s: recip.equilibria(s, options=5),
    "equilibria-state-number": lambda s: recip.equilibria(s, state=3),
    "equilibria-meta-string": lambda s: recip.equilibria(s, meta="yes"),
    "equilibria-number-scenario": lambda s: recip.equilibria(7),
    "strategies-get-number": lambda s: recip.strategies.get(5),
    "strategies-get-bad-parameter": lambda s: recip.strategies.get("aligning", tolerance="x"),
    "load-scenario-number": lambda s: recip.load_scenario(5),
    "load-scenario-none": lambda s: recip.load_scenario(None),
    "value-of-unknown-player": lambda s: recip.evaluate(s).value("nobody"),
    "interval-of-unknown-player": lambda s: recip.simulate(s, replicates=20).interval("nobody"),
}


@pytest.mark.parametrize("case", list(WRONG_CALLS))
def test_api_wrong_arguments_raise_scenario_or_analysis_error(pd, case):
    expect_clean_error(lambda: WRONG_CALLS[case](pd))


@pytest.mark.parametrize(
    "call",
    [
        lambda s: recip.compare(s, policies="aligning"),
        lambda s: recip.compare(s, policies="always:defect"),
        lambda s: recip.critical_discount(s, policies="aligning"),
    ],
    ids=["compare-aligning", "compare-always-defect", "critical-discount-aligning"],
)
def test_api_a_string_of_policies_is_not_iterated_letter_by_letter(pd, call):
    """A single string where a list of policies goes: either one policy, or an error saying
    that a list is expected; never "unknown strategy 'a'"."""
    try:
        call(pd)
    except CLEAN as exc:
        message = str(exc)
        assert "'a'" not in message and "'l'" not in message, message
    except Exception as exc:
        pytest.fail(f"{type(exc).__name__}: {exc}", pytrace=False)


# ================================================================================================
# A Scenario, a bundled name or a path, the same way everywhere
# ================================================================================================

FUNCTIONS = {
    "evaluate": lambda s: recip.evaluate(s).values,
    "simulate": lambda s: recip.simulate(s, replicates=200, seed=3).values,
    "compare": lambda s: recip.compare(s).advantage,
    "is_subgame_perfect": lambda s: recip.is_subgame_perfect(s).to_dict(),
    "critical_discount": lambda s: recip.critical_discount(s, grid=8).to_dict(),
    "equilibria": lambda s: recip.equilibria(s).to_dict(),
}


def _forms(tmp_path: Path) -> dict[str, object]:
    copy = tmp_path / "prisoners-dilemma.toml"
    shutil.copy(BUNDLED / "prisoners-dilemma.toml", copy)
    return {
        "scenario": recip.load_scenario("prisoners-dilemma"),
        "name": "prisoners-dilemma",
        "path": copy,
        "path-string": str(copy),
    }


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.array_equal(np.asarray(a), np.asarray(b))
    if isinstance(a, dict) and isinstance(b, dict):
        skip = {"scenario", "source", "name", "file", "path", "hash"}
        keys = (set(a) | set(b)) - skip
        return all(_same(a.get(k), b.get(k)) for k in keys)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@pytest.mark.parametrize("function", list(FUNCTIONS))
def test_api_accepts_a_scenario_a_bundled_name_or_a_path(tmp_path, function):
    forms = _forms(tmp_path)
    results = {}
    for form, arg in forms.items():
        try:
            results[form] = FUNCTIONS[function](arg)
        except Exception as exc:
            pytest.fail(f"{function}({form}) raised {type(exc).__name__}: {exc}", pytrace=False)
    for form, result in results.items():
        assert _same(result, results["scenario"]), f"{function}({form}) differs"


@pytest.mark.parametrize("function", list(FUNCTIONS))
@pytest.mark.parametrize(
    "missing", ["/no/such/file.toml", "no-such-scenario", "../nowhere/x.toml"], ids=str
)
def test_api_missing_scenario_is_a_scenario_error(function, missing):
    message = expect_clean_error(lambda: FUNCTIONS[function](missing))
    assert missing in message or Path(missing).name in message, message


@pytest.mark.parametrize("name", ["a=b.toml", "x = 1.toml", "k=v"])
@pytest.mark.parametrize("as_path", [False, True], ids=["str", "Path"])
def test_api_load_scenario_reads_a_file_whose_name_has_an_equals_sign(tmp_path, name, as_path):
    shutil.copy(BUNDLED / "prisoners-dilemma.toml", tmp_path / name)
    arg = tmp_path / name
    s = recip.load_scenario(arg if as_path else str(arg))
    assert s.players == ("row", "col")


def test_api_load_scenario_accepts_a_bom(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (BUNDLED / "prisoners-dilemma.toml").read_bytes())
    assert recip.load_scenario(path).players == ("row", "col")


# ================================================================================================
# Sizes through the API (in a subprocess: a blow-up must not take the test run with it)
# ================================================================================================

API_SIZES = {
    "simulate-replicates-1e9": "recip.simulate(s, replicates=10**9)",
    "simulate-rounds-1e9": "recip.simulate(s, rounds=10**9, replicates=100)",
    "evaluate-simulate-replicates-1e12": "recip.evaluate(s, method='simulate', replicates=10**12)",
    "simulate-discount-near-one": (
        "recip.simulate(s.with_overrides({'horizon.discount': 0.99999999999}), replicates=100)"
    ),
    "evaluate-curve-rounds-1e12": "recip.evaluate(s, curve_rounds=10**12)",
    "compare-simulate-replicates-1e9": "recip.compare(s, method='simulate', replicates=10**9)",
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(API_SIZES))
def test_api_sizes_beyond_reach_raise_promptly(case):
    code = (
        "import recip, sys\n"
        "s = recip.load_scenario('prisoners-dilemma')\n"
        "try:\n"
        f"    {API_SIZES[case]}\n"
        "except (recip.ScenarioError, recip.AnalysisError) as exc:\n"
        "    print('REFUSED', exc)\n"
        "    sys.exit(0)\n"
        "print('ACCEPTED')\n"
    )
    rc, out, err = run_python(code, timeout=30)
    assert rc == 0 and out.startswith("REFUSED"), describe(rc, out, err)


# ================================================================================================
# Limit of means with a state left with a chance of ~1e-13
# ================================================================================================

STICKY = """\
schema = 1
title = "a calm that almost never ends"
players = ["row", "col"]

[states.calm]
actions.row = {{ cooperate = {{ col = 1 }}, defect = {{ col = -1 }} }}
actions.col = {{ cooperate = {{ row = 1 }}, defect = {{ row = -1 }} }}

[states.crisis]
{crisis_actions}

[nature]
start = "calm"
[nature.transitions]
calm = {{ calm = {stay}, crisis = {eps} }}
crisis = {{ crisis = 1.0 }}

[tables.calm]
row = [[3, 0], [5, 1]]
col = [[3, 5], [0, 1]]

[[payoffs]]
state = "crisis"
row = -4.0
col = 2.0

[horizon]
discount = 0.9

[noise]
execution = {noise}

[strategies]
row = {row}
col = {col}
"""

PD_ACTIONS = (
    "actions.row = { cooperate = { col = 1 }, defect = { col = -1 } }\n"
    "actions.col = { cooperate = { row = 1 }, defect = { row = -1 } }"
)

LIMIT_CASES = {
    "tft-noise-0.1": (1e-13, 0.1, '"aligning"', '"aligning"', True),
    "random-vs-tft": (1e-13, 0.1, '"random"', '"aligning"', True),
    "wsls-noise-0.3": (1e-13, 0.3, '"win-stay-lose-shift"', '"aligning"', False),
    "generous-3e-14": (3e-14, 0.01, '"aligning"', '{ name = "aligning", generosity = 0.3 }', True),
    "tft-1e-12-quiet-crisis": (1e-12, 0.1, '"aligning"', '"aligning"', False),
    "random-1e-13-quiet-crisis": (1e-13, 0.01, '"random"', '"aligning"', False),
}


@pytest.mark.parametrize("case", list(LIMIT_CASES))
def test_limit_of_means_with_a_nearly_absorbing_state_is_right_or_refused(tmp_path, case):
    eps, noise, row, col, crisis_acts = LIMIT_CASES[case]
    text = STICKY.format(
        crisis_actions=PD_ACTIONS if crisis_acts else "",
        stay=repr(1 - eps),
        eps=repr(eps),
        noise=noise,
        row=row,
        col=col,
    )
    path = tmp_path / "sticky.toml"
    path.write_text(text)
    s = recip.load_scenario(path)
    try:
        ev = recip.evaluate(s, limit_of_means=True)
    except recip.AnalysisError:
        return  # refusing an ill-conditioned chain is allowed
    weights = float(np.sum(ev.occupancy))
    assert math.isclose(weights, 1.0, abs_tol=1e-9), f"weights add up to {weights!r}"
    # stage payoffs: row in {3, 0, 5, 1} (calm) and -4 (crisis); col in {3, 5, 0, 1} and 2
    lo, hi = np.array([-4.0, 0.0]), np.array([5.0, 5.0])
    assert np.all(ev.values >= lo - 1e-9) and np.all(ev.values <= hi + 1e-9), ev.values
    if not crisis_acts:  # the crisis absorbs every play: its payoffs are the long-run average
        np.testing.assert_allclose(ev.values, [-4.0, 2.0], atol=1e-8)


# ================================================================================================
# simulate(rounds=T) on an infinite discounted horizon: rescale, or refuse
# ================================================================================================


@pytest.mark.parametrize(
    ("scenario", "overrides", "exact"),
    [
        ("donation-game", {}, {"row": 2.0, "col": 2.0}),
        ("prisoners-dilemma", {"noise.execution": 0.0}, {"row": 3.0, "col": 3.0}),
        ("donation-game", {"horizon.discount": 0.5}, {"row": 2.0, "col": 2.0}),
    ],
    ids=["donation", "prisoners-dilemma", "donation-discount-0.5"],
)
@pytest.mark.parametrize("rounds", [3, 5])
def test_simulate_with_fewer_rounds_than_the_horizon_rescales_or_refuses(
    scenario, overrides, exact, rounds
):
    """Two reciprocators cooperate every round: the per-round value is the same whatever the
    horizon. A truncated simulation labelled "discounted" must not report a value far from it."""
    s = recip.load_scenario(scenario)
    if overrides:
        s = s.with_overrides(overrides)
    try:
        ev = recip.simulate(s, rounds=rounds, replicates=500, seed=1)
    except CLEAN:
        return
    for player, value in exact.items():
        assert abs(ev.value(player) - value) < 0.05, (
            f"{player}: {ev.value(player):.4f} ({ev.criterion}, interval "
            f"{ev.interval(player)}) where the exact value is {value}"
        )


def test_compare_simulated_with_fewer_rounds_does_not_claim_a_false_discounted_value():
    """The donation game's advantage of reciprocating is 1.7 per round (exact); a truncated,
    unrescaled simulation reported ~1.0 with a zero-width interval, labelled "discounted".
    A rescaled simulation answers another question (a discounted mean over the simulated
    rounds) and must say so: then only its label is checked."""
    s = recip.load_scenario("donation-game")
    exact = recip.compare(s).advantage
    try:
        c = recip.compare(s, method="simulate", rounds=5, replicates=500, seed=1)
    except CLEAN:
        return
    if all(ev.criterion != "discounted" for ev in c.evaluations):
        return
    for k in range(1, len(exact)):
        lo, hi = c.advantage_ci[k]
        inside = lo - 1e-9 <= exact[k] <= hi + 1e-9
        close = abs(c.advantage[k] - exact[k]) < 0.05
        assert inside or close, (
            f"policy {k}: simulated advantage {c.advantage[k]:.4f} [{lo:.4f}, {hi:.4f}] "
            f"vs exact {exact[k]:.4f}"
        )
