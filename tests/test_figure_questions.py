"""The results the figures need and no earlier result held: the recorded world states of a
simulation, one history per policy (timeline), one round against many, several scenarios'
critical discount factors, the running value, a threshold's own point, a sweep's region.
Numbers are checked against hand computations or another path through recip."""

from __future__ import annotations

import numpy as np
import pytest

import recip
from conftest import pd_scenario
from recip.questions.horizons import one_vs_many
from recip.questions.overlay import counter_scenarios, critical_discounts
from recip.questions.timeline import stance_pairs, timeline

SINDOOR = "sindoor-2025"


def test_recorded_world_states_follow_nature_and_give_the_recorded_payoffs():
    s = recip.load_scenario(SINDOOR)
    ev = recip.simulate(s, replicates=400, seed=3, record=True)
    actions, payoffs = ev.trajectories
    states = ev.states
    assert states.shape == actions.shape[:2]
    # i.i.d. nature: calm 1/2, russia isolated 1/4, india attacked 1/4
    share = np.bincount(states.ravel(), minlength=3) / states.size
    assert share == pytest.approx([0.5, 0.25, 0.25], abs=0.01)
    # every recorded payoff is the payoff table's at the recorded state and actions
    g = s.game
    for r, t in [(0, 0), (5, 17), (399, 100)]:
        st = states[r, t]
        joint = [int(actions[r, t, i]) if g.acts[st, i] else 0 for i in range(g.n_players)]
        j = next(
            k
            for k in range(g.n_joint[st])
            if all(
                g.joint_actions[st, k, i] == joint[i] for i in range(g.n_players) if g.acts[st, i]
            )
        )
        assert payoffs[r, t] == pytest.approx(g.payoffs[st, j])


def test_timeline_is_the_first_replicate_of_a_simulation_with_its_seed():
    s = recip.load_scenario(SINDOOR)
    t = timeline(s, rounds=25, seed=7)
    for p, policy in enumerate(t.policies):
        ev = recip.simulate(s, {"russia": policy}, replicates=2, seed=7, record=True)
        assert (t.world[p] == ev.states[0, :25]).all()
        acting = s.game.acts[t.world[p]]
        assert (t.actions[p][acting] == ev.trajectories[0][0, :25][acting]).all()
        assert (t.actions[p][~acting] == -1).all()
    # common random numbers: the same world states under every policy
    assert (t.world[0] == t.world[1]).all()


def test_timeline_stances_and_counts_by_hand():
    """Prisoner's dilemma without noise, row always defecting against tit-for-tat: col
    cooperates in round 1 and defects after; row defects throughout."""
    pd = pd_scenario(noise=0.0)
    t = timeline(pd, focal="row", policies=["always:defect", "aligning"], rounds=6)
    assert t.pairs == (("col", "row"), ("row", "col"))
    col, row = 1, 0
    assert t.stances[0, :, col, row].tolist() == [1, -1, -1, -1, -1, -1]
    assert t.stances[0, :, row, col].tolist() == [-1] * 6
    assert t.counts(0, "col", "row") == {"sides": 1, "neutral": 0, "against": 5}
    assert t.counts(1, "col", "row") == {"sides": 6, "neutral": 0, "against": 0}
    assert t.payoffs[0, :, row].tolist() == [5, 1, 1, 1, 1, 1]
    doc = t.to_dict()
    assert doc["histories"]["always:defect"]["actions"]["col"][:2] == ["cooperate", "defect"]
    assert doc["histories"]["aligning"]["stances"]["col->row"] == [1.0] * 6
    # a finite horizon shows at most its own rounds
    assert timeline(pd_scenario(rounds=4, discount=None), rounds=30).rounds == 4


def test_stance_pairs_put_the_partners_toward_the_focal_player_first():
    g = recip.load_scenario(SINDOOR).game
    names = [(g.players[a], g.players[b]) for a, b in stance_pairs(g, 0)]
    assert names == [
        ("india", "russia"),
        ("pakistan", "russia"),
        ("russia", "india"),
        ("russia", "pakistan"),
    ]


def test_one_round_versus_many_by_hand():
    """Prisoner's dilemma, no noise, col plays tit-for-tat, δ = 0.9: in one round defecting
    gets T = 5 (col cooperates first), cooperating R = 3; over many rounds cooperating keeps
    3 per round, always defecting gets (1 - δ) 5 + δ 1 = 1.4; the best response to tit-for-tat
    at δ = 0.9 cooperates (3), the myopic one defects (5)."""
    pd = pd_scenario(noise=0.0)
    r = one_vs_many(pd, focal="row", policies=["always:cooperate", "always:defect"])
    assert r.one_round.tolist() == pytest.approx([3.0, 5.0])
    assert r.long_run.tolist() == pytest.approx([3.0, 1.4])
    assert r.myopic[0] == pytest.approx(5.0) and "defect" in r.myopic[1]
    assert r.far_sighted[0] == pytest.approx(3.0) and "cooperate" in r.far_sighted[1]
    assert r.summary.startswith(
        "In one round always:defect pays row most (5; a myopic best response 5); over many "
        "rounds always:cooperate does (3 per round"
    )
    # a finite horizon: no far-sighted best response, said so
    finite = one_vs_many(pd_scenario(noise=0.0, rounds=5))
    assert finite.far_sighted is None and finite.notes


