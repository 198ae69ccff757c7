"""Graded stances (issue 9, item 1): a stance between -1 and 1 is read as it is.

Values derived by hand in a three-player world: ``col`` must side with ``row`` or with
``third`` and follows ``aligning``; ``third`` always backs ``col`` (+1). Against a row that
supports col fully (+1) col's scores tie (1 - 1 = 0 for each side) and it keeps to the first
listed, siding with row; against a row that only condemns (+0.5), siding with row scores
0.5 - 1 = -0.5 and siding with third 1 - 0.5 = +0.5, so col turns to third after the first round.
"""

from __future__ import annotations

import pytest

import recip
from recip.core.errors import ScenarioError


def world(condemn: float = 0.5, tolerance: float = 0.0, discount: float = 0.9):
    return recip.Scenario.from_dict(
        {
            "schema": 1,
            "title": "graded",
            "players": ["row", "col", "third"],
            "states": {
                "round": {
                    "actions": {
                        "row": {"support": {"col": 1}, "condemn": {"col": condemn}},
                        "col": {
                            "side_row": {"row": 1, "third": -1},
                            "side_third": {"row": -1, "third": 1},
                        },
                        "third": {"back": {"col": 1}, "idle": {}},
                    }
                }
            },
            "payoffs": [
                {"id": "cost", "when": {"row": "support"}, "row": -0.5},
                {"id": "backed", "when": {"col": "side_row"}, "row": 2.0},
            ],
            "horizon": {"discount": discount},
            "strategies": {
                "col": {"name": "aligning", "tolerance": tolerance},
                "third": "always:back",
            },
            "compare": {"focal": "row", "policies": ["always:support", "always:condemn"]},
        }
    )


def test_half_a_stance_loses_the_partners_favour():
    d = 0.9
    s = world(0.5)
    support = recip.evaluate(s, {"row": "always:support"}).value("row")
    condemn = recip.evaluate(s, {"row": "always:condemn"}).value("row")
    assert support == pytest.approx(2.0 - 0.5, abs=1e-12)  # col sides with row every round
    assert condemn == pytest.approx((1 - d) * 2.0, abs=1e-12)  # only the first round
    # a hostile half stance (-0.5) is read as it is too: col turns to third as well
    hostile = recip.evaluate(world(-0.5), {"row": "always:condemn"}).value("row")
    assert hostile == pytest.approx((1 - d) * 2.0, abs=1e-12)


def test_tolerance_maps_only_a_neutral_stance():
    """tolerance = 1 reads a remembered 0 as +1 (col keeps siding with row), but a 0.5 stays
    0.5."""
    d = 0.9
    neutral = recip.evaluate(world(0.0, tolerance=1.0), {"row": "always:condemn"}).value("row")
    assert neutral == pytest.approx(2.0, abs=1e-12)
    half = recip.evaluate(world(0.5, tolerance=1.0), {"row": "always:condemn"}).value("row")
    assert half == pytest.approx((1 - d) * 2.0, abs=1e-12)


def test_balancing_takes_the_smallest_stance():
    """balancing is the most neutral action: condemning (|0.5|) rather than supporting (|1|)."""
    v = recip.evaluate(world(0.5), {"row": "balancing"}).value("row")
    assert v == pytest.approx((1 - 0.9) * 2.0, abs=1e-12)


def test_memory_labels_and_stance_frequencies_read_graded_stances():
    s = world(0.5)
    ev = recip.evaluate(s, {"row": "always:condemn"})
    # row's condemnation counts as siding with col (by its sign)
    assert ev.stance_frequency("row", "col") == {1: 1.0, 0: 0.0, -1: 0.0}
    setting = recip.as_setting(s)
    col = setting.compile(1, setting.profile({"row": "always:condemn"})[1])
    assert any("row:+0.5" in label for label in col.memory_labels)


@pytest.mark.parametrize("bad", [1.5, -2, True, "half"])
def test_stances_outside_minus_one_to_one_are_refused(bad):
    with pytest.raises(ScenarioError, match="a stance is a number from -1"):
        world(bad)
