"""Scenarios that grow: reciprocating hubs of seven and eight players, joint-memory codes wider
than 64 bits, aligning with ten partners, and the linear solvers behind them.

Expected numbers are derived here: a hub's pairs are independent tit-for-tat processes that move
only when their crisis is drawn, so each pair's value is a four-state computation written out by
hand (:func:`pair_values`); eight unconditional cooperators earn their cooperation payoff; the
forgiveness mixture of a generous ``aligning`` is enumerated subset by subset.
"""

from __future__ import annotations

import itertools
import tracemalloc

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose

import recip
from recip.core import radix
from recip.engine import linalg
from recip.engine.kernel import Layout
from recip.model.setting import as_setting
from recip.scenario.load import Scenario
from recip.strategies import compile_for, parse
from recip.strategies.reciprocity import action_chances

BENEFIT, COST = 3.0, 1.0


def hub_data(n_players: int, *, noise: float = 0.05, discount: float = 0.9) -> dict:
    """A hub and ``n_players - 1`` spokes; world states 'calm' and one crisis per spoke, i.i.d.
    and equally likely. In spoke k's crisis the hub and spoke k each cooperate (+1 toward the
    other: the other gains BENEFIT, the giver pays COST) or defect (-1). Everyone aligns."""
    players = ["hub"] + [f"s{k}" for k in range(1, n_players)]
    states: dict = {"calm": {"probability": 1.0 / n_players}}
    terms = []
    for p in players[1:]:
        crisis = f"crisis_{p}"
        states[crisis] = {
            "probability": 1.0 / n_players,
            "actions": {
                "hub": {"cooperate": {p: 1}, "defect": {p: -1}},
                p: {"cooperate": {"hub": 1}, "defect": {"hub": -1}},
            },
        }
        for giver, taker in (("hub", p), (p, "hub")):
            terms.append(
                {"state": crisis, "when": {giver: "cooperate"}, taker: BENEFIT, giver: -COST}
            )
    return {
        "schema": 1,
        "title": f"a hub of {n_players}",
        "players": players,
        "states": states,
        "payoffs": terms,
        "horizon": {"discount": discount},
        "noise": {"execution": noise},
        "strategies": {p: "aligning" for p in players},
    }


def pair_values(q: float, eps: float, discount: float) -> tuple[float, float]:
    """Per-round discounted value, to the hub and to the spoke, of one hub-spoke pair.

    The pair's memory is (h, s): the spoke's last stance toward the hub and the hub's last
    toward the spoke, both +1 at first. With chance q the round is the pair's crisis: the hub
    intends to cooperate iff h = +1, the spoke iff s = +1, each act is flipped with chance eps,
    and (h, s) becomes (spoke's act, hub's act). Otherwise nothing happens. So the memory moves
    by K = (1 - q) I + q T, and the value is (1 - d) q e_(+,+) (I - d K)^-1 u."""
    order = [(1, 1), (1, -1), (-1, 1), (-1, -1)]
    T = np.zeros((4, 4))
    u_hub, u_spoke = np.zeros(4), np.zeros(4)
    for a, (h, s) in enumerate(order):
        hub_c = 1 - eps if h == 1 else eps  # chance the hub cooperates
        spoke_c = 1 - eps if s == 1 else eps
        u_hub[a] = BENEFIT * spoke_c - COST * hub_c
        u_spoke[a] = BENEFIT * hub_c - COST * spoke_c
        for b, (h2, s2) in enumerate(order):
            T[a, b] = (spoke_c if h2 == 1 else 1 - spoke_c) * (hub_c if s2 == 1 else 1 - hub_c)
    K = (1 - q) * np.eye(4) + q * T
    occupancy = (1 - discount) * q * np.linalg.solve((np.eye(4) - discount * K).T, np.eye(4)[0])
    return float(occupancy @ u_hub), float(occupancy @ u_spoke)


