"""Rendering by result type: one header for every result, tables that fit 100 columns and say
what their notation means, and one results document for every command."""

from __future__ import annotations

import dataclasses
import json

import pytest

import recip as api
from conftest import pd_scenario
from recip.model.result import Result
from recip.report.results import results_document
from recip.report.tables import WIDTH, table
from recip.report.text import body, header, render
from recip.scenario.bundled import scenario_names
from test_cli import recip


def results_of_every_type():
    """One result of each question, about small scenarios."""
    pd = api.load_scenario("prisoners-dilemma")
    return {
        "evaluation": api.evaluate(pd),
        "comparison": api.compare(pd),
        "critical-discount": api.critical_discount(pd),
        "subgame-perfection": api.is_subgame_perfect(pd),
        "meta-game": api.meta_game(pd),
        "stage-equilibria": api.equilibria(pd),
    }, pd


# ----------------------------------------------------------------------------------------------
# One header, built once, for every result type


def test_every_result_type_has_a_printer_and_the_same_header():
    results, pd = results_of_every_type()
    for kind, result in results.items():
        assert result.kind == kind
        text = render(result, scenario=pd)
        lines = text.splitlines()
        head = header(result, pd)
        assert lines[: len(head)] == head
        joined = " ".join(" ".join(head).split())
        assert joined.startswith(" ".join(result.title.split()))
        assert f"Conditions: {result.conditions.text()}." in joined
        assert max(map(len, head)) <= WIDTH
        # a printer of its own (not the fallback that prints only the summary)
        assert body.dispatch(type(result)) is not body.dispatch(Result), kind
        assert len(lines) > len(head) + 2, kind


def test_a_result_without_a_printer_prints_its_summary_and_notes():
    @dataclasses.dataclass(frozen=True)
    class Odd(Result):
        title: str
        conditions: object
        notes: tuple[str, ...] = ("the grim trigger never fires",)
        kind = "odd"

        @property
        def summary(self) -> str:
            return "An odd answer."

        def payload(self):
            return {}

    conditions = api.compare("prisoners-dilemma").conditions
    text = render(Odd("An odd question", conditions))
    assert text.splitlines() == [
        "An odd question",
        *header(Odd("An odd question", conditions))[1:],
        "",
        "An odd answer.",
        "note: the grim trigger never fires",
    ]


def test_threshold_notes_are_printed_as_notes():
    r = api.critical_discount(
        api.load_scenario("prisoners-dilemma"), what="spe", policies=["balancing", "aligning"]
    )
    assert r.notes, "this question notes that policies apply to the advantage only"
    assert f"note: {r.notes[0]}" in render(r)


# ----------------------------------------------------------------------------------------------
# The comparison table fits 100 columns and explains itself


def table_lines(text: str) -> list[str]:
    """The lines of a comparison's text but the verdict and the files written (a sentence and
    paths, kept whole on one line each, for grep)."""
    return [line for line in text.splitlines() if not line.startswith(("Verdict:", "Wrote "))]


@pytest.mark.slow
@pytest.mark.parametrize("name", scenario_names())
@pytest.mark.parametrize("method", ["exact", "simulate"])
def test_comparison_tables_fit_100_columns(name, method):
    c = api.compare(name, method=method, replicates=200, seed=1)
    text = render(c)
    wide = [line for line in table_lines(text) if len(line) > WIDTH]
    assert not wide, "\n".join(wide)
    for partner in c.partners[0]:
        assert partner in text  # named in the legend, not only numbered
    if method == "simulate":
        assert "half-width of the 95% confidence interval" in text
    else:
        # the x/y states notation is explained once, in words fitting the chain that was built
        iid = c.evaluations[0].game.iid
        explained = (
            "averaged over the world states"
            if iid
            else "Markov chain over (world state, every player's memory)"
        )
        assert " ".join(text.split()).count(explained) == 1


