"""Scenario discovery (issue 7, item 4): the boxes in which the verdict flips, found from samples,
with their coverage and density; on synthetic flip masks with a planted region, and on a scenario
built so that balancing wins exactly when two inputs are both above known values."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import recip
from recip.model.inputs import declared_inputs
from recip.questions.discovery import describe_flips
from recip.questions.sensitivity import sensitivity

RNG = np.random.default_rng(11)
X = RNG.random((3000, 3))


def bounds(box) -> dict:
    return {c.key: (c.low, c.high) for c in box.conditions}


def test_a_planted_box_is_found_with_its_thresholds():
    flips = (X[:, 0] > 0.3) & (X[:, 1] > 0.6)
    d = describe_flips(["a", "b", "c"], X, flips, outcome="balancing wins")
    box = d.boxes[0]
    assert box.coverage > 0.9 and box.density > 0.9
    found = bounds(box)
    assert set(found) == {"a", "b"}
    assert_allclose([found["a"][0], found["b"][0]], [0.3, 0.6], atol=0.01)
    assert found["a"][1] is None and found["b"][1] is None
    assert d.sentence.startswith("Balancing wins when a > 0.3 and b > 0.6: covers ")
    assert d.flips == int(flips.sum()) and d.cases == len(X)


def test_coverage_and_density_are_counted_for_the_box_as_printed():
    flips = (X[:, 0] > 0.3) & (X[:, 1] > 0.6)
    d = describe_flips(["a", "b", "c"], X, flips)
    box = d.boxes[0]
    inside = np.ones(len(X), dtype=bool)
    for c in box.conditions:
        col = "abc".index(c.key)
        if c.low is not None:
            inside &= X[:, col] > c.low
        if c.high is not None:
            inside &= X[:, col] < c.high
    assert box.cases == inside.sum() and box.flips == (inside & flips).sum()
    assert_allclose(box.coverage, (inside & flips).sum() / flips.sum())
    assert_allclose(box.density, (inside & flips).mean() / inside.mean())


def test_a_box_survives_noise_in_the_labels():
    flips = ((X[:, 0] > 0.3) & (X[:, 1] > 0.6)) ^ (RNG.random(len(X)) < 0.03)
    d = describe_flips(["a", "b", "c"], X, flips)
    assert set(bounds(d.boxes[0])) == {"a", "b"}
    assert d.boxes[0].coverage > 0.85 and d.boxes[0].density > 0.9


def test_two_regions_are_two_boxes():
    flips = ((X[:, 0] > 0.3) & (X[:, 1] > 0.6)) | (X[:, 2] < 0.1)
    d = describe_flips(["a", "b", "c"], X, flips)
    assert len(d.boxes) == 2 and d.covered > 0.95
    assert "; or when " in d.sentence
    assert {frozenset(bounds(b)) for b in d.boxes} == {frozenset("ab"), frozenset("c")}


def test_alternatives_are_named_in_conditions():
    s = recip.load_scenario("sindoor-2025")
    choice = next(i for i in declared_inputs(s) if i.key == "strategies.india")
    Z = np.column_stack([X[:, 0], RNG.integers(0, 3, len(X))])
    flips = (Z[:, 0] < 0.7) & (Z[:, 1] != 0)
    d = describe_flips(["x", choice], Z, flips, outcome="balancing wins")
    box = d.boxes[0]
    assert box.coverage > 0.9 and box.density > 0.9
    condition = next(c for c in box.conditions if c.key == "strategies.india")
    assert set(condition.allowed) == {"myopic", "always:support"}
    assert "strategies.india is not aligning(tolerance=0)" in d.sentence


def test_no_flip_all_flips_and_scattered_flips_are_said_plainly():
    none = describe_flips(["a", "b", "c"], X, np.zeros(len(X), dtype=bool))
    assert none.boxes == () and "does not flip in any of the 3000" in none.sentence
    every = describe_flips(["a", "b", "c"], X, np.ones(len(X), dtype=bool), outcome="b wins")
    assert "B wins in every one of the 3000" in every.sentence
    rare = describe_flips(["a", "b", "c"], X, X[:, 0] > 0.997)
    assert rare.boxes == () and "no region" in rare.sentence


def test_mismatched_masks_are_refused():
    with pytest.raises(ValueError, match="flip marks"):
        describe_flips(["a", "b", "c"], X, np.zeros(10, dtype=bool))


PLANTED = """
schema = 1
title = "A planted flip region"
players = ["row", "col"]

[states.round]
actions.row = { give = { col = 1 }, keep = {} }
actions.col = { give = { row = 1 }, keep = {} }

[[payoffs]]
id = "gift_to_row"
when = { col = "give" }
row = 3.0

[[payoffs]]
id = "glow"
when = { row = "give" }
row = 1.0

[[payoffs]]
id = "rest"
when = { row = "keep" }
row = { value = 0.5, low = 0.0, high = 2.0 }

[[payoffs]]
id = "thanks"
when = { row = "give", col = "give" }
col = 0.5

[[payoffs]]
id = "ingratitude"
when = { row = "give", col = "keep" }
col = { value = 0.25, low = 0.0, high = 1.0 }

[[payoffs]]
id = "wasted"
when = { row = "keep", col = "give" }
col = -1.0

[horizon]
discount = 0.9

[strategies]
row = "balancing"
col = "myopic"

[compare]
focal = "row"
policies = ["balancing", "aligning"]
"""


def test_a_scenario_where_balancing_wins_exactly_in_a_box():
    # col answers row's last move with its stage best response: after a gift it gives back
    # (0.5) unless keeping pays more (ingratitude k > 0.5); after row kept it keeps (0 > -1);
    # in the first round (row's move unseen, either equally likely) it keeps.
    # k < 0.5: aligning row and col alternate gifts: v = (1 + delta (x + 3)) / (1 + delta) where
    # x = rest, balancing gets x: aligning wins for x < 1 + 3 delta = 3.7, all of [0, 2].
    # k > 0.5: col never gives; aligning gives once: v = (1 - delta) + delta x, so
    # A = (1 - delta)(1 - x): balancing wins exactly when x > 1.
    s = recip.load_scenario(PLANTED)
    for k, x, balancing_wins in ((0.75, 1.5, True), (0.25, 1.5, False), (0.75, 0.5, False)):
        t = s.with_overrides({"payoffs.ingratitude.col": k, "payoffs.rest.row": x})
        assert (recip.compare(t).advantage[1] < 0) == balancing_wins
    r = sensitivity(s, samples=256, seed=4)
    box = r.discovery.boxes[0]
    assert box.coverage > 0.9 and box.density > 0.9
    found = bounds(box)
    assert set(found) == {"payoffs.ingratitude.col", "payoffs.rest.row"}
    assert_allclose(found["payoffs.ingratitude.col"][0], 0.5, atol=0.03)
    assert_allclose(found["payoffs.rest.row"][0], 1.0, atol=0.05)
    assert r.discovery.outcome == "balancing wins"
    assert_allclose(r.discovery.flips / r.discovery.cases, 0.5 * 0.5, atol=0.03)
    # at the nominal ingratitude (0.25) the rest breaks even at 1 + 3 delta, beyond its range
    (crossing,) = r.effect("payoffs.rest.row").break_even.beyond
    assert_allclose(crossing.value, 1 + 3 * 0.9, atol=1e-9)
    # col reads payoffs: its own payoff is not declared inert
    assert r.effect("payoffs.ingratitude.col").inert is None
