"""Restructuring changes no number: every bundled scenario's commands print the numbers recorded
in ``tests/golden/`` (simulated ones bit for bit). See ``tests/golden/record.py``."""

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
        changed = [(p, expected[p], got[p]) for p in expected if expected[p] != got[p]]
        assert not changed, f"{command}: numbers changed {changed[:5]}"
