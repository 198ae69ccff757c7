"""Record the axelrod library's answers for the cross-check fixture.

Run by hand, in an environment with the ``[crosscheck]`` extra (``pip install -e .[crosscheck]``)::

    python tests/crosscheck/record_axelrod.py

It plays every ordered pair (self-play included) of six deterministic strategies for
:data:`TURNS` rounds of the prisoner's dilemma with axelrod's default payoffs
(R, P, S, T) = (3, 1, 0, 5), no noise, and writes ``axelrod_matches.json`` beside this file:
axelrod's version, the strategy classes, each side's moves as a ``"CD..."`` string and the total
scores. The output is deterministic (no timestamps, sorted keys), so re-recording with the same
axelrod version reproduces the committed file byte for byte.

``tests/test_crosscheck_axelrod.py`` checks recip against this file always, and against a live
axelrod where one is importable (through :func:`play_all`).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

#: Strategies of the cross-check: key -> (axelrod class, axelrod's display name).
STRATEGIES: dict[str, tuple[str, str]] = {
    "tft": ("TitForTat", "Tit For Tat"),
    "grim": ("Grudger", "Grudger"),
    "wsls": ("WinStayLoseShift", "Win-Stay Lose-Shift"),
    "alternator": ("Alternator", "Alternator"),
    "cooperator": ("Cooperator", "Cooperator"),
    "defector": ("Defector", "Defector"),
}
TURNS = 200
SEED = 0
#: axelrod's default prisoner's dilemma.
GAME = {"R": 3, "P": 1, "S": 0, "T": 5}
FIXTURE = Path(__file__).with_name("axelrod_matches.json")


def _player(axl, key: str):
    cls_name, display = STRATEGIES[key]
    player = getattr(axl, cls_name)()
    if type(player).__name__ != cls_name or player.name != display:
        raise RuntimeError(f"axelrod.{cls_name} is now {type(player).__name__} ({player.name!r})")
    if player.classifier["stochastic"]:
        raise RuntimeError(f"axelrod.{cls_name} is stochastic; the cross-check needs determinism")
    return player


def play_all(turns: int = TURNS, seed: int = SEED) -> dict[str, Any]:
    """Play every ordered pair of :data:`STRATEGIES` in axelrod and return the fixture's content.

    Each match is ``axelrod.Match((row, col), turns, game=Game(R, S, T, P), noise=0,
    seed=seed)`` with fresh players and a fresh deterministic cache, so no match can see another.
    Moves are strings over ``C``/``D`` (one per round), scores the sums of each side's payoffs.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import axelrod as axl

        game = axl.Game(r=GAME["R"], s=GAME["S"], t=GAME["T"], p=GAME["P"])
        if tuple(int(x) for x in game.RPST()) != (GAME["R"], GAME["P"], GAME["S"], GAME["T"]):
            raise RuntimeError(f"axelrod's game is {game.RPST()}, expected {GAME}")
        matches = []
        for row in STRATEGIES:
            for col in STRATEGIES:
                match = axl.Match(
                    (_player(axl, row), _player(axl, col)),
                    turns=turns,
                    game=game,
                    noise=0,
                    seed=seed,
                    deterministic_cache=axl.DeterministicCache(),
                )
                plays = match.play()
                scores = match.final_score()
                matches.append(
                    {
                        "row": row,
                        "col": col,
                        "moves": ["".join(str(p[k]) for p in plays) for k in (0, 1)],
                        "scores": [int(scores[0]), int(scores[1])],
                    }
                )
    return {
        "about": "axelrod's moves and scores for recip's cross-check; written by "
        "tests/crosscheck/record_axelrod.py, do not edit by hand",
        "axelrod_version": axl.__version__,
        "turns": turns,
        "seed": seed,
        "noise": 0.0,
        "game": GAME,
        "strategies": {k: {"class": c, "name": n} for k, (c, n) in STRATEGIES.items()},
        "matches": matches,
    }


def main() -> None:
    data = play_all()
    FIXTURE.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(data['matches'])} matches (axelrod {data['axelrod_version']}) to {FIXTURE}")


if __name__ == "__main__":
    main()