@pytest.mark.parametrize("n_players", [7, 8])
def test_reciprocating_hub_is_evaluated_exactly(n_players):
    """7 players: 2^6 x 2^6 joint memories; 8 players: 2^7 x 2^7 = 16,384 (the product of the
    unrestricted memory counts, 3^7 each, is 5e26: beyond 64-bit codes)."""
    s = Scenario.from_dict(hub_data(n_players))
    ev = recip.evaluate(s)
    assert ev.chain_size == 4 ** (n_players - 1)
    hub, spoke = pair_values(1.0 / n_players, 0.05, 0.9)
    assert_allclose(ev.values, [(n_players - 1) * hub] + [spoke] * (n_players - 1), rtol=1e-10)
    sim = recip.simulate(s, replicates=4000, seed=3)
    assert np.all(np.abs(sim.values - ev.values) <= 4.5 * sim.stderr + 1e-12)


def test_hub_subgame_perfection_on_every_situation():
    """Six players: the closure keeps world states (7 x 4^5 = 7,168 situations). Noisy
    tit-for-tat pairs are not subgame perfect (after a defection, forgiving pays)."""
    s = Scenario.from_dict(hub_data(6))
    result = recip.is_subgame_perfect(s)
    assert result.n_situations == 6 * 4**5
    assert not result


def test_codes_wider_than_one_word():
    """Eight players all aligning with everyone, 3 actions each, no noise: each compiles to
    3^7 memories and the joint memory space has 2187^8 (about 5e26) codes, so chain keys take
    two words; everyone starts friendly and cooperates for ever, so everyone earns 7 x (b - c)
    in every round."""
    players = [f"p{k}" for k in range(8)]
    actions = {
        p: {
            "give": {q: 1 for q in players if q != p},
            "keep": {},
            "take": {q: -1 for q in players if q != p},
        }
        for p in players
    }
    terms = [
        {
            "state": "round",
            "when": {p: "give"},
            p: -COST * 7,
            **{q: BENEFIT for q in players if q != p},
        }
        for p in players
    ]
    data = {
        "schema": 1,
        "title": "eight friends",
        "players": players,
        "states": {"round": {"actions": actions}},
        "payoffs": terms,
        "horizon": {"discount": 0.9},
        "strategies": {p: "aligning" for p in players},
    }
    setting = as_setting(Scenario.from_dict(data))
    automata = setting.compile_profile(setting.profile())
    assert [a.n_memories for a in automata] == [3**7] * 8
    assert Layout(1, [3**7] * 8).n_words == 2
    ev = recip.evaluate(setting)
    assert ev.chain_size == 1
    assert_allclose(ev.values, [7 * (BENEFIT - COST)] * 8, rtol=1e-14)


def test_multi_word_keys_sort_as_numbers():
    """Keys of two words order the digit tuples lexicographically, as one code would."""
    sizes = [3, 2**40, 2**40, 5]
    layout = Layout(sizes[0], sizes[1:])
    assert layout.n_words > 1
    rng = np.random.default_rng(0)
    digits = np.column_stack([rng.integers(0, n, 500) for n in sizes])
    words = np.zeros((500, layout.n_words), dtype=np.int64)
    for d in range(len(sizes)):
        words[:, layout.word[d]] += digits[:, d] * layout.place[d]
    keys = layout.keys(words)
    order = np.argsort(keys, kind="stable")
    expected = np.lexsort(digits.T[::-1])
    assert [tuple(r) for r in digits[order]] == [tuple(r) for r in digits[expected]]
    contexts, memories = layout.digits(keys)
    assert np.array_equal(np.column_stack([contexts, memories]), digits)


def test_radix_words_cut_greedily():
    assert radix.words([2] * 70) == [(0, 62), (62, 70)]
    assert radix.words([3, 4, 5]) == [(0, 3)]


# ----------------------------------------------------------------------------------------------
# aligning with many partners


