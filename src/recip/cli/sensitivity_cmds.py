"""`recip sensitivity`: what the verdict hangs on, and where it flips."""

from __future__ import annotations

import sys

import click

from ..core import limits
from ..core.errors import ScenarioError
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
)
from .folders import check_out_option, check_writable, result_files, write_files
from .output import say

#: The sampling designs (recip.model.sampling.DESIGNS, written out so that `recip --help` does
#: not import numpy; a test checks that the two agree).
DESIGNS = ("sobol", "lhs", "random")
#: Base samples by default (recip.questions.sensitivity.DEFAULT_SAMPLES; checked by a test).
DEFAULT_SAMPLES = 256


@main.command()
@scenario_arg
@click.option(
    "--samples",
    type=Count(4, limits.MAX_SENSITIVITY_POINTS, "MAX_SENSITIVITY_POINTS", "take fewer samples"),
    default=DEFAULT_SAMPLES,
    show_default=True,
    help="Base samples of the Sobol' indices, rounded up to a power of two; the analysis "
    "evaluates samples x (inputs + 2) points exactly.",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Seed of the sampling design (results are identical for a seed).",
)
@click.option(
    "--method",
    type=click.Choice(DESIGNS),
    default="sobol",
    show_default=True,
    help="Sampling design: scrambled Sobol', Latin hypercube or independent random draws.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes that evaluate the sampled points (the values are the same for any number).",
)
@click.option(
    "--input",
    "inputs",
    multiple=True,
    metavar="KEY",
    help="Only this uncertain input (repeatable; a dotted key the scenario declares uncertain, "
    "e.g. horizon.discount; default: every one).",
)
@focal_opt
@policy_opt
@set_opt
@json_opt
@quiet_opt
@click.option(
    "--out",
    default=None,
    metavar="FOLDER",
    help="Also write results.json and the tornado figure (tornado.png, tornado.svg) here.",
)
def sensitivity(
    scenario, samples, seed, method, workers, inputs, focal, policies, sets, as_json, quiet, out
):
    """What the verdict hangs on: a tornado, Sobol' indices, each input's break-even value, the
    inert inputs, and the region of inputs where the verdict flips.

    Works on the inputs the scenario declares uncertain (a range on a payoff, the discount
    factor, noise or a strategy parameter; alternative strategies). Every value is exact; the
    Sobol' indices come from samples x (inputs + 2) sampled points.

    \b
    Example:
      recip sensitivity sindoor-2025
      recip sensitivity sindoor-2025 --samples 1024 --seed 3 --out results/
      recip sensitivity sindoor-2025 --input horizon.discount --input strategies.india
    """
    from ..questions.sensitivity import planned_points
    from ..questions.sensitivity import sensitivity as analyse
    from ..report.results import results_document

    folder = check_out_option(out)
    s = load(scenario, parse_set(sets))
    if folder is not None:
        check_writable(folder)
    chosen = list(inputs) or None
    try:
        total = planned_points(s, samples=samples, inputs=chosen)
    except ScenarioError as exc:
        if exc.key != "inputs":
            raise
        raise ScenarioError(exc.message, key="--input") from None
    bar = not (quiet or as_json) and sys.stderr.isatty()
    with progress_bar(bar, "sensitivity", total, unit=" points") as update:
        result = analyse(
            s,
            focal=focal,
            policies=parse_policies(policies),
            samples=samples,
            seed=seed,
            method=method,
            workers=workers,
            inputs=chosen,
            progress=update,
        )
    doc = results_document(result, s, "sensitivity", seed=seed)
    written = []
    if folder is not None:
        written = write_files(folder, result_files(result, doc))
    show(result, s, "sensitivity", as_json=as_json, quiet=quiet, doc=doc)
    if written and not (as_json or quiet):
        say(f"\nWrote {', '.join(str(p) for p in written)}")
