"""Observation noise (``noise.observation``): each player misreads each other player's action with
its own chance, and its memory follows what it perceived.

Expected numbers come from independent computations written here from the definition: the
4-state chain of two tit-for-tat players (what row remembers, what col remembers) written by
hand, and a brute-force chain over (world state, joint memory) that enumerates every perceived
joint action of every player. The simulator is held to the exact values within 4 standard
errors, with fixed seeds.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import brentq

import recip
from conftest import STANDARD, pd_data, pd_scenario, scenario_dicts
from recip.core.errors import ScenarioError
from recip.engine import exact
from recip.engine import perception as perception_module
from recip.engine.chain import build_chain
from recip.engine.perception import Misreading
from recip.engine.simulate import CHUNK, simulate_profile
from recip.model.inputs import declared_inputs
from recip.model.profile import compile_profile
from recip.model.setting import as_setting
from recip.scenario.load import Scenario

BAND = 4.0
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

R, S, T, P = 3.0, 0.0, 5.0, 1.0
ROW_PAYOFF = np.array([[R, S], [T, P]])  # [row's action, col's action]; 0 = C, 1 = D


def tft(eps_row: float, eps_col: float, **kw) -> Scenario:
    """Two tit-for-tat players (``aligning``) in the prisoner's dilemma (R, S, T, P) = (3, 0, 5,
    1), with observation-error rates of row and col."""
    data = pd_data(R, S, T, P, **kw)
    data["noise"]["observation"] = {"row": eps_row, "col": eps_col}
    return Scenario.from_dict(data)


def flip(eps: float) -> np.ndarray:
    """``K[a, a']``: the chance of reading action ``a`` as ``a'`` with two actions."""
    return np.array([[1 - eps, eps], [eps, 1 - eps]])


def tft_chain(eps_row: float, eps_col: float, execution: float = 0.0):
    """The chain over (x, y) = (what row remembers col did, what col remembers row did), state
    ``2 x + y``, by hand: row intends x and col y (tit-for-tat plays what it remembers), each
    realised action is the other one with chance ``execution``, and each player then remembers
    the other's realised action as it perceived it: row misreads with ``eps_row``, col with
    ``eps_col``. Returns the transition matrix and row's expected payoff in each state."""
    E, Kr, Kc = flip(execution), flip(eps_row), flip(eps_col)
    P4 = np.zeros((4, 4))
    r = np.zeros(4)
    for x, y, a, b, x2, y2 in itertools.product(range(2), repeat=6):
        played = E[x, a] * E[y, b]  # row plays a, col plays b
        P4[2 * x + y, 2 * x2 + y2] += played * Kr[b, x2] * Kc[a, y2]
    for x, y, a, b in itertools.product(range(2), repeat=4):
        r[2 * x + y] += E[x, a] * E[y, b] * ROW_PAYOFF[a, b]
    return P4, r


def stationary(P4: np.ndarray) -> np.ndarray:
    """The stationary law of an irreducible chain: pi (P - I) = 0, sum pi = 1."""
    A = np.vstack([(P4 - np.eye(len(P4))).T, np.ones(len(P4))])
    b = np.zeros(len(P4) + 1)
    b[-1] = 1.0
    return np.linalg.lstsq(A, b, rcond=None)[0]


def discounted(P4: np.ndarray, r: np.ndarray, delta: float) -> float:
    """(1 - delta) e_CC (I - delta P)^-1 r: both start remembering cooperation."""
    start = np.zeros(len(P4))
    start[0] = 1.0
    return float((1 - delta) * start @ np.linalg.solve(np.eye(len(P4)) - delta * P4, r))


# ----------------------------------------------------------------------------------------------
# two tit-for-tat players, by hand


@pytest.mark.parametrize(
    "eps_row,eps_col", [(0.1, 0.1), (0.01, 0.01), (0.3, 0.05), (0.5, 0.5), (0.9, 0.2)]
)
def test_tit_for_tat_pair_matches_the_hand_written_chain(eps_row, eps_col):
    scenario = tft(eps_row, eps_col)
    P4, r = tft_chain(eps_row, eps_col)
    pi = stationary(P4)
    long_run = recip.evaluate(scenario, limit_of_means=True)
    assert long_run.chain_size == 4
    # occupancy of the joint actions CC, CD, DC, DD (row's first) = the stationary law
    assert_allclose(long_run.occupancy[0, :4], pi, atol=1e-12)
    assert_allclose(long_run.value("row"), pi @ r, atol=1e-12)
    for delta in (0.5, 0.9, 0.99):
        ev = recip.evaluate(scenario.with_overrides({"horizon.discount": delta}))
        assert_allclose(ev.value("row"), discounted(P4, r, delta), rtol=1e-12, atol=1e-12)
        if eps_row == eps_col:
            assert_allclose(ev.value("col"), ev.value("row"), rtol=1e-12)


@given(eps=st.floats(1e-4, 1 - 1e-4))
@settings(max_examples=30, deadline=None)
def test_tit_for_tat_pair_spends_a_quarter_of_the_time_in_each_outcome(eps):
    """The known result: under symmetric observation error TFT vs TFT is a doubly stochastic
    chain on the four outcomes, so in the long run CC, CD, DC and DD each take 1/4 of the rounds,
    whatever eps in (0, 1) -- and the long-run payoff is (R + S + T + P) / 4."""
    ev = recip.evaluate(tft(eps, eps), limit_of_means=True)
    assert_allclose(ev.occupancy[0, :4], [0.25] * 4, atol=1e-9)
    assert_allclose(ev.values, [(R + S + T + P) / 4] * 2, atol=1e-9)


def test_execution_and_observation_noise_together_match_the_hand_written_chain():
    scenario = tft(0.1, 0.2, noise=0.05)
    P4, r = tft_chain(0.1, 0.2, execution=0.05)
    ev = recip.evaluate(scenario)
    assert_allclose(ev.value("row"), discounted(P4, r, 0.9), rtol=1e-12)
    long_run = recip.evaluate(scenario, limit_of_means=True)
    assert_allclose(long_run.value("row"), stationary(P4) @ r, atol=1e-12)


def test_the_advantage_threshold_works_on_the_chain_with_observation_noise():
    """Where tit-for-tat starts to pay row more than always defecting, against a tit-for-tat col
    that misreads with eps: always defecting earns 5 in the first round and then 5 when col
    misread the last defection (chance eps), else 1: (1 - d) 5 + d (1 + 4 eps)."""
    eps = 0.1
    scenario = tft(eps, eps)

    def advantage(d: float) -> float:
        P4, r = tft_chain(eps, eps)
        return discounted(P4, r, d) - ((1 - d) * 5 + d * (1 + 4 * eps))

    expected = brentq(advantage, 0.05, 0.99, xtol=1e-14)
    result = recip.critical_discount(scenario, policies=["always:defect", "aligning"])
    assert len(result.roots) == 1
    assert result.roots[0] == pytest.approx(expected, abs=1e-9)
    assert "observation noise 0.1" in result.conditions.text()


# ----------------------------------------------------------------------------------------------
# random games against a brute-force chain


def brute_force_values(scenario: Scenario, observation, discount: float) -> np.ndarray:
    """Every player's discounted value from a chain over (world state, joint memory) built by
    enumeration, straight from the definitions: execution noise on the intended action; then
    every player i, for every joint action j' it may perceive (each other player's action misread
    with chance eps_i, as each other of its actions with eps_i / (n - 1); its own and any
    one-action player's read correctly), moves to update_i[m_i, s, j']; players perceive
    independently; nature moves on."""
    setting = as_setting(scenario)
    game = setting.game
    automata = setting.compile_profile(setting.profile())
    n = game.n_players

    def intended(i, m, s):
        k = int(game.n_actions[s, i])
        pol = automata[i].policy[m, s, :k]
        e = setting.noise[i]
        return pol if k == 1 else (1 - e) * pol + e * (1 - pol) / (k - 1)

    def perceive(i, s, j, jp):
        w = 1.0
        for k in range(n):
            a, b = game.joint_actions[s, j, k], game.joint_actions[s, jp, k]
            nk = int(game.n_actions[s, k])
            if k == i or nk == 1:
                if a != b:
                    return 0.0
            else:
                w *= (1 - observation[i]) if a == b else observation[i] / (nk - 1)
        return w

    memory = [a.initial for a in automata]
    for s, j in game.history:
        memory = [int(a.update[m, s, j]) for a, m in zip(automata, memory, strict=True)]
    index: dict = {}
    todo = []
    for s in np.flatnonzero(game.start > 0):
        index[(int(s), tuple(memory))] = len(index)
        todo.append((int(s), tuple(memory)))
    moves: dict = defaultdict(float)
    reward: dict = defaultdict(lambda: np.zeros(n))
    while todo:
        s, m = todo.pop()
        here = index[(s, m)]
        chances = [intended(i, m[i], s) for i in range(n)]
        for j in range(int(game.n_joint[s])):
            pj = np.prod([chances[i][game.joint_actions[s, j, i]] for i in range(n)])
            if pj == 0:
                continue
            reward[here] = reward[here] + pj * game.payoffs[s, j]
            laws = []
            for i in range(n):
                law: dict = defaultdict(float)
                for jp in range(int(game.n_joint[s])):
                    w = perceive(i, s, j, jp)
                    if w > 0:
                        law[int(automata[i].update[m[i], s, jp])] += w
                laws.append(list(law.items()))
            for combo in itertools.product(*laws):
                nxt = tuple(x for x, _ in combo)
                w = pj * np.prod([p for _, p in combo])
                # nature moves on the true joint action (a stochastic game's law by (s, j))
                law = game.transition[s] if game.moves is None else game.moves[s, j]
                for t in np.flatnonzero(law > 0):
                    key = (int(t), nxt)
                    if key not in index:
                        index[key] = len(index)
                        todo.append(key)
                    moves[(here, index[key])] += w * law[t]
    N = len(index)
    Pm = np.zeros((N, N))
    for (a, b), w in moves.items():
        Pm[a, b] += w
    r = np.array([reward[k] if k in reward else np.zeros(n) for k in range(N)])
    mu0 = np.zeros(N)
    for s in np.flatnonzero(game.start > 0):
        mu0[index[(int(s), tuple(memory))]] = game.start[s]
    return (1 - discount) * mu0 @ np.linalg.solve(np.eye(N) - discount * Pm, r)


MEMORIED = (
    "aligning",
    {"name": "aligning", "memory": "grim"},
    {"name": "aligning", "generosity": 0.25, "tolerance": 0.5},
    {"name": "aligning", "initial": -1},
    "myopic",
    "win-stay-lose-shift",
    "grim-trigger",
    "random",
    "balancing",
)


@st.composite
def reciprocal_games(draw, observation=(0.0, 0.1, 0.35, 1.0)) -> dict:
    """Random games in which memories depend on what others did: 2-3 players acting with 2-3
    actions of random stances in 1-2 world states (i.i.d. or Markov nature, perhaps moved by an
    action, perhaps a scripted round), random payoff tables, strategies that remember, execution
    and observation noise."""
    n = draw(st.integers(2, 3))
    players = ["ann", "bob", "cy"][:n]
    states = ["calm", "crisis"][: draw(st.integers(1, 2))]
    actions = {}
    for s in states:
        actions[s] = {}
        for p in players:
            if s != states[0] and draw(st.booleans()):
                continue  # passes here
            k = draw(st.integers(2, 3))
            actions[s][p] = {
                a: {q: draw(st.sampled_from([-1, 0, 1])) for q in players if q != p}
                for a in ("help", "wait", "harm")[:k]
            }
    data: dict = {
        "schema": 1,
        "title": "reciprocal",
        "players": players,
        "states": {s: {"actions": actions[s]} for s in states},
        "tables": {},
        "horizon": {"discount": draw(st.sampled_from([0.5, 0.9]))},
        "noise": {
            "execution": draw(st.sampled_from([0.0, 0.05])),
            "observation": {p: draw(st.sampled_from(observation)) for p in players},
        },
        "strategies": {p: draw(st.sampled_from(MEMORIED)) for p in players},
    }
    for s in states:
        shape = [len(actions[s][p]) for p in players if p in actions[s]]
        data["tables"][s] = {
            p: np.array(
                draw(
                    st.lists(
                        st.integers(-4, 4),
                        min_size=int(np.prod(shape)),
                        max_size=int(np.prod(shape)),
                    )
                )
            )
            .reshape(shape)
            .tolist()
            for p in players
        }
    if len(states) == 2:
        if draw(st.booleans()):
            data["nature"] = {
                "start": "calm",
                "transitions": {
                    "calm": {"calm": 0.75, "crisis": 0.25},
                    "crisis": {"calm": 0.5, "crisis": 0.5},
                },
            }
        else:
            data["states"]["calm"]["probability"] = 0.625
            data["states"]["crisis"]["probability"] = 0.375
        if draw(st.booleans()):  # a stochastic game: ann's first action in calm brings a crisis
            first = next(iter(actions["calm"]["ann"]))
            data["nature"] = {
                **data.get("nature", {}),
                "after": [
                    {
                        "state": "calm",
                        "when": {"ann": first},
                        "next": {"crisis": 0.75, "calm": 0.25},
                    }
                ],
            }
    if draw(st.booleans()):
        s = states[-1]
        data["history"] = [
            {
                "state": s,
                "actions": {p: draw(st.sampled_from(sorted(actions[s][p]))) for p in actions[s]},
            }
        ]
    return data


#: a random grim trigger may face a partner with no hostile action, and recip says so
QUIET = pytest.mark.filterwarnings("ignore:grim-trigger .* never fires:UserWarning")


@pytest.mark.slow
@QUIET
@given(data=reciprocal_games())
@settings(SETTINGS, max_examples=60)
def test_random_games_match_a_brute_force_chain(data):
    players = data["players"]
    observation = data["noise"]["observation"]
    discount = data["horizon"]["discount"]
    scenario = Scenario.from_dict(data)
    setting = as_setting(scenario)
    profile = compile_profile(setting, setting.profile())
    assume(profile.chain.size <= 150)
    expected = brute_force_values(scenario, [observation[p] for p in players], discount)
    got = recip.evaluate(scenario).values
    assert_allclose(got, expected, rtol=1e-9, atol=1e-9)
    # the chain over (world state, joint memory), which an i.i.d. nature's evaluation averages
    # away, gives the same values
    full = build_chain(
        setting.game,
        profile.automata,
        setting.noise,
        average=False,
        observation=setting.observation,
    )
    weights, _ = exact.solve(full, discount=discount, rounds=None, curve_rounds=1)
    assert_allclose(weights @ full.reward, expected, rtol=1e-9, atol=1e-9)


def feud_game(observation) -> Scenario:
    """Two tit-for-tat players in a stochastic game: a defection by ann in calm brings a crisis
    (chance 3/4), where the stakes are doubled; a crisis passes with chance 1/2."""
    pd = {"cooperate": {"bob": 1}, "defect": {"bob": -1}}
    pd_b = {"cooperate": {"ann": 1}, "defect": {"ann": -1}}
    table = {"ann": [[3, 0], [5, 1]], "bob": [[3, 5], [0, 1]]}
    return Scenario.from_dict(
        {
            "schema": 1,
            "title": "feud",
            "players": ["ann", "bob"],
            "states": {
                "calm": {"actions": {"ann": pd, "bob": pd_b}},
                "crisis": {"actions": {"ann": pd, "bob": pd_b}},
            },
            "nature": {
                "start": "calm",
                "transitions": {"calm": {"calm": 1.0}, "crisis": {"calm": 0.5, "crisis": 0.5}},
                "after": [
                    {
                        "state": "calm",
                        "when": {"ann": "defect"},
                        "next": {"crisis": 0.75, "calm": 0.25},
                    }
                ],
            },
            "tables": {
                "calm": table,
                "crisis": {p: [[2 * x for x in row] for row in t] for p, t in table.items()},
            },
            "horizon": {"discount": 0.9},
            "noise": {"execution": 0.05, "observation": observation},
            "strategies": {"ann": "aligning", "bob": "aligning"},
        }
    )


@pytest.mark.parametrize("observation", [{"ann": 0.1, "bob": 0.2}, {"bob": 0.3}, 1.0])
def test_a_stochastic_game_with_observation_noise_matches_the_brute_force_chain(observation):
    scenario = feud_game(observation)
    rates = [scenario.spec.observation[p] for p in scenario.players]
    expected = brute_force_values(scenario, rates, 0.9)
    exact = recip.evaluate(scenario)
    assert_allclose(exact.values, expected, rtol=1e-12, atol=1e-12)
    assert_agree(exact, recip.simulate(scenario, replicates=6000, seed=8), 10.0)


# ----------------------------------------------------------------------------------------------
# zero observation noise is no observation noise, bit for bit


@pytest.mark.slow
@QUIET
@given(
    data=st.one_of(
        scenario_dicts(max_players=3, max_states=3, max_actions=3),
        reciprocal_games(observation=(0.0,)),
    ),
    average=st.booleans(),
)
@SETTINGS
def test_zero_observation_noise_changes_nothing(data, average):
    data = {**data, "noise": {"execution": data["noise"]["execution"]}}
    scenario = Scenario.from_dict(data)
    setting = as_setting(scenario)
    automata = setting.compile_profile(setting.profile())
    zeros = (0.0,) * len(setting.players)
    game, noise = setting.game, setting.noise
    try:
        plain = build_chain(game, automata, noise, average=average)
    except ScenarioError:
        assume(False)
    zero = build_chain(game, automata, noise, average=average, observation=zeros)
    for a, b in ((plain.transition, zero.transition),):
        assert_array_equal(a.indptr, b.indptr)
        assert_array_equal(a.indices, b.indices)
        assert_array_equal(a.data, b.data)
    assert_array_equal(plain.reward, zero.reward)
    assert_array_equal(plain.memories, zero.memories)
    kw = {"rounds": 5, "replicates": 300, "seed": 4, "discount": 0.9, "finite": True}
    one = simulate_profile(game, automata, noise, **kw)
    other = simulate_profile(game, automata, noise, observation=zeros, **kw)
    assert_array_equal(one.samples, other.samples)
    assert_array_equal(one.occupancy, other.occupancy)
    # and through the scenario: noise.observation = 0 written out is the default
    explicit = Scenario.from_dict({**data, "noise": {**data["noise"], "observation": 0.0}})
    assert_array_equal(recip.evaluate(explicit).values, recip.evaluate(scenario).values)


def test_misreading_a_player_that_remembers_nothing_changes_nothing():
    """No memory of a player depends on what it saw: no branch, the very same chain."""
    scenario = pd_scenario(
        *STANDARD, noise=0.1, strategies={"row": "always:defect", "col": "random"}
    )
    setting = as_setting(scenario)
    automata = setting.compile_profile(setting.profile())
    plain = build_chain(setting.game, automata, setting.noise)
    misread = build_chain(setting.game, automata, setting.noise, observation=(0.3, 0.3))
    assert_array_equal(plain.transition.toarray(), misread.transition.toarray())


# ----------------------------------------------------------------------------------------------
# simulated = exact


def assert_agree(exact, simulated, scale: float = 1.0) -> None:
    slack = BAND * simulated.stderr + 1e-7 * max(scale, 1.0)
    gap = np.abs(simulated.values - exact.values)
    assert np.all(gap <= slack), (exact.values, simulated.values, simulated.stderr)


def world(observation) -> Scenario:
    """test_simulate's Markov world of three states (three actions for a, history) with
    observation noise."""
    from test_simulate import world_data

    data = world_data()
    data["noise"] = {**data["noise"], "observation": observation}
    return Scenario.from_dict(data)


@pytest.mark.parametrize(
    "scenario",
    [
        pytest.param(lambda: tft(0.1, 0.1), id="tft-pair"),
        pytest.param(lambda: tft(0.3, 0.05, noise=0.02, rounds=15), id="tft-pair-finite"),
        pytest.param(lambda: world({"a": 0.2, "b": 0.1, "c": 0.3}), id="markov-world"),
        pytest.param(
            lambda: recip.load_scenario("sindoor-2025").with_overrides({"noise.observation": 0.1}),
            id="sindoor-iid",
        ),
    ],
)
def test_simulation_agrees_with_exact(scenario):
    scenario = scenario()
    exact = recip.evaluate(scenario)
    simulated = recip.simulate(scenario, replicates=6000, seed=21)
    assert_agree(exact, simulated, float(np.abs(scenario.game.payoffs).max()))
    tolerance = BAND * np.sqrt(0.25 / 6000) + 1e-9
    assert np.all(np.abs(simulated.occupancy - exact.occupancy) <= tolerance)


def test_simulation_is_reproducible_and_independent_of_workers():
    scenario = world({"a": 0.2, "c": 0.3})
    replicates = 2 * CHUNK + 100
    one = recip.simulate(scenario, replicates=replicates, seed=5, workers=1)
    two = recip.simulate(scenario, replicates=replicates, seed=5, workers=3)
    again = recip.simulate(scenario, replicates=replicates, seed=5, workers=1)
    for x in (two, again):
        assert_array_equal(one.samples, x.samples)
        assert_array_equal(one.curve, x.curve)
        assert_array_equal(one.occupancy, x.occupancy)
    other = recip.simulate(scenario, replicates=replicates, seed=6)
    assert not np.array_equal(one.samples, other.samples)
    # observation noise draws from streams of its own: nature's draws are the same as without
    observer = scenario.players.index("observer")
    quiet = world(0.0)
    a = recip.simulate(scenario, replicates=500, seed=9, record=True).trajectories[1]
    b = recip.simulate(quiet, replicates=500, seed=9, record=True).trajectories[1]
    assert_array_equal(a[:, :, observer], b[:, :, observer])


def test_a_misread_action_is_another_one_uniformly():
    """Three actions, eps = 0.3: read correctly 0.7, as each other action 0.15."""
    game = world(0.3).game
    misread = Misreading(game, [0.3, 0.0, 0.0, 0.0])
    rng = np.random.default_rng(1)
    size = 200_000
    states = np.zeros(size, dtype=np.int64)  # calm: a (3 actions) and b (2 actions) act
    actions = np.zeros((4, size), dtype=np.int64)
    actions[1] = 1  # b plays its second action
    joint = actions[1] * game.strides[0, 1]
    seen = misread.perceived(0, joint, actions, states, lambda: rng.random(size))
    b_read = (seen // game.strides[0, 1]) % game.n_actions[0, 1]
    assert abs(np.mean(b_read == 1) - 0.7) < 0.005
    # an observer reading a (three actions): b misreads with its own rate
    misread = Misreading(game, [0.0, 0.3, 0.0, 0.0])
    seen = misread.perceived(1, joint, actions, states, lambda: rng.random(size))
    a_read = (seen // game.strides[0, 0]) % game.n_actions[0, 0]
    freq = np.bincount(a_read, minlength=3) / size
    assert_allclose(freq, [0.7, 0.15, 0.15], atol=0.005)
    # its own action it always reads correctly
    assert np.all((seen // game.strides[0, 1]) % game.n_actions[0, 1] == 1)


# ----------------------------------------------------------------------------------------------
# the format, the conditions, the limits


def test_the_format_takes_a_rate_a_table_and_an_uncertain_value():
    base = recip.load_scenario("prisoners-dilemma")
    assert base.spec.observation == {"row": 0.0, "col": 0.0}
    assert base.with_overrides({"noise.observation": 0.05}).spec.observation == {
        "row": 0.05,
        "col": 0.05,
    }
    one = base.with_overrides({"noise.observation": {"col": 0.2}})
    assert one.spec.observation == {"row": 0.0, "col": 0.2}
    assert "observation noise col 0.2" in recip.evaluate(one).conditions.text()
    uncertain = base.with_overrides({"noise.observation": {"value": 0.05, "low": 0.0, "high": 0.2}})
    assert uncertain.spec.observation["row"] == 0.05
    assert [i.key for i in declared_inputs(uncertain)] == ["noise.observation"]
    for bad, key in [
        (1.5, "noise.observation"),
        ({"nobody": 0.1}, "noise.observation.nobody"),
        ({"value": 0.1, "low": 0.0, "high": 2.0}, "noise.observation.high"),
    ]:
        with pytest.raises(ScenarioError) as err:
            base.with_overrides({"noise.observation": bad})
        assert err.value.key == key


def test_results_record_the_observation_noise():
    ev = recip.evaluate(tft(0.1, 0.05))
    doc = ev.to_dict()
    assert doc["observation"] == {"row": 0.1, "col": 0.05}
    assert doc["conditions"]["observation"] == {"row": 0.1, "col": 0.05}
    assert "observation noise row 0.1, col 0.05" in ev.conditions.text()
    quiet = recip.evaluate(pd_scenario(*STANDARD))
    assert "observation" not in quiet.conditions.text()
    assert quiet.to_dict()["observation"] == {"row": 0.0, "col": 0.0}


def test_a_perception_table_beyond_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(perception_module, "MAX_TABLE_ENTRIES", 10)
    with pytest.raises(ScenarioError, match="observation noise") as err:
        recip.evaluate(tft(0.1, 0.1))
    assert err.value.key == "noise.observation"
    # simulation needs no table
    recip.simulate(tft(0.1, 0.1), replicates=100)


def test_the_branches_count_against_the_chain_work_limit(monkeypatch):
    """Without noise two tit-for-tat players stay in one chain state (one triple of work); with
    observation noise each of the four chain states spreads its joint action over the four
    pairs of perceived next memories: 16."""
    from recip.engine import chain as chain_module

    monkeypatch.setattr(chain_module, "MAX_CHAIN_WORK", 10)
    assert recip.evaluate(tft(0.0, 0.0)).chain_size == 1
    with pytest.raises(ScenarioError, match="observation noise"):
        recip.evaluate(tft(0.1, 0.1))
    monkeypatch.setattr(chain_module, "MAX_CHAIN_WORK", 16)
    assert recip.evaluate(tft(0.1, 0.1)).chain_size == 4


# ----------------------------------------------------------------------------------------------
# analyses that need a shared history are refused


@pytest.mark.parametrize(
    "ask",
    [
        lambda s: recip.is_subgame_perfect(s),
        lambda s: recip.credibility(s),
        lambda s: recip.critical_discount(s, what="spe"),
        lambda s: recip.critical_discount(s, what="nash"),
        lambda s: recip.commit(s),
    ],
)
def test_subgame_perfection_and_best_responses_are_refused(ask):
    with pytest.raises(ScenarioError, match="observation noise") as err:
        ask(tft(0.1, 0.0))
    assert err.value.key == "noise.observation"
    assert "share no history" in str(err.value)


def test_compare_skips_credibility_with_a_reason():
    result = recip.compare(tft(0.1, 0.1))
    assert result.credibility is None
    assert any("credibility not checked" in n and "noise.observation" in n for n in result.notes)
    finite = recip.compare(tft(0.1, 0.1, rounds=10))
    assert any("noise.observation" in n for n in finite.notes)


# ----------------------------------------------------------------------------------------------
# the command line


def run_recip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "recip", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_run_prints_and_records_the_observation_noise(tmp_path):
    out = tmp_path / "out"
    r = run_recip("run", "prisoners-dilemma", "--set", "noise.observation=0.1", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "observation noise 0.1" in r.stdout
    assert "credibility not checked" in r.stdout + r.stderr
    doc = json.loads((out / "results.json").read_text())
    comparison = doc["comparison"]
    assert comparison["conditions"]["observation"] == {"row": 0.1, "col": 0.1}
    for evaluation in comparison["evaluations"].values():
        assert evaluation["observation"] == {"row": 0.1, "col": 0.1}
    shown = run_recip("show", "prisoners-dilemma", "--set", "noise.observation={ col = 0.05 }")
    assert shown.returncode == 0, shown.stderr
    assert "observation noise col 0.05" in " ".join(shown.stdout.split())


@pytest.mark.parametrize("value", ["1.5", "-0.1", "often", "{ nobody = 0.1 }"])
def test_cli_refuses_a_bad_observation_rate(value):
    r = run_recip("run", "prisoners-dilemma", "--set", f"noise.observation={value}")
    assert r.returncode == 2
    assert "key 'noise.observation" in r.stderr
    assert r.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [
        ("equilibria", "prisoners-dilemma", "--spe"),
        ("credibility", "prisoners-dilemma"),
        ("threshold", "prisoners-dilemma", "--what", "spe"),
    ],
)
def test_cli_refuses_subgame_perfection_with_observation_noise(args):
    r = run_recip(*args, "--set", "noise.observation=0.1")
    assert r.returncode == 2
    assert "key 'noise.observation'" in r.stderr
    assert "not defined with observation noise" in r.stderr


def test_misreading_with_each_players_own_discount_factor():
    """Issue 9's building blocks together: two tit-for-tat players who misread (0.1 and 0.2) and
    discount at their own rates (0.9 and 0.6): each player's value is the hand-written chain's
    discounted value at its own discount factor (col's payoff by symmetry: transpose the
    outcome)."""
    scenario = tft(0.1, 0.2).with_overrides({"horizon.discount": {"row": 0.9, "col": 0.6}})
    P4, r_row = tft_chain(0.1, 0.2)
    # col's payoff in state (x, y): the same sum with the roles of the actions swapped
    E = flip(0.0)
    r_col = np.zeros(4)
    for x, y, a, b in itertools.product(range(2), repeat=4):
        r_col[2 * x + y] += E[x, a] * E[y, b] * ROW_PAYOFF[b, a]
    ev = recip.evaluate(scenario)
    assert_allclose(ev.values, [discounted(P4, r_row, 0.9), discounted(P4, r_col, 0.6)], rtol=1e-10)
    assert ev.observation == (0.1, 0.2)  # recorded on this path too (it was left out)
