"""The layering of DESIGN §7 holds: lower layers never import higher ones, and no package's
modules import each other in a circle (import-linter contracts in pyproject.toml)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("importlinter")


def lint_imports(src: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_the_contracts_are_kept():
    r = lint_imports(ROOT / "src")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 kept, 0 broken" in r.stdout


@pytest.mark.parametrize(
    ("module", "upward", "contract"),
    [
        ("core/text.py", "from recip.cli import main", "Data flows one way"),
        ("engine/exact.py", "from recip.model import setting", "Data flows one way"),
        ("scenario/claims.py", "from recip.scenario import load", "No import circles"),
    ],
)
def test_a_deliberate_upward_import_breaks_a_contract(tmp_path, module, upward, contract):
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "recip", copy / "recip")
    target = copy / "recip" / module
    target.write_text(target.read_text() + f"\n{upward}  # noqa\n")
    r = lint_imports(copy)
    assert r.returncode != 0
    assert f"{contract}" in r.stdout and "BROKEN" in r.stdout
