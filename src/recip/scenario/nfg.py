"""Gambit ``.nfg`` games as one-state scenarios."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..core.limits import MAX_LABEL_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS
from ..io.nfg import NfgGame, parse_nfg, read_source

#: The discount factor of an imported game (a scenario needs a horizon; .nfg files have none).
DEFAULT_DISCOUNT = 0.9
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def read_nfg(
    text_or_path: str | Path, *, discount: float = DEFAULT_DISCOUNT, state: str = "game"
) -> dict[str, Any]:
    """An ``.nfg`` file (path or text) as a one-state scenario's data, for
    :meth:`recip.Scenario.from_dict`.

    Players and actions keep their labels when these are valid recip names; otherwise they are
    made valid (``"Player 1"`` becomes ``Player_1``, a strategy ``"1"`` becomes ``s1``) and the
    original player labels are kept as ``label``. The one world state (``state``) lists every
    player's actions, with neutral stances; its payoffs are a ``[tables]`` entry; the horizon is
    ``discount``.
    """
    text, source = read_source(text_or_path)
    return nfg_scenario_data(parse_nfg(text, source=source), source, discount, state)


def nfg_scenario_data(game: NfgGame, source: str, discount: float, state: str) -> dict[str, Any]:
    players = _names(game.players, "player")
    if state in players:
        state = "stage" if "stage" not in players else "nfg_game"
    actions = [_names(labels, "s") for labels in game.strategies]
    tables = {p: _plain(game.payoffs[..., i]).tolist() for i, p in enumerate(players)}
    described = (game.comment + "\n" if game.comment else "") + f"Imported from {source}."
    labels = [_line(label, MAX_LABEL_CHARS) for label in game.players]
    return {
        "schema": 1,
        "title": _line(game.title, MAX_TITLE_CHARS) or "Imported game",
        "description": _CONTROL_TEXT.sub(" ", described)[:MAX_TEXT_CHARS],
        "players": {
            p: ({"label": label} if label != p else {})
            for p, label in zip(players, labels, strict=True)
        },
        "states": {
            state: {
                "actions": {
                    p: {a: {} for a in acts} for p, acts in zip(players, actions, strict=True)
                }
            }
        },
        "tables": {state: tables},
        "horizon": {"discount": float(discount)},
    }


def _line(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters, control characters made spaces (a label or
    title in an ``.nfg`` file may hold anything)."""
    line = " ".join(_CONTROL.sub(" ", text).split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _plain(values: np.ndarray) -> np.ndarray:
    """Whole numbers as ``int`` (tables read like the file), others as ``float``."""
    out = np.empty(values.shape, dtype=object)
    for idx, v in np.ndenumerate(values):
        out[idx] = int(v) if float(v).is_integer() and abs(v) < 2**53 else float(v)
    return out


def _names(labels: Sequence[str], prefix: str) -> list[str]:
    """Valid, distinct recip names for ``labels``, unchanged where they already are."""
    out: list[str] = []
    for label in labels:
        name = re.sub(r"[^A-Za-z0-9_\-]+", "_", label.strip()).strip("_")[:60]
        if not name or not name[0].isalpha():
            name = f"{prefix}{name}" if name else prefix
        if not _NAME.match(name):
            name = prefix
        base, n = name, 2
        while name in out:
            name = f"{base}_{n}"
            n += 1
        out.append(name)
    return out
