"""The bundled scenarios and the op-ed's claim map.

Every bundled scenario loads; the op-ed scenarios cite the claim map and every claim in it; and
each scenario's verdict -- the sign of the focal player's advantage from aligning over balancing
-- comes out of its numbers. For every scenario the table below names one parameter change that
flips the verdict, so this file also documents what drives each verdict.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import recip
from recip.scenario import bundled
from recip.scenario.claims import load_claim_map
from recip.scenario.load import thaw
from recip.scenario.overrides import parse_set

NAMES = bundled.scenario_names()
OP_ED = "sindoor-2025"
SEED = bundled.seeds_dir() / "gupta-2025-06-24.toml"
CLAIM_IDS = [f"C{k}" for k in range(1, 13)]


def values(scenario, policies=("balancing", "aligning")) -> dict[str, float]:
    """The focal player's exact per-round value under each policy (others: the scenario's)."""
    focal = scenario.spec.focal
    return {p: recip.evaluate(scenario, {focal: p}).value(focal) for p in policies}


def advantage(scenario) -> float:
    """Focal value under aligning minus under balancing."""
    v = values(scenario)
    return v["aligning"] - v["balancing"]


# scenario, sign of the advantage, smallest |advantage|, an override that flips the sign, and why
VERDICTS = [
    (
        "sindoor-2025",
        +1,
        0.25,
        {"strategies.india.tolerance": 1.0},
        "India reads neutrality as support: balancing no longer costs India's support",
    ),
    (
        "history-2022-2025",
        +1,
        0.25,
        {"strategies.india.tolerance": 1.0},
        "India forgives the 2025 neutrality: nothing to win back by aligning",
    ),
    (
        "counter-india-self-interest",
        -1,
        0.05,
        {"strategies.india": {"name": "aligning", "tolerance": 0.0}},
        "India's support becomes contingent on Russia's answer again",
    ),
    (
        "counter-china-backs-pakistan",
        -1,
        0.1,
        {"strategies.china": "always:support"},
        "China does not make Russia pay for siding against Pakistan (the op-ed's C8)",
    ),
    (
        "counter-short-shadow",
        -1,
        0.05,
        {"horizon.discount": 0.9},
        "the op-ed's long shadow of the future (C7, C12)",
    ),
    (
        "counter-india-hedges",
        +1,
        0.05,
        {"payoffs.taking_sides.russia": -2.0},
        "taking sides costs twice the op-ed's estimate, on top of India's hedging",
    ),
    (
        "counter-india-dependent",
        -1,
        0.1,
        {"strategies.india": "aligning"},
        "India's support becomes contingent on Russia's answer (its threat credible again)",
    ),
    (
        "counter-third-way",
        +1,
        0.25,
        {"strategies.india.tolerance": 1.0},
        "India forgives neutrality: nothing to win back by aligning (condemning still wins)",
    ),
    (
        "counter-mediator",
        -1,
        0.05,
        {"payoffs.neutrality_after_terror.russia": 0.5},
        "neutrality's standing shrinks to a third: reciprocity pays again",
    ),
    (
        "counter-pakistan-realigns",
        -1,
        0.1,
        {"nature.after[0].next": {"calm": 0.5, "russia_isolated": 0.25, "india_attacked": 0.25}},
        "Pakistan has nowhere to go (the op-ed's C8): Russia's alignment starts no axis",
    ),
    (
        "pro-deterrence",
        +1,
        0.3,
        {"strategies.india": "always:support"},
        "India supports Russia whatever it does: deterrence alone does not pay for a side",
    ),
    (
        "sindoor-new-order",
        +1,
        0.5,
        {"strategies.india.tolerance": 1.0},
        "India reads neutrality kindly: no reciprocity to earn, however much trust counts",
    ),
    (
        "donation-game",
        +1,
        1.0,
        {"horizon.discount": 0.25},
        "discount below c / b = 1/3",
    ),
    (
        "prisoners-dilemma",
        -1,
        0.03,
        {"strategies.col": "always:defect"},
        "unconditional cooperation (balancing) is exploited by a defector",
    ),
]


@pytest.mark.parametrize("name", NAMES)
def test_every_bundled_scenario_loads_and_compares(name):
    s = recip.load_scenario(name)
    assert s.title and s.spec.description
    assert s.spec.focal in s.players
    assert s.spec.policies is not None and {"balancing", "aligning"} <= set(s.spec.policies)
    for policy in s.spec.policies:
        ev = recip.evaluate(s, {s.spec.focal: policy})
        assert ev.values.shape == (len(s.players),)


def test_the_default_scenario_is_bundled():
    assert bundled.DEFAULT_SCENARIO in NAMES


def test_every_bundled_scenario_has_a_verdict_entry():
    assert sorted(v[0] for v in VERDICTS) == NAMES


@pytest.mark.parametrize(
    ("name", "sign", "margin", "flip", "why"), VERDICTS, ids=[v[0] for v in VERDICTS]
)
def test_verdict_comes_from_the_numbers_and_flips(name, sign, margin, flip, why):
    s = recip.load_scenario(name)
    before = advantage(s)
    assert sign * before > margin, f"{name}: advantage {before:+.4f}"
    after = advantage(s.with_overrides(flip))
    assert sign * after < 0, f"{name} with {flip} ({why}): advantage {after:+.4f}"


# --- the reasons behind the verdicts ------------------------------------------------------------


def support_rate(scenario, policy: str, supporter: str) -> float:
    """How often, in the long run, ``supporter`` sides with Russia when Russia is isolated."""
    ev = recip.evaluate(scenario, {"russia": policy}, limit_of_means=True)
    return ev.stance_frequency(supporter, "russia", "russia_isolated")[1]


@pytest.mark.parametrize("name", ["sindoor-2025", "history-2022-2025"])
def test_balancing_loses_indias_support_in_the_op_ed_scenarios(name):
    s = recip.load_scenario(name)
    assert support_rate(s, "balancing", "india") < 0.1
    assert support_rate(s, "aligning", "india") > 0.9


def test_self_interested_india_supports_whatever_russia_does():
    s = recip.load_scenario("counter-india-self-interest")
    assert support_rate(s, "balancing", "india") == pytest.approx(
        support_rate(s, "aligning", "india")
    )


def test_china_withdraws_its_support_from_an_aligning_russia():
    s = recip.load_scenario("counter-china-backs-pakistan")
    assert support_rate(s, "aligning", "china") < 0.5
    assert support_rate(s, "balancing", "china") > 0.9


def test_short_shadow_changes_only_the_discount():
    short = recip.load_scenario("counter-short-shadow")
    history = recip.load_scenario("history-2022-2025")
    assert short.spec.discount < history.spec.discount
    restored = short.with_overrides({"horizon.discount": history.spec.discount})
    assert advantage(restored) == pytest.approx(advantage(history), abs=1e-12)


def test_aligning_russia_backs_india_after_the_scripted_record():
    s = recip.load_scenario("history-2022-2025")
    ev = recip.evaluate(s, {"russia": "aligning"}, curve_rounds=2)
    assert ev.action_frequency("russia", "india_attacked")["align_india"] > 0.9


# --- the donation game against its closed form ----------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    benefit=st.integers(2, 12).map(lambda v: v / 2),
    cost_share=st.integers(1, 9).map(lambda v: v / 10),
    discount=st.integers(0, 95).map(lambda v: v / 100),
)
def test_donation_game_matches_the_textbook_closed_form(benefit, cost_share, discount):
    """Against a reciprocator and without noise, never giving earns the partner's opening gift,
    ``(1 - delta) b``, and reciprocating earns ``b - c`` every round; so aligning is ahead
    exactly when ``delta > c / b``."""
    cost = cost_share * benefit
    s = recip.load_scenario("donation-game").with_overrides(
        {
            "payoffs.gift_from_row.row": -cost,
            "payoffs.gift_from_row.col": benefit,
            "payoffs.gift_from_col.col": -cost,
            "payoffs.gift_from_col.row": benefit,
            "horizon.discount": discount,
            "noise.execution": 0.0,
        }
    )
    v = values(s, ("balancing", "aligning", "always:give"))
    assert v["balancing"] == pytest.approx((1 - discount) * benefit, abs=1e-12)
    assert v["aligning"] == pytest.approx(benefit - cost, abs=1e-12)
    assert v["always:give"] == pytest.approx(benefit - cost, abs=1e-12)
    if abs(discount - cost / benefit) > 1e-9:
        assert (v["aligning"] > v["balancing"]) == (discount > cost / benefit)


# --- claims ---------------------------------------------------------------------------------


def cited_claims(scenario) -> dict[str, list[str]]:
    """Every claim a scenario cites, by the key that cites it."""
    d = thaw(scenario.data)
    out: dict[str, list[str]] = {}
    for name, state in d["states"].items():
        out[f"states.{name}"] = list(state.get("claims", []))
    for k, rnd in enumerate(d.get("history", [])):
        out[f"history[{k}]"] = list(rnd.get("claims", []))
    for k, term in enumerate(d.get("payoffs", [])):
        out[f"payoffs.{term.get('id', k)}"] = list(term.get("claims", []))
    out["horizon"] = list(d["horizon"].get("claims", []))
    for k, rule in enumerate((d.get("nature") or {}).get("after", [])):
        out[f"nature.after[{k}]"] = list(rule.get("claims", []))
    for player, strat in d.get("strategies", {}).items():
        out[f"strategies.{player}"] = (
            list(strat.get("claims", [])) if isinstance(strat, dict) else []
        )
    return out


def op_ed_scenarios() -> list[str]:
    return [n for n in NAMES if recip.load_scenario(n).spec.claims_ref is not None]


def test_the_op_ed_scenarios_use_the_claim_map():
    names = op_ed_scenarios()
    assert OP_ED in names and "history-2022-2025" in names
    for_the_op_ed = (OP_ED, "history-2022-2025", "pro-deterrence", "sindoor-new-order")
    assert all(n.startswith("counter-") for n in names if n not in for_the_op_ed)
    for n in names:
        assert Path(recip.load_scenario(n).claim_map.path).resolve() == SEED.resolve()


def test_sindoor_cites_every_claim():
    cited = {c for cs in cited_claims(recip.load_scenario(OP_ED)).values() for c in cs}
    assert cited == set(CLAIM_IDS)


@pytest.mark.parametrize("name", op_ed_scenarios())
def test_every_payoff_term_cites_a_claim(name):
    cited = cited_claims(recip.load_scenario(name))
    bare = [key for key, cs in cited.items() if key.startswith("payoffs.") and not cs]
    assert not bare, f"{name}: payoff terms without claims: {bare}"


def test_claim_map_is_complete():
    cm = load_claim_map(SEED)
    assert list(cm.claims) == CLAIM_IDS
    assert cm.source.author == "Pravesh Kumar Gupta"
    assert cm.source.date.isoformat() == "2025-06-24"
    assert cm.conclusion
    assert len(cm.counterpoints) >= 4
    for cid, claim in cm.claims.items():
        assert claim.summary and claim.model and claim.informs, cid
    assert "Pravesh Kumar Gupta" in cm.citation() and "2025-06-24" in cm.citation()


def _lookup(data: Any, key: str) -> bool:
    """Whether the dotted key names something the scenario data holds (payoff terms by id)."""
    node = data
    for part in key.split("."):
        if isinstance(node, list):
            ids = [item.get("id") for item in node if isinstance(item, dict)]
            if part not in ids:
                return False
            node = node[ids.index(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return False
    return True


def test_every_key_a_claim_informs_exists_in_the_default_scenario():
    data = thaw(recip.load_scenario(OP_ED).data)
    missing = [
        (cid, key)
        for cid, claim in load_claim_map(SEED).claims.items()
        for key in claim.informs
        if not _lookup(data, key)
    ]
    assert not missing


def test_claims_name_the_scenarios_that_test_them():
    """Every scenario a claim lists under ``tested_by`` is bundled and names the claim in its
    own file (not only through its base); every scenario arguing for or against the op-ed is
    listed under some claim."""
    cm = load_claim_map(SEED)
    listed = set()
    for cid, claim in cm.claims.items():
        for name in claim.tested_by:
            assert name in NAMES, (cid, name)
            own = (bundled.scenario_path(name)).read_text(encoding="utf-8")
            assert re.search(rf"\b{cid}\b", own), f"{name} does not name {cid}"
            listed.add(name)
    arguments = {n for n in op_ed_scenarios() if n not in (OP_ED, "history-2022-2025")}
    assert arguments == listed


def test_scenarios_named_by_counterpoints_are_bundled():
    named = {
        m
        for text in load_claim_map(SEED).counterpoints
        for m in re.findall(r"counter-[a-z-]+", text)
    }
    assert named and named <= set(NAMES)


# --- the format documentation stays true ------------------------------------------------------

DOC = Path(__file__).resolve().parents[1] / "docs" / "scenario-format.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_complete_examples_in_the_format_doc_load():
    examples = [b for b in _blocks("toml") if b.startswith("# complete scenario")]
    assert examples
    for text in examples:
        s = recip.load_scenario(text)
        recip.evaluate(s)


def test_override_example_in_the_format_doc_runs():
    (code,) = _blocks("python")
    namespace: dict[str, Any] = {"recip": recip}
    exec(code, namespace)
    assert namespace["t"].spec.discount == 0.95
    assert namespace["t"].spec.noise["india"] == 0.05
    assert namespace["u"].spec.discount == 0.5


def test_format_doc_covers_every_top_level_key_and_library_strategy():
    from recip.scenario.schema import ScenarioFile

    text = DOC.read_text(encoding="utf-8")
    for name in ScenarioFile.model_fields:
        key = "schema" if name == "schema_" else name
        assert f"| `{key}` |" in text, key
    for name in recip.strategies.names():
        assert f"**`{name}`**" in text, name


def test_format_doc_states_the_current_limits():
    from recip.engine import chain
    from recip.scenario import semantics
    from recip.strategies import base

    text = DOC.read_text(encoding="utf-8")
    for module, name in [
        (semantics, "MAX_JOINT_ACTIONS"),
        (semantics, "MAX_PAYOFF_ENTRIES"),
        (base, "MAX_MEMORIES"),
        (base, "MAX_TABLE_ENTRIES"),
        (chain, "MAX_CHAIN_STATES"),
        (chain, "MAX_TRANSITIONS"),
    ]:
        assert f"| `{name}` | {getattr(module, name):,} |" in text, name


# --- docs/scenarios.md states every verdict and flip, and stays true ---------------------------

SCENARIOS_DOC = Path(__file__).resolve().parents[1] / "docs" / "scenarios.md"


def _number(text: str) -> float:
    return float(text.replace("−", "-"))


def _doc_rows() -> list[tuple[str, float, str, float]]:
    """(scenario, advantage, the flip's KEY=VALUE, advantage after it) of each table row."""
    rows = []
    for line in SCENARIOS_DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5 or not cells[0].startswith("`"):
            continue
        name = cells[0].strip("`")
        flip = re.match(r"`([^`]+)`", cells[3]).group(1)
        rows.append((name, _number(cells[2]), flip, _number(cells[4])))
    return rows


def test_the_scenarios_doc_lists_every_op_ed_scenario():
    assert {r[0] for r in _doc_rows()} == set(op_ed_scenarios())


@pytest.mark.parametrize(("name", "before", "flip", "after"), _doc_rows(), ids=lambda x: str(x))
def test_the_scenarios_doc_states_each_verdict_and_flip(name, before, flip, after):
    s = recip.load_scenario(name)
    assert advantage(s) == pytest.approx(before, abs=5e-5)
    key, value = parse_set(flip)
    assert advantage(s.with_overrides({key: value})) == pytest.approx(after, abs=5e-5)
