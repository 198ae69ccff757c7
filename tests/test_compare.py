"""Comparing a focal player's policies: the verdict's rules and the paired interval of a simulated
advantage."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import recip
from recip.questions.compare import TIE, compare


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
