"""Is the reciprocity credible? Best responses (exact MDP optima) checked against closed forms
and brute force written here, named, fed back as strategies; commitment with best-responding
partners checked against values derived by hand."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import recip
from conftest import pd_data, pd_scenario
from recip.model.best_response import best_response
from recip.model.profile import compile_profile
from recip.model.setting import as_setting
from recip.questions.commitment import commit
from recip.questions.credibility import credibility

T, R, P, S = 5.0, 3.0, 1.0, 0.0


def pd(discount: float, noise: float = 0.0, payoffs=(T, R, P, S), col="aligning"):
    """The repeated prisoner's dilemma of ``conftest`` with payoffs ``(T, R, P, S)``."""
    t, r, p, s = payoffs
    return pd_scenario(r, s, t, p, discount=discount, noise=noise, strategies={"col": col})


def best_of(scenario, player: str, profile: dict):
    setting = as_setting(scenario)
    compiled = compile_profile(setting, setting.profile(profile))
    return best_response(compiled.deviations, setting.players.index(player), setting.discount)


# ----------------------------------------------------------------------------------------------
# closed forms in the repeated prisoner's dilemma


@pytest.mark.parametrize("delta", [0.15, 0.3, 0.45, 0.55, 0.6, 0.65, 0.7, 0.8, 0.95])
def test_best_response_to_tit_for_tat_is_the_best_of_its_three_closed_forms(delta):
    """Against TFT (aligning, two players, no noise) an optimal plan is stationary in TFT's
    memory: always cooperate (R), always defect ((1 - d) T + d P) or alternate (defect, then
    cooperate while TFT punishes: (T + d S) / (1 + d)); cooperation is optimal iff
    d >= max((T - R)/(T - P), (T - R)/(R - S)) = max(1/2, 2/3)."""
    br = best_of(pd(delta), "row", {"row": "aligning"})
    forms = {
        "cooperate": R,
        "defect": (1 - delta) * T + delta * P,
        "alternate": (T + delta * S) / (1 + delta),
    }
    assert br.value == pytest.approx(max(forms.values()), abs=1e-12)
    assert br.base == pytest.approx(R, abs=1e-12)
    cooperate = delta >= max((T - R) / (T - P), (T - R) / (R - S))
    assert (br.gain <= 1e-12) == cooperate
    c = credibility(pd(delta), policies=["aligning"])
    row = c.checks[0][0]
    # TFT against TFT is a best response where cooperating is, but never subgame perfect off
    # the path here: after a defection, forgiving once beats the echo of punishments
    assert row.status == ("not subgame perfect" if cooperate else "not a best response")
    assert row.gain == pytest.approx(br.gain, abs=1e-12)
    if not cooperate:
        assert "defect" in br.words


@pytest.mark.parametrize("delta", [0.2, 0.4, 0.6, 0.9])
def test_always_defect_answers_grim_trigger_below_its_threshold(delta):
    """Against grim trigger, always defecting earns (1 - d) T + d P and cooperating R: ALLD is
    the best response iff d < (T - R)/(T - P) = 1/2."""
    s = pd(delta, col="grim-trigger")
    br = best_of(s, "row", {"row": "always:defect"})
    alld = (1 - delta) * T + delta * P
    assert br.base == pytest.approx(alld, abs=1e-12)
    assert br.value == pytest.approx(max(alld, R), abs=1e-12)
    c = credibility(s, policies=["always:defect"])
    assert c.checks[0][0].credible == (delta < (T - R) / (T - P))


# ----------------------------------------------------------------------------------------------
# against brute force written here


def brute_force_vs_tft(payoffs, delta: float, eps: float) -> float:
    """Row's best value against TFT with execution noise ``eps`` on both sides, by trying every
    deterministic plan that depends on TFT's memory (row's last realised action: C or D) and
    solving each plan's two-state chain; TFT starts friendly (memory C)."""
    t, r, p, s = payoffs
    u = {("C", "C"): r, ("C", "D"): s, ("D", "C"): t, ("D", "D"): p}
    flip = {"C": "D", "D": "C"}
    best = -np.inf
    for plan in itertools.product("CD", repeat=2):
        intend = dict(zip("CD", plan, strict=True))
        M = np.zeros((2, 2))
        rew = np.zeros(2)
        for k, m in enumerate("CD"):
            for a, pa in ((intend[m], 1 - eps), (flip[intend[m]], eps)):
                for b, pb in ((m, 1 - eps), (flip[m], eps)):
                    rew[k] += pa * pb * u[a, b]
                    M[k, "CD".index(a)] += pa * pb
        v = np.linalg.solve(np.eye(2) - delta * M, (1 - delta) * rew)
        best = max(best, v[0])
    return best


