"""`recip credibility`: would each player carry out its strategy, and what would it do instead?"""

from __future__ import annotations

import click

from .base import (
    focal_opt,
    json_opt,
    load,
    main,
    parse_policies,
    parse_set,
    policy_opt,
    quiet_opt,
    scenario_arg,
    set_opt,
    show,
    verbose_opt,
)
from .folders import check_out_option, check_writable, write_files
from .output import json_visible, say


@main.command()
@scenario_arg
@click.option(
    "--discount",
    type=click.FloatRange(0, 1, max_open=True),
    default=None,
    help="Discount factor of the infinitely repeated game, for every player [default: the "
    "scenario's; each player's own where the players have their own].",
)
@click.option(
    "--out",
    default=None,
    metavar="FOLDER",
    help="Write results.json and each best response as an automaton file "
    "(<player>-under-<policy>.toml), to play with --set automata.NAME=@FILE.",
)
@focal_opt
@policy_opt
@set_opt
@json_opt
@quiet_opt
@verbose_opt
def credibility(scenario, discount, out, focal, policies, sets, as_json, quiet, verbose):
    """Check every player's strategy against the others' under each of the focal player's
    policies: is it a best response (exact policy iteration) and subgame perfect? Where it is
    not, name the best response and what it gains.

    \b
    Example:
      recip credibility sindoor-2025
      recip credibility sindoor-2025 --out br/
      recip run --set automata.india_br=@br/india-under-aligning.toml \\
          --set strategies.india=india_br
    """
    from ..io.results import dumps
    from ..io.toml_out import dumps as toml_dumps
    from ..questions.credibility import credibility as question
    from ..report.results import results_document

    out = check_out_option(out)
    s = load(scenario, parse_set(sets))
    if out is not None:
        check_writable(out)
    c = question(s, focal=focal, policies=parse_policies(policies), discount=discount)
    doc = results_document(c, s, "credibility")
    written = []
    if out is not None:
        files: dict[str, bytes | str] = {"results.json": json_visible(dumps(doc))}
        for policy, checks in zip(c.policies, c.checks, strict=True):
            for x in checks:
                if x.best is not None:
                    name = f"{x.player}-under-{_file_part(policy)}.toml"
                    head = (
                        f"# {x.player}'s best response when {c.focal} plays {policy}, written "
                        f"by recip: it gains {x.gain:.6g} per round.\n# Play it: --set "
                        f"automata.{x.player}_br=@{name} --set strategies.{x.player}="
                        f"{x.player}_br\n\n"
                    )
                    files[name] = head + toml_dumps(x.best.spec)
        written = write_files(out, files)
    show(c, s, "credibility", as_json=as_json, quiet=quiet, verbose=verbose, doc=doc)
    if written and not (as_json or quiet):
        say(f"\nWrote {', '.join(str(p) for p in written)}")


def _file_part(label: str) -> str:
    """A policy's label as part of a file name: letters, digits, '-' and '_' only."""
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in label).strip("-")[:60]
