"""The exact evaluator against closed forms from the literature and against brute force.

Every expected number here is derived in the test (or its docstring) from first principles, not
read back from recip: tit-for-tat's noisy long-run payoff, the win-stay-lose-shift stationary
distribution, Nowak and Sigmund's reactive-strategy formula, Press and Dyson's enforced linear
relation, the discounted and finite-horizon values of grim and tit-for-tat against
always-defect, and, for random small games, values computed by propagating the joint
distribution with plain Python.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import recip
from conftest import (
    PAYOFF_SETS,
    STANDARD,
    outcome_payoffs,
    pd_payoffs,
    pd_scenario,
    reactive_cooperation,
    scenario_dicts,
)
from recip.core.errors import AnalysisError
from recip.scenario.load import Scenario
from recip.strategies import compile_for, parse

# Chances within rounding error of 0 or 1 (1 - 1e-300 == 1) cannot be represented in a
# transition matrix at all, and a class left with chance e is solved to about 1e-16 / e; so
# probabilities are 0, 1, or at least 1e-6 away from both.
probability = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(1e-6, 1 - 1e-6))
inner_probability = st.floats(0.02, 0.98)

# ----------------------------------------------------------------------------------------------
# Limit-of-means oracles


@pytest.mark.parametrize("payoffs", PAYOFF_SETS)
@pytest.mark.parametrize("eps", [0.001, 0.01, 0.2, 0.5, 0.9])
def test_tft_pair_under_noise_earns_the_mean_payoff(payoffs, eps):
    """Noisy TFT vs TFT: the chain over outcomes is doubly stochastic, so each outcome is visited
    a quarter of the time and both earn (R + S + T + P) / 4, whatever eps in (0, 1)."""
    s = pd_scenario(*payoffs, noise=eps)
    ev = recip.evaluate(s, limit_of_means=True)
    assert_allclose(ev.values, [sum(payoffs) / 4] * 2, rtol=0, atol=1e-10)
    assert_allclose(ev.occupancy[0], [0.25] * 4, atol=1e-10)


@given(payoffs=pd_payoffs(), eps=st.floats(1e-4, 1 - 1e-4))
@settings(max_examples=40, deadline=None)
def test_tft_pair_mean_payoff_property(payoffs, eps):
    ev = recip.evaluate(pd_scenario(*payoffs, noise=eps), limit_of_means=True)
    assert_allclose(ev.values, [sum(payoffs) / 4] * 2, atol=1e-9)


def wsls_stationary(eps: float) -> np.ndarray:
    """Stationary distribution of WSLS vs WSLS over (CC, CD, DC, DD) with execution error eps.

    After CC or DD both intend C; after CD or DC both intend D. So with ``a`` the stationary
    chance of {CC, DD} and ``b = 1 - a``, the outcome of the next round is

        CC: a (1-e)^2 + b e^2,   CD = DC: e (1-e),   DD: a e^2 + b (1-e)^2,

    and ``b = P(CD) + P(DC) = 2 e (1 - e)``.
    """
    b = 2 * eps * (1 - eps)
    a = 1 - b
    return np.array(
        [
            a * (1 - eps) ** 2 + b * eps**2,
            eps * (1 - eps),
            eps * (1 - eps),
            a * eps**2 + b * (1 - eps) ** 2,
        ]
    )


def test_wsls_pair_published_value():
    """P(CC) = 0.960696 at eps = 0.01 (default aspiration: the mean stage payoff)."""
    s = pd_scenario(
        *STANDARD,
        noise=0.01,
        strategies={"row": "win-stay-lose-shift", "col": "win-stay-lose-shift"},
    )
    occupancy = recip.evaluate(s, limit_of_means=True).occupancy[0]
    assert_allclose(occupancy[0], 0.960696, atol=5e-7)
    assert_allclose(occupancy, wsls_stationary(0.01), atol=1e-12)


@pytest.mark.parametrize("payoffs", PAYOFF_SETS)
@pytest.mark.parametrize("eps", [0.001, 0.05, 0.1, 0.3, 0.5, 0.8])
def test_wsls_pair_stationary_distribution(payoffs, eps):
    R, _S, _T, P = payoffs
    wsls = {"name": "win-stay-lose-shift", "aspiration": (R + P) / 2}
    s = pd_scenario(*payoffs, noise=eps, strategies={"row": wsls, "col": wsls})
    ev = recip.evaluate(s, limit_of_means=True)
    pi = wsls_stationary(eps)
    assert_allclose(ev.occupancy[0], pi, atol=1e-12)
    assert_allclose(ev.values, pi @ outcome_payoffs(*payoffs), atol=1e-10)


@given(
    payoffs=pd_payoffs(),
    row=st.tuples(inner_probability, inner_probability),
    col=st.tuples(inner_probability, inner_probability),
    initial=st.tuples(probability, probability),
)
@settings(max_examples=60, deadline=None)
def test_reactive_strategies_match_nowak_sigmund(payoffs, row, col, initial):
    """Reactive strategies (p, q) = memory-one (p, q, p, q): long-run cooperation rates
    c1 = (q1 + r1 q2) / (1 - r1 r2) and payoff R c1 c2 + S c1 (1-c2) + T (1-c1) c2 +
    P (1-c1)(1-c2) (the moves of one round are independent given the previous one)."""
    (p1, q1), (p2, q2) = row, col
    strategies = {
        "row": {"name": "memory-one", "p": [p1, q1, p1, q1], "initial": initial[0]},
        "col": {"name": "memory-one", "p": [p2, q2, p2, q2], "initial": initial[1]},
    }
    ev = recip.evaluate(pd_scenario(*payoffs, strategies=strategies), limit_of_means=True)
    c1, c2 = reactive_cooperation(p1, q1, p2, q2)
    R, S, T, P = payoffs
    row_value = R * c1 * c2 + S * c1 * (1 - c2) + T * (1 - c1) * c2 + P * (1 - c1) * (1 - c2)
    col_value = R * c1 * c2 + T * c1 * (1 - c2) + S * (1 - c1) * c2 + P * (1 - c1) * (1 - c2)
    assert_allclose(ev.values, [row_value, col_value], atol=1e-9)
    assert_allclose(ev.action_frequency("row", "round")["cooperate"], c1, atol=1e-9)
    assert_allclose(ev.action_frequency("col", "round")["cooperate"], c2, atol=1e-9)


@given(
    payoffs=pd_payoffs(),
    kind=st.sampled_from(["extortionate", "generous"]),
    chi=st.floats(1.0, 8.0),
    phi=st.floats(0.05, 1.0),
    opponent=st.lists(probability, min_size=4, max_size=4),
    opponent_initial=probability,
    zd_initial=probability,
)
@settings(max_examples=80, deadline=None)
def test_zero_determinant_enforces_linear_relation(
    payoffs, kind, chi, phi, opponent, opponent_initial, zd_initial
):
    """Against any memory-one opponent, s_X - l = chi (s_Y - l) in the long run, with l = P
    (extortionate) or l = R (generous) [Press-Dyson2012, Stewart-Plotkin2013]. Opponents include
    deterministic ones, whose chains can be reducible."""
    R, _S, _T, P = payoffs
    strategies = {
        "row": {"name": "zd", "kind": kind, "chi": chi, "phi": phi, "initial": zd_initial},
        "col": {"name": "memory-one", "p": opponent, "initial": opponent_initial},
    }
    ev = recip.evaluate(pd_scenario(*payoffs, strategies=strategies), limit_of_means=True)
    baseline = P if kind == "extortionate" else R
    sx, sy = ev.values
    scale = max(abs(v) for v in payoffs)
    assert_allclose(sx - baseline, chi * (sy - baseline), atol=1e-9 * chi * scale)


@pytest.mark.parametrize("escape", [1e-3, 1e-12, 1e-17, 1e-200])
def test_limit_of_means_leaves_a_nearly_closed_class(escape):
    """Suspicious TFT vs p = (0, 0, 1, escape) starting from DD: mutual defection is left with
    chance ``escape`` per round for the closed cycle DC, CD, DC, ... so in the long run both
    earn (T + S) / 2, however small the chance (1 - 1e-17 == 1 in floating point)."""
    strategies = {
        "row": {"name": "aligning", "initial": -1},
        "col": {"name": "memory-one", "p": [0.0, 0.0, 1.0, escape], "initial": 0.0},
    }
    _R, S, T, _P = STANDARD
    ev = recip.evaluate(pd_scenario(*STANDARD, strategies=strategies), limit_of_means=True)
    assert_allclose(ev.values, [(T + S) / 2] * 2, atol=1e-9)
    assert_allclose(ev.occupancy[0], [0.0, 0.5, 0.5, 0.0], atol=1e-9)


def _cycle_then_cooperation(escape):
    """Suspicious TFT vs p = (1, escape, 0, 1): DD, then the cycle DC -> CD -> DD ... (row's
    view), left for mutual cooperation with chance ``escape`` once per cycle."""
    strategies = {
        "row": {"name": "aligning", "initial": -1},
        "col": {"name": "memory-one", "p": [1.0, escape, 0.0, 1.0], "initial": 0.0},
    }
    return pd_scenario(*STANDARD, strategies=strategies)


@pytest.mark.parametrize("escape", [0.5, 1e-3, 1e-6])
def test_limit_of_means_leaves_a_slowly_left_cycle(escape):
    R = STANDARD[0]
    ev = recip.evaluate(_cycle_then_cooperation(escape), limit_of_means=True)
    assert_allclose(ev.values, [R, R], atol=1e-8)


def test_limit_of_means_refuses_what_floating_point_cannot_represent():
    """Left with chance 1e-286 per cycle, the cycle's transition chances round to exactly 1:
    the answer is either right (R each) or an AnalysisError saying why, never a traceback."""
    try:
        ev = recip.evaluate(_cycle_then_cooperation(1e-286), limit_of_means=True)
    except AnalysisError as exc:
        assert "floating point" in str(exc)
    else:
        assert_allclose(ev.values, [STANDARD[0]] * 2, atol=1e-8)


def test_extortioner_against_unconditional_cooperator():
    """Against ALLC, extortion with chi gets T and S mixed so that s_X - P = chi (s_Y - P)
    with s_X > s_Y: the extortioner wins."""
    strategies = {"row": {"name": "zd", "chi": 3.0}, "col": "always:cooperate"}
    ev = recip.evaluate(pd_scenario(*STANDARD, strategies=strategies), limit_of_means=True)
    sx, sy = ev.values
    assert_allclose(sx - 1.0, 3.0 * (sy - 1.0), atol=1e-12)
    assert sx > sy > 1.0


# ----------------------------------------------------------------------------------------------
# Discounted and finite-horizon oracles


@pytest.mark.parametrize("payoffs", PAYOFF_SETS)
@pytest.mark.parametrize("delta", [0.0, 0.5, 0.9, 0.99])
@pytest.mark.parametrize("trigger", [{"name": "aligning", "memory": "grim"}, "aligning"])
def test_grim_and_tft_against_always_defect_discounted(payoffs, delta, trigger):
    """Grim (and TFT) vs ALLD: S then P forever, so the per-round value is (1-d) S + d P;
    ALLD gets (1-d) T + d P."""
    _R, S, T, P = payoffs
    s = pd_scenario(*payoffs, discount=delta, strategies={"row": trigger, "col": "always:defect"})
    ev = recip.evaluate(s)
    assert_allclose(ev.values, [(1 - delta) * S + delta * P, (1 - delta) * T + delta * P])


@pytest.mark.parametrize("payoffs", PAYOFF_SETS)
@pytest.mark.parametrize("rounds", [1, 2, 5, 17])
def test_tft_against_always_defect_finite(payoffs, rounds):
    """Over T rounds TFT gets (S + (T-1) P) / T and ALLD (T_payoff + (T-1) P) / T."""
    _R, S, T, P = payoffs
    s = pd_scenario(*payoffs, discount=None, rounds=rounds, strategies={"col": "always:defect"})
    ev = recip.evaluate(s)
    expected = [(S + (rounds - 1) * P) / rounds, (T + (rounds - 1) * P) / rounds]
    assert_allclose(ev.values, expected)
    assert ev.criterion == "finite"
    assert_allclose(ev.curve[:, 0], [S] + [P] * (rounds - 1))


@pytest.mark.parametrize("delta", [0.5, 0.95])
@pytest.mark.parametrize("rounds", [1, 3, 10])
def test_tft_against_always_defect_discounted_finite(delta, rounds):
    """Both a discount and T rounds: weights d^t normalised over the T rounds."""
    _R, S, T, P = STANDARD
    s = pd_scenario(*STANDARD, discount=delta, rounds=rounds, strategies={"col": "always:defect"})
    w = delta ** np.arange(rounds)
    w = w / w.sum()
    row = np.array([S] + [P] * (rounds - 1))
    col = np.array([T] + [P] * (rounds - 1))
    assert_allclose(recip.evaluate(s).values, [w @ row, w @ col])


@pytest.mark.parametrize("rounds", [1, 2, 7, 8])
def test_wsls_against_always_defect_alternates(rounds):
    """WSLS vs ALLD: C (sucker, shift) D (punished, shift) C D ...; payoffs S, P, S, P, ..."""
    _R, S, _T, P = STANDARD
    s = pd_scenario(
        *STANDARD,
        discount=None,
        rounds=rounds,
        strategies={"row": "win-stay-lose-shift", "col": "always:defect"},
    )
    curve = [S if t % 2 == 0 else P for t in range(rounds)]
    ev = recip.evaluate(s)
    assert_allclose(ev.curve[:, 0], curve)
    assert_allclose(ev.values[0], np.mean(curve))


@given(payoffs=pd_payoffs(), delta=st.floats(0.0, 0.99))
@settings(max_examples=30, deadline=None)
def test_cooperation_among_reciprocators_is_worth_R(payoffs, delta):
    """Without noise, TFT, grim and WSLS cooperate with each other forever: value R."""
    R, _S, _T, P = payoffs
    wsls = {"name": "win-stay-lose-shift", "aspiration": (R + P) / 2}
    for row, col in [("aligning", {"name": "aligning", "memory": "grim"}), (wsls, "aligning")]:
        s = pd_scenario(*payoffs, discount=delta, strategies={"row": row, "col": col})
        assert_allclose(recip.evaluate(s).values, [R, R], atol=1e-12)


@given(payoffs=pd_payoffs(), delta=st.floats(0.05, 0.95))
@settings(max_examples=30, deadline=None)
def test_tft_against_alternator_discounted(payoffs, delta):
    """TFT vs the alternator (C, D, C, D, ...): TFT echoes one round late, so the outcomes are
    CC, CD, DC, CD, DC, ...: row gets R, then S, T, S, T ...

    Value = (1-d) [R + d S / (1 - d^2) + d^2 T / (1 - d^2)]."""
    R, S, T, _P = payoffs
    automata = {
        "alternator": {
            "memories": {
                "even": {"play": "cooperate", "next": "odd"},
                "odd": {"play": "defect", "next": "even"},
            }
        }
    }
    s = pd_scenario(
        *payoffs,
        discount=delta,
        strategies={"row": "aligning", "col": "alternator"},
        automata=automata,
    )
    d = delta
    row = (1 - d) * (R + d * S / (1 - d**2) + d**2 * T / (1 - d**2))
    col = (1 - d) * (R + d * T / (1 - d**2) + d**2 * S / (1 - d**2))
    assert_allclose(recip.evaluate(s).values, [row, col], atol=1e-10)


# ----------------------------------------------------------------------------------------------
# Brute force: the joint distribution propagated in plain Python


def next_law(data, game, s: int, j: int) -> np.ndarray:
    """Nature's law after a round in state ``s`` with joint action ``j``, read from the scenario
    data as the format defines it (the first matching ``[[nature.after]]`` rule, else nature's
    own row), independently of recip's builder."""
    actions = game.joint_label(s, j)
    for rule in (data.get("nature") or {}).get("after", []):
        where = rule.get("state")
        where = [where] if isinstance(where, str) else where
        if where is not None and game.states[s] not in where:
            continue
        when = rule.get("when", {})
        if all(actions[p] in ([a] if isinstance(a, str) else a) for p, a in when.items()):
            return np.array([float(rule["next"].get(t, 0.0)) for t in game.states])
    return game.transition[s]