@settings(max_examples=30, deadline=None)
@given(
    st.tuples(st.floats(0, 3), st.floats(0.5, 3), st.floats(0.5, 3), st.floats(0.5, 3)),
    st.floats(0.05, 0.95),
    st.sampled_from([0.0, 0.01, 0.1]),
)
def test_mdp_best_response_equals_brute_force(steps, delta, eps):
    a, b, c, d = steps
    payoffs = (a + b + c + d, a + b + c, a + b, a)  # T > R > P > S
    s = pd(round(delta, 6), eps, payoffs)
    br = best_of(s, "row", {"row": "always:cooperate"})
    expected = brute_force_vs_tft(payoffs, round(delta, 6), eps)
    assert br.value == pytest.approx(expected, abs=1e-9 * (1 + abs(expected)))


# ----------------------------------------------------------------------------------------------
# the op-ed's scenario, by hand (no noise: the arithmetic stays short)

SINDOOR0 = recip.load_scenario("sindoor-2025").with_overrides({"noise.execution": 0.0})
D = 0.9
#: Chance that no round of Russia's crisis has come yet, discounted: (1 - d) / (1 - 0.75 d).
FRESH = (1 - D) / (1 - 0.75 * D)


def test_india_is_not_credible_against_a_balancing_russia():
    """Supporting Russia nets India 1.5 - 1 = 0.5 in Russia's crises (a quarter of the rounds)
    and a balancing Russia never reacts: the best response supports always, 0.125 per round.
    India's aligning supports only until Russia's first neutral answer to an attack on India
    (no attack yet: 0.75 a round), worth 0.125 (1 - d) / (1 - 0.75 d)."""
    c = credibility(SINDOOR0)
    india = next(x for x in c.checks[0] if x.player == "india")
    assert not india.credible and india.status == "not a best response"
    assert india.best.value == pytest.approx(0.125, abs=1e-12)
    assert india.best.base == pytest.approx(0.125 * FRESH, abs=1e-12)
    assert india.gain == pytest.approx(0.125 * (1 - FRESH), abs=1e-12)
    assert india.best.words == "support in russia_isolated"
    assert india.best.table == (("russia_isolated", "-", "support"),)
    # and recip compare says so, unasked
    text = " ".join(run_cli("compare", "--set", "noise.execution=0").stdout.split())
    assert "Credibility" in text and "india's aligning(tolerance=0) is not credible" in text
    assert f"gains india {0.125 * (1 - FRESH):.3g} per round" in text


def test_committing_with_india_best_responding_gives_the_hand_values():
    """India's best response is to support whatever Russia does. Russia then earns 3 + 1.5 - 1
    = 3.5 in its crises (0.875 a round) and, when India is attacked, -0.25 balancing; aligning,
    it balances until Pakistan has armed Ukraine once (its friendly first reading of Pakistan
    makes every answer score 0) and then sides with India (-1): -1 + 0.75 (1 - d)/(1 - 0.75 d)
    a quarter of the rounds."""
    r = commit(SINDOOR0, partners=["india"])
    assert r.policies == ("balancing", "aligning")
    assert r.value(0) == pytest.approx(0.875 - 0.25 * 0.25, abs=1e-12)
    assert r.value(1) == pytest.approx(0.875 + 0.25 * (-1 + 0.75 * FRESH), abs=1e-12)
    india = r.commitments[1].evaluation.value("india")
    assert india == pytest.approx(0.125 + 0.25 * 2 * (1 - FRESH), abs=1e-12)
    assert r.policies[r.best] == "balancing" and all(c.converged for c in r.commitments)
    out = json.loads(
        run_cli(
            "compare",
            "--partners",
            "best-respond",
            "--adaptive",
            "india",
            "--json",
            "--set",
            "noise.execution=0",
        ).stdout
    )
    values = [c["values"]["russia"] for c in out["commitments"]]
    assert values == pytest.approx([0.8125, 0.875 + 0.25 * (-1 + 0.75 * FRESH)], abs=1e-12)


