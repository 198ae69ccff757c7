"""The command group, its shared options and helpers."""

from __future__ import annotations

import sys
import tomllib
from contextlib import contextmanager
from typing import Any

import click

from .._version import __version__
from ..core.errors import RecipError, ScenarioError


class _Group(click.Group):
    """Turns recip's expected errors into one line on stderr and their exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RecipError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(exc.exit_code)


def parse_set(values: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in values:
        if "=" not in item:
            raise ScenarioError(
                f"--set expects KEY=VALUE, e.g. horizon.discount=0.95; got {item!r}", key="--set"
            )
        key, raw = item.split("=", 1)
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw
        out[key.strip()] = value
    return out


def load(scenario: str | None, overrides: dict[str, Any]):
    from ..scenario.bundled import DEFAULT_SCENARIO
    from ..scenario.load import load_scenario

    s = load_scenario(scenario or DEFAULT_SCENARIO)
    return s.with_overrides(overrides) if overrides else s


def parse_policies(values: tuple[str, ...]) -> list[Any] | None:
    """``--policy`` values: a strategy name, or an inline TOML table with its parameters
    (``'{ name = "aligning", tolerance = 1 }'``)."""
    out: list[Any] = []
    for k, item in enumerate(values):
        text = item.strip()
        if text.startswith("{"):
            try:
                out.append(tomllib.loads(f"v = {text}")["v"])
            except tomllib.TOMLDecodeError as exc:
                raise ScenarioError(
                    f'not a TOML inline table ({exc}); e.g. \'{{ name = "aligning", '
                    f"tolerance = 1 }}'",
                    key=f"--policy[{k}]",
                ) from None
        else:
            out.append(text)
    return out or None


def emit_json(doc: dict[str, Any]) -> None:
    from ..io.results import dumps

    click.echo(dumps(doc), nl=False)


scenario_arg = click.argument("scenario", required=False)
set_opt = click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a scenario value by dotted key (repeatable), e.g. "
    "--set horizon.discount=0.95 --set strategies.india.tolerance=1",
)
json_opt = click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
quiet_opt = click.option("--quiet", "-q", is_flag=True, help="Print only the verdict line.")
seed_opt = click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Seed of the simulation (results are identical for a seed).",
)
method_opt = click.option(
    "--method",
    type=click.Choice(["exact", "simulate"]),
    default="exact",
    show_default=True,
    help="Solve the Markov chain, or simulate.",
)
replicates_opt = click.option(
    "--replicates",
    type=click.IntRange(min=2),
    default=20_000,
    show_default=True,
    help="Simulated plays per policy.",
)
rounds_opt = click.option(
    "--rounds",
    type=click.IntRange(min=1),
    default=None,
    help="Simulated rounds (default: the horizon, or until the "
    "discount weight left is below 1e-9).",
)
focal_opt = click.option("--focal", default=None, help="Player whose policies are compared.")
policy_opt = click.option(
    "--policy",
    "policies",
    multiple=True,
    help="A policy to compare (repeatable): a name or an inline table such as "
    "'{ name = \"aligning\", tolerance = 1 }' (default: the scenario's "
    "[compare] or balancing and aligning).",
)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="recip")
def main() -> None:
    """recip: balancing versus aligning in repeated games read from scenario files.

    \b
    Example:
      recip run                          # the bundled op-ed scenario, sindoor-2025
      recip run counter-short-shadow --set horizon.discount=0.95
      recip scenarios                    # what is bundled
    """


@contextmanager
def progress_bar(show: bool, what: str, total: int | None = None):
    """A progress bar on stderr for work that may take more than a second (it appears only
    after one second), or nothing."""
    if not show:
        yield None
        return
    from tqdm import tqdm

    with tqdm(
        desc=what, total=total, unit=" replicates", delay=1.0, file=sys.stderr, leave=False
    ) as bar:
        yield bar.update