def brute_force_values(game, automata, noise, discount, rounds, tol=1e-12, data=None):
    """Per-round value by pushing the distribution over (world state, memories) forward round
    by round with dictionaries, reading the compiled tables directly (no recip.engine). With the
    scenario ``data``, nature's moves are read from its rules (:func:`next_law`)."""
    n = game.n_players

    def law(s, j):
        return game.transition[s] if data is None else next_law(data, game, s, j)

    memory = [a.initial for a in automata]
    for s, j in game.history:
        memory = [int(a.update[m, s, j]) for a, m in zip(automata, memory, strict=True)]
    start = game.start
    if data is not None and game.history and "start" not in (data.get("nature") or {}):
        start = law(*game.history[-1])  # nature goes on from the last scripted round
    dist = {(s, tuple(memory)): float(p) for s, p in enumerate(start) if p > 0}
    if rounds is not None:
        weights = np.ones(rounds) if discount is None else discount ** np.arange(rounds)
        weights = weights / weights.sum()
    elif discount == 0.0:
        weights = np.ones(1)
    else:
        horizon = int(np.ceil(np.log(tol) / np.log(discount)))
        weights = (1 - discount) * discount ** np.arange(horizon)
    value = np.zeros(n)
    for w in weights:
        nxt: dict = defaultdict(float)
        for (s, mem), mass in dist.items():
            choices = []
            for i in range(n):
                k = int(game.n_actions[s, i])
                intended = automata[i].policy[mem[i], s, :k]
                realised = []
                for a in range(k):
                    if k == 1:
                        realised.append(1.0)
                        continue
                    others = sum(intended[b] for b in range(k) if b != a)
                    realised.append((1 - noise[i]) * intended[a] + noise[i] * others / (k - 1))
                choices.append(realised)
            for acts in itertools.product(*[range(len(c)) for c in choices]):
                chance = mass * float(np.prod([choices[i][a] for i, a in enumerate(acts)]))
                if chance == 0.0:
                    continue
                j = sum(a * int(game.strides[s, i]) for i, a in enumerate(acts))
                value += w * chance * game.payoffs[s, j]
                new_mem = tuple(int(automata[i].update[mem[i], s, j]) for i in range(n))
                moved = law(s, j)
                for t in range(game.n_states):
                    if moved[t] > 0:
                        nxt[(t, new_mem)] += chance * moved[t]
        dist = nxt
    return value