def ten_partner_data(generosity: float) -> dict:
    """'hub' aligns with ten partners, each of which can side with it (+1), stay neutral or
    side against it (-1) in its own state; the hub acts in 'summit' (two actions whose stances
    toward the partners alternate). Tables are 3^10 memories x 12 states x 3 joint actions."""
    partners = [f"x{k}" for k in range(10)]
    states: dict = {
        f"meet_{p}": {
            "probability": 1 / 12,
            "actions": {p: {"up": {"hub": 1}, "flat": {}, "down": {"hub": -1}}},
        }
        for p in partners
    }
    states["summit"] = {
        "probability": 1 / 12,
        "actions": {
            "hub": {
                "east": {p: (1 if k % 2 else -1) for k, p in enumerate(partners)},
                "west": {p: (-1 if k % 2 else 1) for k, p in enumerate(partners)},
            }
        },
    }
    states["calm"] = {"probability": 1 / 12}
    return {
        "schema": 1,
        "title": "ten partners",
        "players": ["hub", *partners],
        "states": states,
        "horizon": {"discount": 0.9},
        "strategies": {
            "hub": {"name": "aligning", "generosity": generosity},
            **{p: "random" for p in partners},
        },
    }


@pytest.mark.parametrize("generosity", [0.0, 0.3])
def test_aligning_with_ten_partners_compiles_within_memory(generosity):
    """The old compilation built (3^10, 2^10, 10) forgiveness arrays (about 5 GB as floats);
    now the peak stays near the tables themselves."""
    s = Scenario.from_dict(ten_partner_data(generosity))
    game = s.game
    tracemalloc.start()
    try:
        automaton = compile_for(game, "hub", parse({"name": "aligning", "generosity": generosity}))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert automaton.n_memories == 3**10
    assert peak < 400 * 2**20, peak
    summit = game.state_index("summit")
    assert_allclose(automaton.policy[:, summit, :2].sum(axis=1), 1.0, atol=1e-12)


def test_generous_aligning_mixture_by_enumeration():
    """Three partners, memories in {-1, 0, +1}^3: the chance of each action is the sum, over
    the subsets F of hostile partners forgiven (each with chance g, independently), of
    g^|F| (1 - g)^(h - |F|) [the best-scoring action reading F as tolerance is a]."""
    stances = np.array([[1, -1, 0], [-1, 1, 1], [0, 0, -1]], dtype=float)  # (actions, partners)
    tol, g = 0.5, 0.3
    values = np.array(list(itertools.product((-1, 0, 1), repeat=3)))
    got = action_chances(values, stances, tol, g)
    neutrality = np.abs(stances).sum(axis=1)
    friendliness = stances.sum(axis=1)
    for m, mem in enumerate(values):
        expected = np.zeros(3)
        hostile = [p for p in range(3) if mem[p] == -1]
        for size in range(len(hostile) + 1):
            for forgiven in itertools.combinations(hostile, size):
                read = [tol if (v == 0 or p in forgiven) else float(v) for p, v in enumerate(mem)]
                scores = stances @ np.array(read)
                key = [
                    (-round(sc, 9), neutrality[a], -friendliness[a], a)
                    for a, sc in enumerate(scores)
                ]
                best = min(key)[3]
                expected[best] += g**size * (1 - g) ** (len(hostile) - size)
        assert_allclose(got[m], expected, atol=1e-15, err_msg=str(mem))


def test_aligning_compiles_only_the_memories_it_can_reach():
    """In sindoor-2025 India reveals support (+1) or distance (0) to Russia, Pakistan arm (-1)
    or stay out (0), both in the same state: Russia's aligning has 2 x 3 memory values (not
    3^2), and of those 'India neutral, Pakistan friendly' cannot be reached (once India has
    revealed anything, so has Pakistan): 5 memories. India's Pakistan never takes a stance
    toward India, so India keeps Russia's three answers x 1."""
    s = as_setting("sindoor-2025")
    russia = compile_for(s.game, "russia", parse("aligning"))
    india = compile_for(s.game, "india", parse("aligning"))
    assert russia.n_memories == 5 and india.n_memories == 3
    assert set(russia.memory_labels) == {f"india:{a},pakistan:{b}" for a in "0+" for b in "-0+"} - {
        "india:0,pakistan:+"
    }


