"""`recip validate`, `strategies`, `scenarios`, `schema`: what recip has and what a file holds."""

from __future__ import annotations

import json

import click

from .base import json_opt, main
from .output import say, say_json


@main.command()
@click.argument("scenarios", nargs=-1, required=True)
@json_opt
@click.option(
    "--quiet", "-q", is_flag=True, help="Print nothing: the exit code says whether all are valid."
)
def validate(scenarios, as_json, quiet):
    """Check scenario files: structure, names, probabilities, strategies, limits, and that a run
    needs nothing the file leaves open (a strategy for every acting player but the focal one, a
    payoff for every player unless declared `payoffs = "none"`).

    Exit code 0 when every file is valid, 2 at the first invalid one (one line per problem).

    \b
    Example:
      recip validate scenarios/*.toml
    """
    from ..report.base import MAX_TITLE
    from ..report.tables import shorten
    from ..scenario.checks import problems
    from ..scenario.load import load_scenario
    from .output import say_error

    report = []
    for name in scenarios:
        s = load_scenario(name)
        found = problems(s)
        if found:
            for exc in found[:-1]:
                say_error(str(exc))
            raise found[-1]
        report.append(
            {
                "scenario": name,
                "title": s.title,
                "valid": True,
                "players": list(s.players),
                "states": list(s.game.states),
            }
        )
        if not as_json and not quiet:
            say(
                f"{name}: valid — {shorten(s.title, MAX_TITLE)} ({len(s.players)} players, "
                f"{len(s.game.states)} world state{'s' if len(s.game.states) != 1 else ''})"
            )
    if as_json:
        say_json(report)


@main.command()
@json_opt
def strategies(as_json):
    """List the strategy library: name, what it does, its source and parameters.

    \b
    Example:
      recip strategies --json
    """
    from ..strategies import describe

    items = describe()
    if as_json:
        say_json(json.loads(json.dumps(items, default=str)))
        return
    for item in items:
        say(f"{item['name']}: {item['summary']}")
        say(f"    source: {item['source']}")
        meta = ", ".join(f"{k}={v}" for k, v in item["metadata"].items())
        say(f"    metadata: {meta}")
        for p in item["parameters"]:
            say(f"    parameter {p['text']}")
    say("Scenario files may also define their own automata: see docs/scenario-format.md.")


@main.command()
@json_opt
def scenarios(as_json):
    """List the bundled scenarios (run any of them by name).

    \b
    Example:
      recip scenarios
      recip run donation-game
    """
    from ..scenario import bundled
    from ..scenario.load import load_scenario

    items = []
    for name in bundled.scenario_names():
        s = load_scenario(name)
        items.append({"name": name, "title": s.title, "path": str(bundled.scenario_path(name))})
    if as_json:
        say_json(items)
        return
    width = max((len(i["name"]) for i in items), default=0)
    for i in items:
        default = "  (default)" if i["name"] == bundled.DEFAULT_SCENARIO else ""
        say(f"{i['name'].ljust(width)}  {i['title']}{default}")


@main.command()
def schema():
    """Print the JSON Schema of scenario files (for editors that check TOML).

    \b
    Example:
      recip schema > recip-scenario.schema.json
    """
    from ..scenario.schema import json_schema

    say_json(json_schema())


@main.command()
@click.argument("scenario", required=False)
@click.option("--state", default=None, metavar="NAME", help="Show this world state only.")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a scenario value by dotted key (repeatable).",
)
@click.option("--verbose", "-v", is_flag=True, help="Every state and every joint action.")
@json_opt
def show(scenario, state, sets, verbose, as_json):
    """The scenario as a reader needs it: players, world states and their chances, each state's
    actions with their stances and its payoff table (terms and tables added up, nominal
    values), strategies, horizon, noise and claims. Nothing is solved.

    \b
    Example:
      recip show sindoor-2025
      recip show prisoners-dilemma --json
      recip show sindoor-2025 --state india_attacked
    """
    from ..core.errors import ScenarioError
    from ..report.scenario_text import MAX_LISTED, scenario_document, scenario_lines
    from ..report.scenario_text import MAX_ROWS as MAX_ROWS_SHOWN
    from .base import load, parse_set

    s = load(scenario, parse_set(sets))
    game = s.game
    states = range(game.n_states) if state is None else [game.state_index(state)]
    rows = int(sum(int(game.n_joint[k]) for k in states))
    if (as_json or verbose) and rows > MAX_LISTED:
        raise ScenarioError(
            f"{rows:,} joint actions to list (at most {MAX_LISTED:,} with --json or --verbose); "
            "show one state with --state NAME, or leave out --json and --verbose",
            key="--state",
        )
    doc = scenario_document(s, state, rows=None if (as_json or verbose) else MAX_ROWS_SHOWN)
    if as_json:
        say_json(doc)
        return
    say("\n".join(scenario_lines(s, doc, verbose=verbose)))