def _profile(scenario):
    spec = scenario.spec
    automata = []
    for i, player in enumerate(spec.players):
        strategy = spec.strategies.get(player, "balancing")
        assert player in spec.strategies or not scenario.game.acts[:, i].any()
        automata.append(compile_for(scenario.game, player, parse(strategy, spec.automata)))
    return automata


@given(
    data=scenario_dicts(
        discounts=(0.0, 0.3, 0.6), max_rounds=5, max_players=3, max_states=2, max_actions=3
    )
)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_exact_matches_brute_force_on_random_games(data):
    scenario = Scenario.from_dict(data)
    game, spec = scenario.game, scenario.spec
    noise = [spec.noise[p] for p in spec.players]
    expected = brute_force_values(
        game, _profile(scenario), noise, spec.discount, spec.rounds, data=data
    )
    assert_allclose(recip.evaluate(scenario).values, expected, atol=1e-9, rtol=1e-9)


# Hand-written strategies of the prisoner's dilemma: the chance of cooperating given the
# player's own past moves and the opponent's (True = cooperated). Independent of recip's
# compilers: these define the strategies as the literature does.


def tft(mine, theirs):
    return 1.0 if not theirs else float(theirs[-1])


def suspicious_tft(mine, theirs):
    return 0.0 if not theirs else float(theirs[-1])


