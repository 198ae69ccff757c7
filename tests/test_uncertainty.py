"""How sure is the verdict (issue 7): the probability that each policy is best under the
scenario's declared uncertainty, checked against closed forms."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from numpy.testing import assert_allclose

import recip
from recip.core.errors import ScenarioError
from recip.model.inputs import declared_inputs
from recip.questions.uncertainty import uncertainty, wilson

#: The donation game's benefit b (what col's gift brings row), made uncertain: U[0.5, 4].
BENEFIT = {"payoffs.gift_from_col.row": {"value": 3.0, "low": 0.5, "high": 4.0}}


def donation(discount: float = 0.9):
    return recip.load_scenario("donation-game").with_overrides(
        {**BENEFIT, "horizon.discount": discount, "compare.policies": ["balancing", "aligning"]}
    )


def test_wilson_interval_closed_form():
    """Wilson (1927): p = 0.5, n = 100 -> 0.5 +- 1.96 sqrt(0.25/100 + 1.96^2/40000) over
    1 + 1.96^2/100, the textbook [0.4038, 0.5962]."""
    lo, hi = wilson(50, 100)
    z = 1.959963984540054
    half = z * np.sqrt(0.25 / 100 + z * z / 40000) / (1 + z * z / 100)
    assert_allclose([lo, hi], [0.5 - half, 0.5 + half], atol=1e-12)
    assert_allclose([lo, hi], [0.4038, 0.5962], atol=5e-5)
    assert wilson(0, 10)[0] == pytest.approx(0.0, abs=1e-15)
    assert wilson(10, 10)[1] == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize("discount", [0.5, 0.9])
def test_donation_game_probability_equals_its_closed_form(discount):
    """Against tit-for-tat, reciprocating earns b - c a round and never giving (1 - d) b, so
    aligning's advantage is d b - c: it wins when b > c / d. With b ~ U[0.5, 4] and c = 1:
    P = (4 - 1/d) / 3.5, and every draw's advantage is exactly d b - c."""
    u = uncertainty(donation(discount), samples=4096, seed=3)
    assert u.policies == ("balancing", "aligning")
    b = u.X[:, 0]
    assert_allclose(u.advantages[:, 1], discount * b - 1.0, atol=1e-12)
    expected = (4.0 - 1.0 / discount) / 3.5
    lo, hi = u.best_interval[1]
    assert lo <= expected <= hi
    assert abs(u.best_share[1] - expected) < 0.01  # a Sobol' design: far tighter than iid
    assert_allclose(u.spreads[0].mean, discount * 2.25 - 1.0, atol=0.01)  # E[b] = 2.25


def test_sindoor_verdict_under_its_declared_payoff_uncertainty():
    """The issue's hand measurement: sampling every payoff over its declared range, aligning
    wins in about 99% of draws."""
    s = recip.load_scenario("sindoor-2025")
    payoffs = [i.key for i in declared_inputs(s) if i.key in s.payoff_slots]
    assert len(payoffs) == 9
    u = uncertainty(s, samples=4096, seed=0, inputs=payoffs)
    assert u.policies[u.nominal_best] == "aligning"
    assert 0.97 < u.best_share[1] < 1.0
    assert_allclose(u.best_share.sum(), 1.0)


def test_a_seed_reproduces_and_workers_change_nothing():
    a = uncertainty(donation(), samples=512, seed=5)
    b = uncertainty(donation(), samples=512, seed=5, workers=2)
    c = uncertainty(donation(), samples=512, seed=6)
    assert np.array_equal(a.values, b.values) and np.array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)
    assert json.dumps(a.to_dict()) == json.dumps(b.to_dict())


@pytest.mark.parametrize("design", ["lhs", "random"])
def test_other_designs_draw_exactly_the_samples_asked(design):
    u = uncertainty(donation(), samples=300, seed=1, method=design)
    assert u.samples == 300
    expected = (4.0 - 1.0 / 0.9) / 3.5
    lo, hi = u.best_interval[1]
    assert lo - 0.02 <= expected <= hi + 0.02


def test_bad_requests_are_scenario_errors():
    with pytest.raises(ScenarioError, match="declares no uncertain input"):
        uncertainty("prisoners-dilemma", samples=16)
    with pytest.raises(ScenarioError, match="not an uncertain input"):
        uncertainty(donation(), samples=16, inputs=["horizon.discount"])
    with pytest.raises(ScenarioError, match="samples"):
        uncertainty(donation(), samples=1)
    with pytest.raises(ScenarioError, match="method"):
        uncertainty(donation(), samples=16, method="grid")


def recip_cli(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "recip", *args], capture_output=True, text=True, cwd=cwd
    )


def test_the_command_line_writes_results_and_a_figure(tmp_path):
    benefit = "payoffs.gift_from_col.row={value = 3.0, low = 0.5, high = 4.0}"
    r = recip_cli(
        "uncertainty",
        "donation-game",
        "--set",
        benefit,
        "--samples",
        "256",
        "--out",
        "u",
        "--policy",
        "balancing",
        "--policy",
        "aligning",
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    assert "How often each policy is row's best" in r.stdout
    assert all(len(line) <= 100 for line in r.stdout.splitlines() if "  " in line.strip())
    doc = json.loads((tmp_path / "u" / "results.json").read_text())
    share = doc["best"]["aligning"]["share"]
    assert abs(share - (4.0 - 1.0 / 0.9) / 3.5) < 0.02
    assert (tmp_path / "u" / "uncertainty.png").stat().st_size > 1000
    # a bad request: one line, exit 2, nothing written
    r = recip_cli("uncertainty", "prisoners-dilemma", "--out", "v", cwd=tmp_path)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "v").exists()