def test_a_named_best_response_fed_back_achieves_its_value(tmp_path):
    """Written as an automaton file and played with --set automata.NAME=@FILE, the best
    response earns exactly the value reported for it."""
    r = run_cli("credibility", "--out", str(tmp_path / "br"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    doc = json.loads((tmp_path / "br" / "results.json").read_text())
    checks = doc["policies"]["aligning"]
    india = next(x for x in checks if x["player"] == "india")
    path = tmp_path / "br" / "india-under-aligning.toml"
    r = run_cli(
        "compare",
        "--policy",
        "aligning",
        "--json",
        "--set",
        f"automata.india_br=@{path}",
        "--set",
        "strategies.india=india_br",
    )
    assert r.returncode == 0, r.stderr
    values = json.loads(r.stdout)["comparison"]["evaluations"]["aligning"]["values"]
    assert values["india"] == pytest.approx(india["best_response"]["value"], abs=1e-12)
    # and in Python, for every player and both policies
    s = recip.load_scenario("sindoor-2025")
    for k, policy in enumerate(("balancing", "aligning")):
        for x in credibility(s).checks[k]:
            if x.best is None:
                continue
            name = f"{x.player}_br"
            t = s.with_overrides({f"automata.{name}": x.best.spec, f"strategies.{x.player}": name})
            profile = {"russia": policy} if x.player != "russia" else {"russia": name}
            got = recip.evaluate(t, profile).value(x.player)
            assert got == pytest.approx(x.best.value, abs=1e-12)


def test_bad_requests_get_one_line(tmp_path):
    r = run_cli("compare", "--partners", "best-respond", "--adaptive", "russia")
    assert r.returncode == 2 and "focal player" in r.stderr and len(r.stderr.splitlines()) == 1
    r = run_cli("compare", "--adaptive", "india")
    assert r.returncode == 2 and "--partners best-respond" in r.stderr
    out = str(tmp_path / "out")
    r = run_cli("run", "--set", "automata.x=@/no/such/file.toml", "--no-figures", "--out", out)
    assert r.returncode == 2 and "/no/such/file.toml" in r.stderr


def run_cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "recip", *args], capture_output=True, text=True, cwd=cwd
    )


# ----------------------------------------------------------------------------------------------
# finite horizons: the last round, and how far back it unravels


def finite_notes(scenario, policy: str) -> list[str]:
    c = recip.compare(scenario, policies=[policy])
    assert c.credibility is None
    return [n for n in c.notes if n.startswith("finite horizon")]


def test_tit_for_tat_fails_only_in_the_last_round_against_tit_for_tat():
    """Ten rounds, no discounting, TFT (col) against TFT (row). In the last round defecting
    gains T - R = 2. With two rounds left, cooperating earns R now and T next (col defects last,
    row still cooperates): 8, against T now and P next (row answers the defection): 6; so col
    cooperates, and the unravelling stops after one round."""
    s = pd(0.5).with_overrides({"horizon.rounds": 10, "horizon.discount": 1.0})
    (note,) = finite_notes(s, "aligning")
    assert "col would not follow aligning(tolerance=0) in the last round" in note
    assert "gaining up to 2 " in note


def test_against_an_unconditional_partner_reciprocity_unravels_completely():
    """Row always cooperates whatever col does: col's defection costs it nothing later, so a
    payoff-maximising col defects in every one of the ten rounds."""
    s = pd(0.5).with_overrides({"horizon.rounds": 10, "horizon.discount": 1.0})
    (note,) = finite_notes(s, "always:cooperate")
    assert "in every round: backward induction unravels it completely" in note


def test_thresholds_name_the_best_response_where_the_profile_fails():
    """Grim trigger against grim trigger fails below d = (T - R)/(T - P) = 1/2; at d = 1/4 the
    best response is always defecting, worth (1 - d) T + d P = 4 against R = 3: a gain of 1."""
    s = pd(0.9, col="grim-trigger").with_overrides({"strategies.row": "grim-trigger"})
    r = recip.critical_discount(s, what="spe")
    named = r.grid_extra["best_responses"]
    assert {b["player"] for b in named} == {"row", "col"}
    for b in named:
        assert b["discount"] == pytest.approx(0.25)
        assert b["gain"] == pytest.approx(1.0, abs=1e-9)
        assert b["words"].startswith("defect in round")


# ----------------------------------------------------------------------------------------------
# random games, random automata: the MDP optimum against brute force over every plan


def random_world(draw_seed: int, S: int, M: int):
    """A two-player game of ``S`` world states (Markov nature from s0), two actions each, random
    payoffs; col follows a random automaton of ``M`` memories (what it plays in each state, and
    where every state and realised joint action sends it)."""
    rng = np.random.default_rng(draw_seed)
    u = np.round(rng.normal(size=(S, 2, 2, 2)) * 4) / 2  # [state, row action, col action, player]
    Q = rng.dirichlet(np.ones(S), size=S)
    play = rng.integers(0, 2, size=(M, S))
    nxt = rng.integers(0, M, size=(M, S, 2, 2))
    return u, Q, play, nxt