def grim(mine, theirs):
    return float(all(theirs))


def gtft(generosity):
    def play(mine, theirs):
        return 1.0 if not theirs or theirs[-1] else generosity

    return play


def pavlov(mine, theirs):
    if not mine:
        return 1.0
    return float(mine[-1] == theirs[-1])  # stay after R or T, shift after S or P


def memory_one(p, initial):
    def play(mine, theirs):
        if not mine:
            return initial
        return p[2 * (not mine[-1]) + (not theirs[-1])]

    return play


def always(c):
    return lambda mine, theirs: float(c)


HAND_WRITTEN = {
    "tft": (tft, "aligning"),
    "stft": (suspicious_tft, {"name": "aligning", "initial": -1}),
    "grim": (grim, {"name": "aligning", "memory": "grim"}),
    "gtft": (gtft(0.3), {"name": "aligning", "generosity": 0.3}),
    "wsls": (pavlov, "win-stay-lose-shift"),
    "m1": (
        memory_one((0.9, 0.2, 0.6, 0.4), 0.7),
        {"name": "memory-one", "p": [0.9, 0.2, 0.6, 0.4], "initial": 0.7},
    ),
    "allc": (always(True), "always:cooperate"),
    "alld": (always(False), "always:defect"),
    "random": (always(0.5), "random"),
    "balancing": (always(True), "balancing"),
}


