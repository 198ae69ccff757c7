"""Checks written while reviewing the engine, the comparison verdict and the threshold scan.

Each test pins down a closed form or a verdict rule that a plausible regression would break.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import recip
from recip.questions.compare import TIE, compare
from recip.questions.scan import DEFAULT_GRID, locate


@pytest.fixture(scope="module")
def pd():
    return recip.load_scenario("prisoners-dilemma").with_overrides({"noise.execution": 0.0})


def test_verdict_never_reports_a_negative_margin(pd):
    """With three exact policies whose advantages are (0, 0.5 TIE, 2 TIE), policy 2 is decisive
    and the best; the verdict must not say the baseline beats it by a negative amount."""
    c = compare(pd, policies=["always:defect", "aligning", "balancing"])
    fake = dataclasses.replace(c, advantage=np.array([0.0, 0.5 * TIE, 2.0 * TIE]))
    fake = dataclasses.replace(fake, advantage_ci=np.stack([fake.advantage] * 2, axis=1))
    assert fake.best == 2
    assert fake.verdict.startswith("balancing beats always:defect")
    assert "by -" not in fake.verdict


def test_verdict_ties_within_tie_prefer_the_earlier_policy(pd):
    c = compare(pd, policies=["always:defect", "aligning"])
    fake = dataclasses.replace(
        c, advantage=np.array([0.0, 0.5 * TIE]), advantage_ci=np.zeros((2, 2))
    )
    assert fake.best == 0
    assert fake.verdict.startswith("no clear difference")


def test_limit_of_means_of_a_periodic_chain(pd):
    """TFT against suspicious TFT alternates (C, D), (D, C) forever: a period-2 chain whose
    Cesaro limit gives each player (S + T) / 2 = 2.5."""
    ev = recip.evaluate(
        pd, {"row": "aligning", "col": {"name": "aligning", "initial": -1}}, limit_of_means=True
    )
    np.testing.assert_allclose(ev.values, [2.5, 2.5], atol=1e-12)
    np.testing.assert_allclose(ev.occupancy[0], [0.0, 0.5, 0.5, 0.0], atol=1e-12)


def test_discounted_finite_horizon_closed_form(pd):
    """Three rounds weighted 1, d, d^2 (normalised): TFT against ALLD earns S, P, P."""
    d = 0.9
    ev = recip.evaluate(pd.with_overrides({"horizon.rounds": 3}), {"col": "always:defect"})
    w = np.array([1.0, d, d * d]) / (1 + d + d * d)
    np.testing.assert_allclose(ev.values, [w @ [0, 1, 1], w @ [5, 1, 1]], atol=1e-12)


def test_paired_interval_covers_the_exact_advantage_and_is_paired():
    """GTFT vs TFT against a noisy TFT: the simulated paired 95% interval contains the exact
    advantage and is narrower than the unpaired one (common random numbers)."""
    s = recip.load_scenario("prisoners-dilemma").with_overrides({"noise.execution": 0.05})
    policies = ["aligning", {"name": "aligning", "generosity": 0.3}]
    exact = compare(s, policies=policies).advantage[1]
    sim = compare(s, policies=policies, method="simulate", replicates=4000, seed=3)
    lo, hi = sim.advantage_ci[1]
    assert lo <= exact <= hi
    e0, e1 = sim.evaluations
    unpaired = 1.96 * np.hypot(e0.stderr[0], e1.stderr[0])
    assert (hi - lo) / 2 < unpaired


@pytest.mark.parametrize(
    ("func", "roots", "kinds"),
    [
        (lambda x: (x - 0.3123) ** 2, [0.3123], ["touch"]),
        (lambda x: (x - 0.3011) * (x - 0.3033), [0.3011, 0.3033], ["crossing", "crossing"]),
        (lambda x: (x - 0.2) * (x - 0.5) * (x - 0.8), [0.2, 0.5, 0.8], ["crossing"] * 3),
    ],
)
def test_scan_finds_touches_and_close_pairs(func, roots, kinds):
    _, crossings, _ = locate(func, DEFAULT_GRID, "advantage", 1e-9)
    assert [c.kind for c in crossings] == kinds
    np.testing.assert_allclose([c.discount for c in crossings], roots, atol=1e-7)