def test_four_players_fit_and_the_legend_names_every_partner_column():
    r = recip("compare", "counter-china-backs-pakistan")
    assert r.returncode == 0, r.stderr
    assert max(len(line) for line in table_lines(r.stdout)) <= WIDTH
    c = api.compare("counter-china-backs-pakistan", method="simulate", replicates=500)
    text = render(c)
    assert max(len(line) for line in table_lines(text)) <= WIDTH
    head = next(line for line in text.splitlines() if line.startswith("russia's policy"))
    n = head.count("[")
    assert n == 3
    for k in range(1, n + 1):
        assert any(
            line.startswith(f"[{k}] share of the rounds in state ") for line in text.splitlines()
        )
    # every value has its interval on the row under it, and the legend says what it is
    assert text.count("± (95%)") == len(c.policies) + 1


def test_x_slash_y_states_is_explained_in_words():
    c = api.compare("sindoor-2025")
    text = " ".join(render(c).split())
    sizes = [ev.chain_size for ev in c.evaluations]
    assert f"{sizes[0]}/{sizes[1]} states" in text
    assert f"{sizes[0]} states under balancing and {sizes[1]} states under aligning" in text


def test_a_wide_table_is_split_into_blocks_that_repeat_the_row_labels():
    header_row = ["policy", *(f"player{k}" for k in range(20))]
    rows = [["balancing", *(f"{k}.0000" for k in range(20))]]
    text = table(header_row, rows)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= WIDTH
    assert sum(line.startswith("balancing") for line in lines) > 1
    assert all(f"player{k}" in text for k in range(20))


def test_eight_players_fit():
    players = [f"p{k}" for k in range(8)]
    states = {
        "s": {
            "actions": {
                p: {"help": {q: 1 for q in players if q != p}, "pass": {}} for p in players[:3]
            }
        }
    }
    data = {
        "schema": 1,
        "title": "eight players",
        "players": players,
        "states": states,
        "payoffs": [{"when": {"p1": "help"}, "p0": 1.0}],
        "horizon": {"discount": 0.5},
        "strategies": {p: "aligning" for p in players[:3]},
        "compare": {"focal": "p0"},
    }
    c = api.compare(api.Scenario.from_dict(data), method="simulate", replicates=100)
    assert max(len(line) for line in table_lines(render(c))) <= WIDTH


# ----------------------------------------------------------------------------------------------
# One results document for every command


def leaves(doc, path=()):
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from leaves(v, (*path, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from leaves(v, (*path, i))
    else:
        yield path, doc


def test_the_results_document_holds_the_result_and_where_it_came_from():
    results, pd = results_of_every_type()
    s = pd.with_overrides({"horizon.discount": 0.8})
    for kind, result in results.items():
        doc = json.loads(json.dumps(results_document(result, s, "cmd")))
        assert doc["kind"] == kind and doc["command"] == "cmd"
        assert doc["overrides"] == {"horizon.discount": 0.8}
        assert doc["scenario"]["name"] == "prisoners-dilemma" and len(doc["scenario"]["hash"]) == 64
        content = doc["comparison"] if kind == "comparison" else doc
        own = json.loads(json.dumps(result.to_dict(), allow_nan=True))
        for path, value in leaves(own):
            if path in (("scenario",),):  # a name, given in full under "scenario"
                continue
            got = content
            for key in path:
                got = got[key]
            assert got == value or (value != value and got is None), (kind, path)


def test_every_command_prints_a_results_document():
    for args in (
        ("compare", "prisoners-dilemma"),
        ("equilibria", "prisoners-dilemma"),
        ("equilibria", "prisoners-dilemma", "--meta"),
        ("equilibria", "prisoners-dilemma", "--spe"),
        ("threshold", "prisoners-dilemma"),
    ):
        r = recip(*args, "--json", "--set", "noise.execution=0")
        assert r.returncode == 0, r.stderr
        doc = json.loads(r.stdout)
        assert doc["command"] == args[0] and doc["overrides"] == {"noise.execution": 0}
        assert doc["recip_version"] and doc["scenario"]["name"] == "prisoners-dilemma"


def test_pd_scenario_builder_renders():
    # scenarios from data (no file) render too: no name, no overrides
    text = render(api.compare(pd_scenario()))
    assert text.splitlines()[1].startswith("Conditions: ")