# ----------------------------------------------------------------------------------------------
# linear solvers


def random_chain(n: int, k: int, seed: int = 0) -> sp.csr_matrix:
    rng = np.random.default_rng(seed)
    cols = rng.integers(0, n, size=(n, k))
    vals = rng.random((n, k))
    P = sp.csr_matrix((vals.ravel(), (np.repeat(np.arange(n), k), cols.ravel())), (n, n))
    return sp.diags(1 / np.asarray(P.sum(axis=1)).ravel()) @ P


@pytest.mark.parametrize("discount", [0.5, 0.9, 0.999])
def test_gmres_and_lu_agree_with_a_dense_solve(discount, monkeypatch):
    P = random_chain(800, 6)
    b = np.random.default_rng(1).random((800, 2))
    dense = np.linalg.solve(np.eye(800) - discount * P.toarray(), b)
    A = sp.identity(800, format="csr") - discount * P
    assert_allclose(linalg.solve_linear(A, b), dense, rtol=1e-11)
    assert_allclose(linalg.Resolvent(P)(discount, b), dense, rtol=1e-11)
    monkeypatch.setattr(linalg, "GMRES_STEPS", 1)  # GMRES gives up: sparse LU answers
    assert_allclose(linalg.solve_linear(A, b), dense, rtol=1e-11)
    assert_allclose(linalg.Resolvent(P)(discount, b), dense, rtol=1e-11)


def test_resolvent_over_many_discount_factors():
    P = random_chain(600, 5, seed=2)
    solver = linalg.Resolvent(P)
    b = np.random.default_rng(3).random(600)
    for d in np.concatenate([np.linspace(0, 0.99, 23), 1 - np.geomspace(1e-2, 1e-6, 5)]):
        x = solver(float(d), b)
        assert_allclose(x - d * (P @ x), b, rtol=0, atol=1e-13 * np.abs(x).max())


def test_blas_is_held_to_one_thread_during_large_solves():
    from threadpoolctl import threadpool_info

    with linalg.one_blas_thread(10_000):
        assert all(p["num_threads"] == 1 for p in threadpool_info() if p["user_api"] == "blas")


def test_chains_keyed_by_many_words_give_the_same_answers(monkeypatch):
    """Cut every digit of the chain keys into a word of its own (as keys wider than 64 bits
    are): the search, the index and the matrices built on them give the same chain, values
    and subgame-perfection gains as one-word keys."""
    from recip.engine import exact, kernel
    from recip.engine.chain import build_chain
    from recip.engine.deviation_build import deviation_model

    setting = as_setting(Scenario.from_dict(hub_data(5)))
    automata = setting.compile_profile(setting.profile())
    game, noise = setting.game, setting.noise
    expected = [build_chain(game, automata, noise, average=a) for a in (True, False)]
    model = deviation_model(game, automata, noise)
    gains = model.gains(0.9, model.values(0.9))
    monkeypatch.setattr(
        kernel.radix, "words", lambda sizes: [(d, d + 1) for d in range(len(sizes))]
    )
    assert kernel.Layout(2, [3, 4]).n_words == 3
    for average, want in zip((True, False), expected, strict=True):
        got = build_chain(game, automata, noise, average=average)
        assert got.size == want.size
        assert np.array_equal(got.memories, want.memories)
        assert (got.transition != want.transition).nnz == 0
        w = exact.discounted_occupancy(got, 0.9)
        assert_allclose(w @ got.reward, exact.discounted_occupancy(want, 0.9) @ want.reward)
    wide = deviation_model(game, automata, noise)
    assert wide.size == model.size and np.array_equal(wide.on_path, model.on_path)
    assert_allclose(wide.gains(0.9, wide.values(0.9)), gains)
