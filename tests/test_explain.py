"""`recip explain`: from claims to parameters to the verdict. The claim-to-key mapping is checked
against the files read by hand; the ranking against the break-even values of the threshold
search; the counter-scenarios' verdicts against `recip.compare` on each of them."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

import recip
from recip.cli import explain_cmds as report_cmds
from recip.questions import explain as explain_module
from recip.questions import report_data
from recip.questions.claim_trail import citations, claim_trails, claims_of_key
from recip.questions.explain import explain
from recip.questions.related import _arguments, _tested_by, changed_keys
from recip.scenario import bundled
from test_cli import recip as run_recip


@pytest.fixture(scope="module")
def sindoor():
    return explain("sindoor-2025", samples=16)


def test_citations_and_keys_are_the_files():
    s = recip.load_scenario("sindoor-2025")
    cited = citations(s)
    # read off scenarios/sindoor-2025.toml
    assert cited["C2"] == ["states.russia_isolated", "payoffs.oil_revenue"]
    assert cited["C8"] == ["payoffs.taking_sides", "strategies.pakistan"]
    assert cited["C12"] == ["horizon"]
    trails = {t.id: t for t in claim_trails(s)}
    # C12 informs horizon.discount (under the cited horizon) and strategies.india.tolerance
    assert [k.key for k in trails["C12"].keys] == ["horizon", "strategies.india.tolerance"]
    assert trails["C12"].keys[1].value == "0 (range 0 to 1)"
    assert not trails["C12"].keys[1].cited
    assert trails["C9"].keys[0].value == "balancing"
    assert claims_of_key(claim_trails(s), "horizon.discount") == ("C7", "C12")
    assert claims_of_key(claim_trails(s), "strategies.india.tolerance") == ("C1", "C11", "C12")
    assert claims_of_key(claim_trails(s), "payoffs.neutrality_after_terror.russia") == ("C10",)


def test_the_verdict_depends_most_on_the_claims_of_its_flipping_inputs(sindoor):
    c = recip.compare("sindoor-2025")
    assert sindoor.verdict == c.verdict
    top = sindoor.weights[0]
    assert top.key == "horizon.discount" and top.claims == ("C7", "C12")
    # the break-even discount factor is where the threshold search finds the advantage's root
    root = recip.critical_discount("sindoor-2025").roots[0]
    assert top.flips == f"flips at {root:.4g}"
    flipping = [w.key for w in sindoor.weights if w.flips]
    assert flipping == ["horizon.discount", "strategies.india", "strategies.india.tolerance"]
    assert sindoor.ranked_claims[:4] == ("C7", "C12", "C1", "C11")
    # payoffs that pay only india and pakistan cannot move russia's verdict
    inert = {w.key for w in sindoor.weights if w.inert}
    assert "payoffs.cheap_oil.india" in inert and "payoffs.oil_revenue.russia" not in inert
    assert sindoor.untested == ("C9",)  # it sets only russia's strategy and the question


def test_counter_scenarios_answer_claims_with_their_own_verdicts(sindoor):
    by_name = {r.name: r for r in sindoor.related}
    # every counterpoint, and the scenarios for the argument that extend this one
    counters = {n for n in bundled.scenario_names() if n.startswith("counter-")}
    assert set(by_name) == counters | {"pro-deterrence", "sindoor-new-order"}
    assert {n for n, r in by_name.items() if r.stance == "for the argument"} == {
        "pro-deterrence",
        "sindoor-new-order",
    }
    for r in sindoor.related:
        c = recip.compare(r.name, credibility=False)
        assert r.verdict == c.verdict
        assert r.flips == (c.policies[c.best] != "aligning")
    # the claim map's counterpoints: "(scenario counter-mediator; tests C8 and C10)"
    assert by_name["counter-mediator"].answers == ("C8", "C10")
    assert by_name["counter-mediator"].role == "extends it"
    assert by_name["counter-india-dependent"].answers == ("C1", "C3", "C11")
    assert by_name["counter-india-hedges"].flips is False  # hedging alone does not flip it
    # what counter-mediator changes: the two payoffs of Russia's answer (its [changes])
    assert by_name["counter-mediator"].changes == (
        "payoffs.neutrality_after_terror",
        "payoffs.taking_sides",
    )
    assert by_name["counter-mediator"].touches == ("C8", "C10")
    # two counterpoints of the map name no scenario
    assert len(sindoor.open_counterpoints) == 2


def test_counterpoint_text_and_tested_by_lists_are_read():
    text = "Russia had a third way (scenario counter-third-way; tests C8 and C10)."
    assert _arguments([text]) == {"counter-third-way": (text, ("C8", "C10"))}
    cmap = SimpleNamespace(
        claims={"C1": SimpleNamespace(tested_by=["a", "b"]), "C2": SimpleNamespace(tested_by=["a"])}
    )
    assert _tested_by(cmap) == {"a": ("C1", "C2"), "b": ("C1",)}
    a = {"payoffs": [{"id": "x", "russia": {"value": 1, "low": 0, "high": 2}, "note": "n"}]}
    b = {"payoffs": [{"id": "x", "russia": 1, "note": "other words"}]}
    assert changed_keys(a, b) == []  # the same nominal value; prose and ranges aside
    assert changed_keys(a, {"payoffs": [{"id": "x", "russia": 2}]}) == ["payoffs.x.russia"]


def test_recip_explain_names_every_claim_the_scenario_cites(tmp_path):
    r = run_recip("explain", "sindoor-2025", "--samples", "8", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    s = recip.load_scenario("sindoor-2025")
    cited = set(citations(s))
    assert cited == {f"C{k}" for k in range(1, 13)}
    for claim in cited:
        assert f"\n{claim}: " in r.stdout
    for heading in ("The verdict", "From claims to parameters", "What the verdict depends on most"):
        assert f"\n{heading}\n" in r.stdout
    assert "The verdict depends most on C7, C12, C1 and C11" in r.stdout
    assert "counter-mediator (" in r.stdout and "answers C8 and C10 (claim map)" in r.stdout
    assert "india's aligning(tolerance=0) and pakistan's always:arm_ukraine are not credible" in (
        r.stdout
    )
    assert all(len(line) <= 100 for line in r.stdout.splitlines())
    assert not list(tmp_path.iterdir())
    doc = json.loads(run_recip("explain", "counter-mediator", "--samples", "8", "--json").stdout)
    assert doc["kind"] == "explanation" and doc["best"] == "balancing"
    assert {c["id"] for c in doc["claims"]} == cited
    base = next(r for r in doc["counter_scenarios"] if r["role"] == "its base")
    assert base["name"] == "sindoor-2025" and base["best"] == "aligning" and base["flips"]


def test_explain_without_claims_or_ranges_says_what_it_cannot_rank():
    e = explain("prisoners-dilemma", samples=4)
    assert e.trails == () and e.related == () and e.sensitivity is None
    text = run_recip("explain", "prisoners-dilemma", "--samples", "4").stdout
    assert "declares no uncertain inputs" in text
    assert "No bundled scenario extends or counters this one." in text


def test_the_commands_defaults_are_the_questions():
    assert report_cmds.DEFAULT_SAMPLES == explain_module.DEFAULT_SAMPLES
    assert report_cmds.REPORT_SAMPLES == report_data.DEFAULT_SAMPLES
