"""The README quotes what `recip run` really prints."""

from __future__ import annotations

import re
from pathlib import Path

from test_cli import recip

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_quotes_recip_run_as_it_prints(tmp_path):
    text = README.read_text(encoding="utf-8")
    block = re.search(r"```console\n\$ recip run\n(.*?)```", text, re.S)
    assert block, "the README quotes `recip run`"
    r = recip("run", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == block.group(1)