def enumerate_histories(row, col, payoffs, rounds, eps, discount):
    """Exact expected per-round value by summing over every realised history of ``rounds``
    rounds (4^rounds of them), with execution errors flipping each move with chance eps."""
    table = outcome_payoffs(*payoffs)
    w = np.ones(rounds) if discount is None else discount ** np.arange(rounds)
    w = w / w.sum()
    total = np.zeros(2)

    def walk(t, mine, theirs, chance):
        nonlocal total
        if t == rounds:
            return
        c_row = row(mine, theirs)
        c_col = col(theirs, mine)
        c_row = (1 - eps) * c_row + eps * (1 - c_row)
        c_col = (1 - eps) * c_col + eps * (1 - c_col)
        for a, b in itertools.product((True, False), repeat=2):
            p = chance * (c_row if a else 1 - c_row) * (c_col if b else 1 - c_col)
            if p == 0:
                continue
            total += w[t] * p * table[2 * (not a) + (not b)]
            walk(t + 1, (*mine, a), (*theirs, b), p)

    walk(0, (), (), 1.0)
    return total


@pytest.mark.parametrize(
    "row,col",
    [
        ("tft", "tft"),
        ("tft", "stft"),
        ("grim", "gtft"),
        ("wsls", "tft"),
        ("wsls", "alld"),
        ("m1", "gtft"),
        ("m1", "wsls"),
        ("random", "grim"),
        ("balancing", "stft"),
        ("allc", "m1"),
    ],
)
@pytest.mark.parametrize("eps,discount", [(0.0, None), (0.1, None), (0.05, 0.8)])
def test_finite_horizon_matches_history_enumeration(row, col, eps, discount):
    payoffs = STANDARD
    rounds = 5
    s = pd_scenario(
        *payoffs,
        discount=discount,
        rounds=rounds,
        noise=eps,
        strategies={"row": HAND_WRITTEN[row][1], "col": HAND_WRITTEN[col][1]},
    )
    expected = enumerate_histories(
        HAND_WRITTEN[row][0], HAND_WRITTEN[col][0], payoffs, rounds, eps, discount
    )
    assert_allclose(recip.evaluate(s).values, expected, atol=1e-12)


