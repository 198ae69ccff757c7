"""The command group, its shared options and helpers.

Every command is *parse -> question -> render*: it reads its arguments, asks one question of
:mod:`recip.questions`, and prints the result with :func:`recip.report.text.render` or as JSON
(:func:`recip.report.results.results_document`). Everything printed goes through
:mod:`recip.cli.output`.
"""

from __future__ import annotations

import errno
import sys
from contextlib import contextmanager
from typing import Any

import click

from .._version import __version__
from ..core import limits
from ..core.errors import RecipError, ScenarioError
from .output import captured_warnings, say, say_error, say_json, say_note


class _Group(click.Group):
    """Turns recip's expected errors, click's usage errors and file-system errors into one line
    on stderr and their exit code; shows recip's warnings as notes."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.ClickException as exc:
            say_error(_usage_message(exc))
            sys.exit(exc.exit_code)
        except click.Abort:
            say_error("interrupted")
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        shown = ctx.ensure_object(dict).setdefault("notes", set())
        try:
            with captured_warnings(shown):
                return super().invoke(ctx)
        except RecipError as exc:
            say_error(str(exc))
            ctx.exit(exc.exit_code)
        except OSError as exc:
            # a file the user named that cannot be read or written (a name too long, a
            # permission): the user's to fix, so one line; a closed pipe is click's to handle
            if exc.errno == errno.EPIPE:
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            say_error(f"{where}{exc.strerror or exc}")
            ctx.exit(2)


def _usage_message(exc: click.ClickException) -> str:
    message = exc.format_message()
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError) and ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    return message


class Count(click.IntRange):
    """A whole number in ``[low, high]``; beyond ``high``, the message names the limit and its
    constant in :mod:`recip.core.limits`. Integral numbers written as ``1e5`` are accepted."""

    def __init__(self, low: int, high: int, limit_name: str, reduce: str) -> None:
        super().__init__(min=low, max=high)
        self.limit_name = limit_name
        self.reduce = reduce

    def convert(self, value: Any, param: Any, ctx: Any) -> int:
        if isinstance(value, str):
            try:
                number = float(value.replace("_", ""))
            except ValueError:
                number = None
            if number is not None and number.is_integer() and abs(number) < 1e300:
                value = int(number)
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            if isinstance(value, int) and value > self.max:
                self.fail(
                    f"{value} is over recip's limit of {self.max:,} "
                    f"(recip.core.limits.{self.limit_name}): {self.reduce}",
                    param,
                    ctx,
                )
            raise


def parse_set(values: tuple[str, ...]) -> dict[str, Any]:
    """``--set KEY=VALUE`` arguments as overrides (values read as TOML, else as text)."""
    from ..scenario.overrides import parse_set as parse_one

    return dict(parse_one(item) for item in values)


def load(scenario: str | None, overrides: dict[str, Any]):
    """The scenario named on the command line (default: the bundled op-ed scenario), with the
    ``--set`` overrides applied; an override's error names ``--set``, not the file."""
    from ..scenario.bundled import DEFAULT_SCENARIO
    from ..scenario.load import load_scenario

    s = load_scenario(scenario or DEFAULT_SCENARIO)
    if not overrides:
        return s
    try:
        return s.with_overrides(overrides)
    except ScenarioError as exc:
        # the file loaded: what is wrong now came from the command line, not from the file
        if exc.file not in (None, s.source):
            raise
        raise ScenarioError(exc.message, file="--set", key=exc.key) from None


def parse_policies(values: tuple[str, ...]) -> list[Any] | None:
    """``--policy`` values: a strategy name, or an inline TOML table with its parameters
    (``'{ name = "aligning", tolerance = 1 }'``)."""
    from ..scenario.overrides import toml_value

    out: list[Any] = []
    for k, item in enumerate(values):
        text = item.strip()
        if text.startswith("{"):
            try:
                value = toml_value(text)
            except ScenarioError as exc:
                raise ScenarioError(exc.message, key=f"--policy[{k}]") from None
            if not isinstance(value, dict):
                raise ScenarioError(
                    "not a TOML inline table; e.g. '{ name = \"aligning\", tolerance = 1 }'",
                    key=f"--policy[{k}]",
                )
            out.append(value)
        else:
            out.append(text)
    return out or None


def show(
    result,
    scenario,
    command: str,
    *,
    as_json: bool = False,
    quiet: bool = False,
    verbose: bool = False,
    doc: dict[str, Any] | None = None,
    seed: int | None = None,
    method: str = "exact",
) -> None:
    """Print a result: its results document (``--json``), its one-line summary (``--quiet``,
    with any notes on stderr) or its text."""
    from ..report.results import results_document
    from ..report.text import notes, render

    shown = click.get_current_context().ensure_object(dict).setdefault("notes", set())
    if as_json:
        if doc is None:
            doc = results_document(result, scenario, command, seed=seed, method=method)
        say_json(doc)
        for note in notes(result):
            say_note(note)
    elif quiet:
        say(result.summary)
        for note in notes(result):
            say_note(note)
    else:
        say(render(result, verbose=verbose, scenario=scenario))
    shown.update(notes(result))


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
verbose_opt = click.option(
    "--verbose", "-v", is_flag=True, help="Print every row (no listing is cut short)."
)
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
    type=Count(2, limits.MAX_REPLICATES, "MAX_REPLICATES", "simulate fewer replicates"),
    default=20_000,
    show_default=True,
    help=f"Simulated plays per policy (at most {limits.MAX_REPLICATES:,}).",
)
rounds_opt = click.option(
    "--rounds",
    type=Count(1, limits.MAX_SIMULATED_ROUNDS, "MAX_SIMULATED_ROUNDS", "simulate fewer rounds"),
    default=None,
    help="Simulated rounds (default: the horizon, or until the discount weight left (the most "
    "patient player's) is below "
    f"1e-9; at most {limits.MAX_SIMULATED_ROUNDS:,}).",
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
def progress_bar(show: bool, what: str, total: int | None = None, unit: str = " replicates"):
    """A progress bar on stderr for work that may take more than a second (it appears only
    after one second), or nothing. Yields the function to call with the work done."""
    if not show:
        yield None
        return
    from tqdm import tqdm

    with tqdm(desc=what, total=total, unit=unit, delay=1.0, file=sys.stderr, leave=False) as bar:
        yield bar.update