def scenario_of(u, Q, play, nxt, delta, eps):
    S, M = play.shape[1], play.shape[0]
    acts = ("a", "b")
    states = {
        f"s{s}": {
            "actions": {
                "row": {"a": {"col": 1}, "b": {"col": -1}},
                "col": {"a": {"row": 1}, "b": {"row": -1}},
            }
        }
        for s in range(S)
    }
    tables = {
        f"s{s}": {"row": u[s, :, :, 0].tolist(), "col": u[s, :, :, 1].tolist()} for s in range(S)
    }
    memories = {}
    for m in range(M):
        rules = [
            {
                "state": f"s{s}",
                "when": {"row": acts[a], "col": acts[b]},
                "to": f"m{nxt[m, s, a, b]}",
            }
            for s in range(S)
            for a in range(2)
            for b in range(2)
        ]
        memories[f"m{m}"] = {
            "play": {f"s{s}": acts[play[m, s]] for s in range(S)},
            "next": rules,
        }
    data = {
        "schema": 1,
        "title": "random",
        "players": ["row", "col"],
        "states": states,
        "tables": tables,
        "horizon": {"discount": delta},
        "noise": {"execution": eps},
        "automata": {"opp": {"initial": "m0", "memories": memories}},
        "strategies": {"row": "balancing", "col": "opp"},
    }
    if S > 1:
        data["nature"] = {
            "start": "s0",
            "transitions": {f"s{s}": {f"s{t}": float(Q[s, t]) for t in range(S)} for s in range(S)},
        }
    return recip.Scenario.from_dict(data)


def brute_force(u, Q, play, nxt, delta, eps) -> float:
    """Row's best value from (s0, m0): every deterministic plan over (world state, col's memory),
    each solved as a Markov chain written here (execution noise flips each intended action)."""
    M, S = play.shape
    best = -np.inf
    for flat in itertools.product(range(2), repeat=S * M):
        plan = np.array(flat).reshape(S, M)
        P = np.zeros((S * M, S * M))
        r = np.zeros(S * M)
        for s in range(S):
            for m in range(M):
                k = s * M + m
                for a in range(2):
                    pa = 1 - eps if a == plan[s, m] else eps
                    for b in range(2):
                        pb = 1 - eps if b == play[m, s] else eps
                        r[k] += pa * pb * u[s, a, b, 0]
                        for t in range(S):
                            P[k, t * M + nxt[m, s, a, b]] += pa * pb * Q[s, t]
        v = np.linalg.solve(np.eye(S * M) - delta * P, (1 - delta) * r)
        best = max(best, v[0])
    return best


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    S=st.integers(1, 2),
    M=st.integers(1, 3),
    delta=st.sampled_from([0.3, 0.7, 0.95]),
    eps=st.sampled_from([0.0, 0.05]),
)
def test_best_response_to_a_random_automaton_equals_brute_force(seed, S, M, delta, eps):
    u, Q, play, nxt = random_world(seed, S, M)
    if S == 1:
        Q = np.ones((1, 1))
    s = scenario_of(u, Q, play, nxt, delta, eps)
    br = best_of(s, "row", {})
    expected = brute_force(u, Q, play, nxt, delta, eps)
    assert br.value == pytest.approx(expected, abs=1e-9 * (1 + abs(expected)))
    # and played back as an automaton it earns that value
    t = s.with_overrides({"automata.row_br": br.spec, "strategies.row": "row_br"})
    assert recip.evaluate(t).value("row") == pytest.approx(br.value, abs=1e-9)


def test_the_unasked_check_says_when_it_is_skipped_and_words_group_states():
    """Two reciprocators over 200 i.i.d. world states: the averaged chain is small, but the
    deviation model keeps the world state (about 200 x the chain's states, each with 200 next
    states): compare skips the check and says so; recip.credibility still answers, grouping
    the 200 states in one clause."""
    data = pd_data(noise=0.01, strategies={"row": "aligning", "col": "aligning"})
    pd_state = data["states"].pop("round")
    table = data["tables"].pop("round")
    for k in range(200):
        data["states"][f"s{k}"] = {**pd_state, "probability": 1 / 200}
        data["tables"][f"s{k}"] = table
    s = recip.Scenario.from_dict(data)
    c = recip.compare(s)
    assert c.credibility is None
    assert any(n.startswith("credibility not checked") for n in c.notes)
    full = credibility(s, policies=["always:defect"])
    col = next(x for x in full.checks[0] if x.player == "col")
    assert col.best.words == "defect in 200 states (s0, s1, s2, s3, ...)"
