"""`recip uncertainty`: how sure is the verdict under the scenario's declared uncertainty?"""

from __future__ import annotations

import sys

import click

from ..core.limits import MAX_UNCERTAINTY_SAMPLES
from .base import (
    Count,
    focal_opt,
    json_opt,
    load,
    main,
    parse_policies,
    parse_set,
    policy_opt,
    progress_bar,
    quiet_opt,
    scenario_arg,
    set_opt,
    show,
    verbose_opt,
)
from .folders import check_out_option, check_writable, result_files, write_files
from .output import say


@main.command()
@scenario_arg
@click.option(
    "--samples",
    type=Count(2, MAX_UNCERTAINTY_SAMPLES, "MAX_UNCERTAINTY_SAMPLES", "use fewer draws"),
    default=4096,
    show_default=True,
    help="Draws of the uncertain inputs (Sobol': rounded up to a power of two).",
)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Seed.")
@click.option(
    "--design",
    type=click.Choice(["sobol", "lhs", "random"]),
    default="sobol",
    show_default=True,
    help="Scrambled Sobol', Latin hypercube, or independent draws.",
)
@click.option(
    "--input",
    "keys",
    multiple=True,
    metavar="KEY",
    help="Sample only this declared uncertain input (repeatable; default: all of them).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes sharing the draws (useful when strategies or alternatives are sampled).",
)
@click.option(
    "--out",
    default=None,
    metavar="FOLDER",
    help="Also write results.json and the histogram of the advantage (PNG, SVG) there.",
)
@focal_opt
@policy_opt
@set_opt
@json_opt
@quiet_opt
@verbose_opt
def uncertainty(
    scenario,
    samples,
    seed,
    design,
    keys,
    workers,
    out,
    focal,
    policies,
    sets,
    as_json,
    quiet,
    verbose,
):
    """How sure is the verdict? Samples every uncertain input the scenario declares (payoffs,
    the discount factor, noise, strategy parameters, alternative strategies), evaluates each
    draw exactly, and reports how often each policy is the focal player's best, the spread of
    its advantage and where the verdict flips.

    \b
    Example:
      recip uncertainty sindoor-2025
      recip uncertainty sindoor-2025 --samples 65536 --design lhs --seed 3 --out results/
      recip uncertainty sindoor-2025 --input horizon.discount --input strategies.india
    """
    from ..model.sampling import sobol_size
    from ..questions.uncertainty import uncertainty as question
    from ..report.results import results_document

    out = check_out_option(out)
    s = load(scenario, parse_set(sets))
    if out is not None:
        check_writable(out)
    total = sobol_size(samples) if design == "sobol" else samples
    # a bar with rate and time left on a terminal; quiet on a pipe or a log, -q or --json
    bar = not (quiet or as_json) and sys.stderr.isatty()
    with progress_bar(bar, "evaluating", total, " draws") as update:
        u = question(
            s,
            samples=samples,
            seed=seed,
            method=design,
            focal=focal,
            policies=parse_policies(policies),
            inputs=list(keys) or None,
            workers=workers,
            progress=update,
        )
    doc = results_document(u, s, "uncertainty", seed=seed, method=design)
    if out is not None:
        written = write_files(out, result_files(u, doc))
    show(u, s, "uncertainty", as_json=as_json, quiet=quiet, verbose=verbose, doc=doc)
    if out is not None and not (as_json or quiet):
        say(f"\nWrote {', '.join(str(p) for p in written)}")
