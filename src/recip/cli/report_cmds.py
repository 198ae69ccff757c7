"""`recip report`: one self-contained HTML file to teach an argument from."""

from __future__ import annotations

import sys

import click

from .base import (
    focal_opt,
    load,
    main,
    parse_policies,
    parse_set,
    policy_opt,
    progress_bar,
    scenario_arg,
    set_opt,
)
from .explain_cmds import REPORT_SAMPLES, samples_opt, seed_opt
from .output import say


@main.command()
@scenario_arg
@samples_opt
@seed_opt
@click.option(
    "--whatif",
    "whatif",
    multiple=True,
    metavar="KEY",
    help="An input of the what-if panel (repeatable, at most 3; default: the discount factor "
    "and the inputs that move the verdict most).",
)
@focal_opt
@policy_opt
@set_opt
@click.option(
    "--out",
    default=None,
    metavar="FOLDER",
    help="Write report.html here (default: recip-out/<scenario>/, with --set "
    "recip-out/<scenario>+<tag>/).",
)
def report(scenario, samples, seed, whatif, focal, policies, sets, out):
    """One self-contained HTML file to teach the argument from: the verdict with its
    assumptions, a what-if panel (sliders over the inputs that matter most, reading exact values
    computed beforehand on a grid), the scenario, the trail from claims to parameters,
    sensitivity, credibility and the counter-scenarios side by side, with inline SVG figures.

    The page needs no server and makes no network request: open it offline or send it. The
    same scenario and options always give the same file.

    \b
    Example:
      recip report sindoor-2025
      recip report sindoor-2025 --whatif horizon.discount --whatif payoffs.oil_revenue.russia
      recip report counter-mediator --out lessons/
    """
    from ..questions.report_data import report_data
    from ..report.html import report_html
    from .folders import check_out_option, check_writable, default_folder, write_files

    folder = check_out_option(out)
    s = load(scenario, parse_set(sets))
    folder = folder if folder is not None else default_folder(s)
    check_writable(folder)
    bar = sys.stderr.isatty()
    with progress_bar(bar, "report", None, unit=" steps"):
        data = report_data(
            s,
            focal=focal,
            policies=parse_policies(policies),
            samples=samples or REPORT_SAMPLES,
            seed=seed,
            whatif=list(whatif) or None,
        )
        page = report_html(data, s)
    (path,) = write_files(folder, {"report.html": page})
    say(data.summary)
    say(f"Wrote {path} (open it in a browser; it needs no network)")
