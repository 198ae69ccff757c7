"""Golden outputs: the JSON that recip's commands print for every bundled scenario.

They were recorded before the model-layer restructuring (issue 6) and are compared after it:
a restructuring changes no number. Run ``python tests/golden/record.py`` only when a change is
*meant* to change a number, and say which in the commit.

Each entry is what ``recip <command> <scenario> ... --json`` printed (parsed), or, for a command
that refuses the scenario, its exit code and message.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: The commands recorded, by name: arguments after the scenario's name.
COMMANDS = {
    "run": ["run", "{scenario}", "--json", "--no-figures", "--out", "{out}"],
    "compare-simulate": ["compare", "{scenario}", "--method", "simulate", "--seed", "1", "--json"],
    "threshold": ["threshold", "{scenario}", "--json"],
    "meta": ["equilibria", "{scenario}", "--meta", "--json"],
    "spe": ["equilibria", "{scenario}", "--spe", "--json"],
    "stage": ["equilibria", "{scenario}", "--json"],
}


def scenario_names() -> list[str]:
    return sorted(p.stem for p in (HERE.parents[1] / "scenarios").glob("*.toml"))


def outputs(scenario: str, out: Path) -> dict[str, object]:
    """Every recorded command's output for one bundled scenario."""
    from click.testing import CliRunner

    from recip.cli import main

    runner = CliRunner()
    docs: dict[str, object] = {}
    for name, args in COMMANDS.items():
        argv = [a.format(scenario=scenario, out=out / name) for a in args]
        result = runner.invoke(main, argv, catch_exceptions=False)
        if result.exit_code == 0:
            docs[name] = json.loads(result.stdout)
        else:
            docs[name] = {"exit_code": result.exit_code, "stderr": result.stderr.strip()}
    return docs


def main() -> None:
    import tempfile

    names = sys.argv[1:] or scenario_names()
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in names:
            docs = outputs(scenario, Path(tmp) / scenario)
            path = HERE / f"{scenario}.json"
            path.write_text(json.dumps(docs, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            print(f"wrote {path}")


if __name__ == "__main__":
    main()
