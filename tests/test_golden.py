"""Restructuring changes no number: every bundled scenario's commands print the numbers recorded
in ``tests/golden/``. See ``tests/golden/record.py``.

Simulated numbers, counts, booleans and texts must match bit for bit. Exact numbers come from
linear solves, and an equivalent solve (another ordering, another solver) moves them by
rounding only: they must match to 1e-12 relative (or absolute, near zero) -- except the values
of the threshold's grid, whose points reach 1 - 1e-6, where a linear system's condition number
is about 1e6 and the rounding is a million times larger (1e-9 there)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "golden"))

from record import COMMANDS, outputs, scenario_names  # noqa: E402


def leaves(doc, path=()):
    """Every number and boolean of a JSON document, by its path."""
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from leaves(v, (*path, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from leaves(v, (*path, i))
    elif isinstance(doc, bool | int | float) or doc is None:
        yield path, doc


def same(command: str, path: tuple, expected, got) -> bool:
    """Whether a printed number is unchanged, to the rounding its computation allows."""
    exact = command == "compare-simulate" or not isinstance(expected, float)
    if exact or isinstance(got, bool) or not isinstance(got, int | float):
        return expected == got and type(expected) is type(got)
    tol = 1e-9 if command == "threshold" and path[:2] == ("grid", "values") else 1e-12
    return abs(expected - got) <= tol * max(1.0, abs(expected), abs(got))


@pytest.mark.slow
@pytest.mark.parametrize("scenario", scenario_names())
def test_numbers_unchanged(scenario, tmp_path):
    golden = json.loads((HERE / "golden" / f"{scenario}.json").read_text(encoding="utf-8"))
    now = outputs(scenario, tmp_path)
    assert set(now) == set(COMMANDS)
    for command, doc in golden.items():
        expected = dict(leaves(doc))
        got = dict(leaves(now[command]))
        missing = [p for p in expected if p not in got]
        assert not missing, f"{command}: numbers no longer printed at {missing[:5]}"
        changed = [
            (p, expected[p], got[p]) for p in expected if not same(command, p, expected[p], got[p])
        ]
        assert not changed, f"{command}: numbers changed {changed[:5]}"
