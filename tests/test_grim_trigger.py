"""The library's grim trigger: self-enforcing punishment, unlike aligning's grudge memory."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import recip
from recip.questions.spe import is_subgame_perfect


def pd(T: float, R: float, P: float, S: float, discount: float):
    return recip.load_scenario(
        f"""
schema = 1
title = "PD"
players = ["row", "col"]
[states.round]
actions.row = {{ cooperate = {{ col = 1 }}, defect = {{ col = -1 }} }}
actions.col = {{ cooperate = {{ row = 1 }}, defect = {{ row = -1 }} }}
[tables.round]
row = [[{R}, {S}], [{T}, {P}]]
col = [[{R}, {T}], [{S}, {P}]]
[horizon]
discount = {discount}
"""
    )


payoffs = st.tuples(st.floats(0, 3), st.floats(0.5, 3), st.floats(0.5, 3), st.floats(0.5, 3)).map(
    lambda x: (x[0] + x[1] + x[2] + x[3], x[0] + x[1] + x[2], x[0] + x[1], x[0])
)  # T>R>P>S


@settings(max_examples=25, deadline=None)
@given(payoffs, st.floats(0.05, 0.95))
def test_grim_trigger_spe_iff_discount_at_least_threshold(p, margin):
    T, R, P, S = p
    threshold = (T - R) / (T - P)
    for delta in (threshold * (1 - margin * 0.5), threshold + (1 - threshold) * margin * 0.5):
        if not 0 < delta < 1 or abs(delta - threshold) < 1e-6:
            continue
        s = pd(T, R, P, S, delta)
        result = is_subgame_perfect(s, {"row": "grim-trigger", "col": "grim-trigger"})
        assert bool(result) == (delta >= threshold), (p, delta, threshold)


@pytest.mark.parametrize("delta", [0.2, 0.6, 0.95])
def test_grim_trigger_against_always_defect_closed_form(delta):
    T, R, P, S = 5, 3, 1, 0
    s = pd(T, R, P, S, delta)
    ev = recip.evaluate(s, {"row": "grim-trigger", "col": "always:defect"})
    assert ev.value("row") == pytest.approx((1 - delta) * S + delta * P, abs=1e-12)
    assert ev.value("col") == pytest.approx((1 - delta) * T + delta * P, abs=1e-12)


def test_grim_trigger_punishes_its_own_defection_but_grudger_does_not():
    s = pd(5, 3, 1, 0, 0.9)
    from recip.strategies import compile_for, get

    g = s.game
    grim = compile_for(g, "row", get("grim-trigger"))
    grudger = compile_for(g, "row", get("aligning", memory="grim"))
    # joint action (row defects, col cooperates): index 2 in row-major (row, col)
    j = g.joint_index(0, {"row": "defect", "col": "cooperate"})
    after_grim = grim.update[grim.initial, 0, j]
    after_grudge = grudger.update[grudger.initial, 0, j]
    assert grim.policy[after_grim, 0].argmax() == 1  # defects from now on
    assert grudger.policy[after_grudge, 0].argmax() == 0  # still cooperates


def test_grim_trigger_says_when_it_can_never_fire():
    """In the donation game keeping is neutral (stance 0), not hostile: the trigger never fires,
    so against ``always:keep`` it gives forever -- value -c = -1 per round for the giver, derived
    by hand -- and recip warns (when the strategy is compiled), naming the unpunished action."""
    donation = recip.load_scenario("donation-game")
    with pytest.warns(UserWarning, match=r"never fires against row.*'keep' \(stance 0\)"):
        s = donation.with_overrides({"strategies.col": "grim-trigger"})
        value = recip.evaluate(s, {"row": "always:keep"}).value("col")
    assert value == pytest.approx(-1.0, abs=1e-12)


def test_grim_trigger_is_silent_where_defection_is_hostile(recwarn):
    recip.evaluate(pd(5, 3, 1, 0, 0.9), {"row": "grim-trigger", "col": "grim-trigger"})
    assert not [w for w in recwarn if "never fires" in str(w.message)]