def test_discounted_value_is_the_limit_of_long_finite_horizons():
    """(1-d) sum_t d^t u_t equals the normalised finite-horizon value as T grows."""
    strategies = {"row": HAND_WRITTEN["m1"][1], "col": HAND_WRITTEN["gtft"][1]}
    infinite = recip.evaluate(
        pd_scenario(*STANDARD, discount=0.7, noise=0.02, strategies=strategies)
    )
    finite = recip.evaluate(
        pd_scenario(*STANDARD, discount=0.7, rounds=150, noise=0.02, strategies=strategies)
    )
    assert_allclose(finite.values, infinite.values, atol=1e-12)


# ----------------------------------------------------------------------------------------------
# A periodic chain and a discounted finite horizon


def _noiseless_pd():
    return recip.load_scenario("prisoners-dilemma").with_overrides({"noise.execution": 0.0})


def test_limit_of_means_of_a_periodic_chain():
    """TFT against suspicious TFT alternates (C, D), (D, C) forever: a period-2 chain whose
    Cesaro limit gives each player (S + T) / 2 = 2.5."""
    pd = _noiseless_pd()
    ev = recip.evaluate(
        pd, {"row": "aligning", "col": {"name": "aligning", "initial": -1}}, limit_of_means=True
    )
    np.testing.assert_allclose(ev.values, [2.5, 2.5], atol=1e-12)
    np.testing.assert_allclose(ev.occupancy[0], [0.0, 0.5, 0.5, 0.0], atol=1e-12)


def test_discounted_finite_horizon_closed_form():
    """Three rounds weighted 1, d, d^2 (normalised): TFT against ALLD earns S, P, P."""
    d = 0.9
    pd = _noiseless_pd()
    ev = recip.evaluate(pd.with_overrides({"horizon.rounds": 3}), {"col": "always:defect"})
    w = np.array([1.0, d, d * d]) / (1 + d + d * d)
    np.testing.assert_allclose(ev.values, [w @ [0, 1, 1], w @ [5, 1, 1]], atol=1e-12)