def test_several_scenarios_critical_discounts_are_each_scenario_s_own():
    names = counter_scenarios(SINDOOR)
    assert names == [
        "counter-china-backs-pakistan",
        "counter-india-dependent",
        "counter-india-hedges",
        "counter-india-self-interest",
        "counter-mediator",
        "counter-pakistan-realigns",
        "counter-short-shadow",
        "counter-third-way",
        "pro-deterrence",
        "sindoor-new-order",
    ]
    assert counter_scenarios("prisoners-dilemma") == []
    r = critical_discounts([SINDOOR, "counter-mediator", "counter-short-shadow"])
    for name, result in zip(
        [SINDOOR, "counter-mediator", "counter-short-shadow"], r.results, strict=True
    ):
        assert result.roots == pytest.approx(recip.critical_discount(name).roots, abs=1e-12)
    assert [o.name for o in r.origins] == [SINDOOR, "counter-mediator", "counter-short-shadow"]
    doc = r.to_dict()
    assert doc["kind"] == "critical-discounts" and len(doc["scenarios"]) == 3
    assert doc["scenarios"][2]["result"]["own_point"]["discount"] == 0.25
    with pytest.raises(recip.ScenarioError, match="named twice"):
        critical_discounts([SINDOOR, SINDOOR])


def test_a_threshold_s_own_point_is_the_comparison_s_advantage():
    for name in (SINDOOR, "counter-short-shadow", "prisoners-dilemma"):
        r = recip.critical_discount(name)
        c = recip.compare(name, policies=list(r.policies), credibility=False)
        assert r.own[0] == c.setting.discount
        assert r.own[1] == pytest.approx(c.advantage[1], abs=1e-9)


def test_the_running_value_adds_up_the_verdict_s_weights():
    d = 0.9
    ev = recip.evaluate(SINDOOR)
    t = np.arange(len(ev.curve))
    by_hand = np.cumsum((1 - d) * d ** t[:, None] * ev.curve, axis=0)
    assert ev.running_value == pytest.approx(by_hand)
    # what the curve leaves out is at most the weight left, d^T, times the largest payoff
    gap = np.abs(ev.values - ev.running_value[-1])
    assert (gap <= d ** len(t) * np.abs(ev.curve).max() * 1.01).all()
    # a finite horizon, discounted: the last running value is the value
    fin = recip.evaluate(pd_scenario(rounds=12, noise=0.05))
    assert fin.running_value[-1] == pytest.approx(fin.values)
    # undiscounted rounds and the long-run average: the mean so far
    flat = recip.evaluate(pd_scenario(rounds=7, discount=None, noise=0.05))
    assert flat.running_value[-1] == pytest.approx(flat.values)
    lom = recip.evaluate(pd_scenario(noise=0.05), limit_of_means=True)
    assert lom.running_value[9] == pytest.approx(lom.curve[:10].mean(axis=0))
    assert "running_value" in ev.to_dict()


def test_a_two_key_sweep_holds_its_region_map():
    sw = recip.sweep(
        SINDOOR,
        {"horizon.discount": "0.3:0.9:4", "strategies.india": "aligning,myopic"},
        workers=1,
    )
    region = sw.to_dict()["region"]
    assert region["shape"] == [4, 2]
    assert region["axes"][1]["labels"] == ["aligning", "myopic"]
    assert region["axes"][0]["own"] == 0.9 and region["axes"][1]["own_text"] == "aligning"
    assert region["advantage"] == pytest.approx(sw.region_advantage.tolist())
    one = recip.sweep(SINDOOR, {"horizon.discount": "0.3:0.9:4"}, workers=1)
    assert one.region() is None and one.to_dict()["region"] is None


def test_a_document_without_a_seed_takes_the_result_s():
    from recip.report.results import results_document

    s = recip.load_scenario("prisoners-dilemma")
    doc = results_document(timeline(s, rounds=3, seed=5), s, "plot")
    assert doc["seed"] == 5
    doc = results_document(timeline(s, rounds=3, seed=5), s, "plot", seed=9)
    assert doc["seed"] == 9
