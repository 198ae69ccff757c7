"""Scenarios that extend another (``base`` and ``changes``), and the two counter-scenarios written
that way: each with its verdict, the override that flips it and the claims it tests."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import recip
from recip.core.errors import ScenarioError


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_an_extension_equals_the_base_with_the_same_overrides(tmp_path):
    """Tables merge key by key, other values replace, then [changes] apply as --set would."""
    f = write(
        tmp_path / "pd-short.toml",
        'schema = 1\nbase = "prisoners-dilemma"\ntitle = "short"\n'
        "[horizon]\ndiscount = 0.5\n"
        '[changes]\n"tables.round.row[1][0]" = 6\n"strategies.col" = "always:cooperate"\n',
    )
    s = recip.load_scenario(str(f))
    same = recip.load_scenario("prisoners-dilemma").with_overrides(
        {
            "title": "short",
            "horizon.discount": 0.5,
            "tables.round.row[1][0]": 6,
            "strategies.col": "always:cooperate",
        }
    )
    assert s.title == "short" and s.spec.discount == 0.5
    for policy in ("balancing", "aligning", "always:defect"):
        a = recip.evaluate(s, {"row": policy}).values
        b = recip.evaluate(same, {"row": policy}).values
        assert np.array_equal(a, b)
    # a file beside it can be a base too, and bases chain
    g = write(tmp_path / "pd-shorter.toml", 'schema = 1\nbase = "pd-short.toml"\ntitle = "x"\n')
    assert recip.load_scenario(str(g)).spec.discount == 0.5


@pytest.mark.parametrize(
    "text,key,words",
    [
        ('base = "no-such-scenario"', "base", "neither a bundled scenario"),
        ("base = 3", "base", "'base' names the scenario"),
        ('base = "../../etc/passwd"', "base", "neither a bundled scenario"),
        ('base = "prisoners-dilemma"\n[changes]\n"horizon.discount" = 2', "horizon.discount", ""),
        ('base = "prisoners-dilemma"\n[changes]\n"nosuch.key" = 1', "nosuch", "unknown key"),
        ('base = "prisoners-dilemma"\nchanges = 3', "changes", "a table of dotted keys"),
    ],
)
def test_bad_extensions_are_one_line_naming_the_key(tmp_path, text, key, words):
    f = write(tmp_path / "bad.toml", f'schema = 1\ntitle = "bad"\n{text}\n')
    with pytest.raises(ScenarioError) as info:
        recip.load_scenario(str(f))
    err = info.value
    assert err.key is not None and err.key.startswith(key), (err.key, str(err))
    assert words in str(err) and "\n" not in str(err)
    assert str(f) in str(err)


def test_scenarios_that_extend_each_other_in_a_circle_are_refused(tmp_path):
    write(tmp_path / "a.toml", 'schema = 1\nbase = "b.toml"\ntitle = "a"\n')
    write(tmp_path / "b.toml", 'schema = 1\nbase = "a.toml"\ntitle = "b"\n')
    with pytest.raises(ScenarioError, match="in a circle"):
        recip.load_scenario(str(tmp_path / "a.toml"))


def test_base_and_changes_cannot_be_set_after_loading():
    s = recip.load_scenario("counter-mediator")
    with pytest.raises(ScenarioError, match="resolved when a scenario file is read"):
        s.with_overrides({"changes": {"horizon.discount": 0.5}})


# ----------------------------------------------------------------------------------------------
# the two counter-scenarios written as extensions


def verdict(name: str, overrides=None):
    s = recip.load_scenario(name)
    if overrides:
        s = s.with_overrides(overrides)
    c = recip.compare(s, credibility=False)
    return c.policies[c.best], c.advantage[1]


def test_counter_india_dependent():
    """India supports Russia whatever Russia does: Russia's values under both policies share
    everything but the India-attacked round, where aligning pays the price of taking a side
    (-1) instead of neutrality's (-0.25) and gains nothing from India: the advantage is
    0.25 x (P(align) x (-1) + P(balance) x 0.25 ...), negative. Flipped by India reciprocating."""
    best, adv = verdict("counter-india-dependent")
    assert best == "balancing" and adv < -0.1
    best, adv = verdict("counter-india-dependent", {"strategies.india": "aligning"})
    assert best == "aligning" and adv > 0.3
    s = recip.load_scenario("counter-india-dependent")
    assert s.spec.strategies["india"]["name"] == "always:support"
    assert set(s.data["strategies"]["india"]["claims"]) == {"C1", "C3", "C11"}
    assert s.claim_map is not None and "counter-india-dependent" in " ".join(
        s.claim_map.counterpoints
    )


def test_counter_mediator():
    best, adv = verdict("counter-mediator")
    assert best == "balancing" and adv < -0.05
    best, adv = verdict("counter-mediator", {"payoffs.neutrality_after_terror.russia": 0.5})
    assert best == "aligning" and adv > 0.05
    s = recip.load_scenario("counter-mediator")
    claims = {
        t["id"]: set(t.get("claims", ()))
        for t in s.data["payoffs"]
        if t.get("id") in ("neutrality_after_terror", "taking_sides")
    }
    assert claims == {"neutrality_after_terror": {"C10"}, "taking_sides": {"C8"}}
    assert "counter-mediator" in " ".join(s.claim_map.counterpoints)


def test_counter_third_way():
    """A graded stance (+0.5 toward India, none toward Pakistan) keeps India's reciprocity
    (it reads half a friend's answer and keeps supporting) without the price of taking a side:
    condemning beats aligning; if India reads a condemnation as neutrality, aligning wins."""
    s = recip.load_scenario("counter-third-way")
    c = recip.compare(s, credibility=False)
    assert c.policies == ("balancing", "aligning", "always:condemn")
    assert c.policies[c.best] == "always:condemn" and c.advantage[2] > c.advantage[1] + 0.1
    # India keeps supporting under a condemning Russia as under an aligning one
    freq = [e.stance_frequency("india", "russia", "russia_isolated")[1] for e in c.evaluations]
    assert freq[1] > 0.9 and freq[2] > 0.9
    flat = s.with_overrides({"states.india_attacked.actions.russia.condemn.india": 0})
    c = recip.compare(flat, credibility=False)
    assert c.policies[c.best] == "aligning"
    assert "counter-third-way" in " ".join(s.claim_map.counterpoints)


def test_the_command_line_lists_and_runs_them(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "recip", "scenarios"], capture_output=True, text=True, cwd=tmp_path
    )
    assert "counter-india-dependent" in r.stdout and "counter-mediator" in r.stdout
    r = subprocess.run(
        [sys.executable, "-m", "recip", "compare", "counter-mediator", "-q", "--no-credibility"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert r.returncode == 0 and r.stdout.startswith("balancing beats aligning for russia")
