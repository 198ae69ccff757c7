"""`recip explain`: from claims to parameters to the verdict, in plain sentences."""

from __future__ import annotations

import sys

import click

from .base import (
    focal_opt,
    json_opt,
    load,
    main,
    parse_policies,
    parse_set,
    policy_opt,
    progress_bar,
    scenario_arg,
    set_opt,
    show,
)

#: Sensitivity base samples by default (recip.questions.explain.DEFAULT_SAMPLES; checked by a
#: test), written out so that `recip --help` does not import the analyses.
DEFAULT_SAMPLES = 32
#: The report's default (recip.questions.report_data.DEFAULT_SAMPLES; checked by a test).
REPORT_SAMPLES = 64

samples_opt = click.option(
    "--samples",
    type=click.IntRange(4, 4096),
    default=None,
    help="Sobol' base samples of the sensitivity analysis (samples x (inputs + 2) exact "
    "evaluations; the uncertainty analysis draws 8 x samples) "
    f"[default: {DEFAULT_SAMPLES} for explain, {REPORT_SAMPLES} for report].",
)
seed_opt = click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Seed of the sampling designs (results are identical for a seed).",
)


@main.command()
@scenario_arg
@samples_opt
@seed_opt
@focal_opt
@policy_opt
@set_opt
@json_opt
@click.option("--quiet", "-q", is_flag=True, help="Print only the verdict and what it hangs on.")
def explain(scenario, samples, seed, focal, policies, sets, as_json, quiet):
    """From claims to parameters to the verdict, in plain sentences: the verdict and how sure it
    is; each claim of the claim map, the keys it sets and their values; which claims the verdict
    depends on most (sensitivity: each uncertain input mapped to the claims that set it); whether
    the reciprocity is credible; and which bundled counter-scenario answers which claim, with
    its own verdict.

    \b
    Example:
      recip explain sindoor-2025
      recip explain sindoor-2025 --set horizon.discount=0.5
      recip explain counter-mediator --json
    """
    from ..questions.explain import explain as ask

    s = load(scenario, parse_set(sets))
    bar = not (quiet or as_json) and sys.stderr.isatty()
    with progress_bar(bar, "explain", None, unit=" steps"):
        result = ask(
            s,
            focal=focal,
            policies=parse_policies(policies),
            samples=samples or DEFAULT_SAMPLES,
            seed=seed,
        )
    show(result, s, "explain", as_json=as_json, quiet=quiet, seed=seed)
