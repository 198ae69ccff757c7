"""The result of a sweep (:func:`recip.questions.sweep.sweep`): every point's inputs, every
policy's value for every player there, the advantages, the winners, and its CSV and JSON
forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.text import join_words
from ..model.conditions import Conditions
from ..model.result import Result
from ..scenario.overrides import value_text
from .compare import TIE
from .sweep_spec import Swept

#: Most points whose region map data ``results.json`` holds (``sweep.csv`` holds every point).
REGION_POINTS = 40_000


@dataclass(frozen=True, eq=False)
class Sweep(Result):
    """Result of :func:`sweep`.

    ``points[k]`` are the swept keys' values at point ``k`` (a number, or the index of an
    option in ``inputs[j].axis.options``), in the grid's order (first key slowest) or the
    design's; ``values[k, p, i]`` is player ``i``'s value when the focal player follows policy
    ``p`` there. ``own_point`` holds the scenario's own value of each key (None where it is not
    known or not among the options) and ``own_values`` the values there.
    """

    title: str
    conditions: Conditions
    scenario_name: str
    focal: str
    players: tuple[str, ...]
    policies: tuple[str, ...]
    inputs: tuple[Swept, ...]
    design: str
    seed: int | None
    points: np.ndarray
    values: np.ndarray
    own_point: tuple[float | None, ...]
    own_values: np.ndarray
    structures: int
    solves: int
    chunks: int
    notes: tuple[str, ...] = field(default=())

    kind = "sweep"

    def __repr__(self) -> str:
        return f"Sweep({' x '.join(self.keys)}: {len(self.points)} points)"

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.inputs)

    @property
    def shape(self) -> tuple[int, ...] | None:
        """The grid's counts per key (None for a design)."""
        return tuple(s.count for s in self.inputs) if self.design == "grid" else None

    @property
    def focal_values(self) -> np.ndarray:
        """``(K, P)``: the focal player's value under each policy at each point."""
        return self.values[:, :, self.players.index(self.focal)]

    @property
    def advantage(self) -> np.ndarray:
        """``(K, P)``: each policy's focal value minus the first policy's (column 0 is 0)."""
        v = self.focal_values
        return v - v[:, :1]

    @property
    def region_advantage(self) -> np.ndarray:
        """``(K,)``: the best other policy's advantage over the first: positive where another
        policy beats it, negative where it wins (what a region map colours)."""
        return self.advantage[:, 1:].max(axis=1) if len(self.policies) > 1 else np.zeros(0)

    @property
    def best(self) -> np.ndarray:
        """``(K,)``: the index of the focal player's best policy at each point (values within
        ``TIE`` of the best: the earlier policy, as ``recip compare`` decides)."""
        v = self.focal_values
        return np.argmax(v >= v.max(axis=1, keepdims=True) - TIE, axis=1)

    @property
    def tied(self) -> np.ndarray:
        """``(K,)``: whether another policy is within ``TIE`` of the best at the point."""
        v = self.focal_values
        return (v >= v.max(axis=1, keepdims=True) - TIE).sum(axis=1) > 1

    def winners(self) -> list[str]:
        """The best policy at each point, or ``"tie"``."""
        pairs = zip(self.best.tolist(), self.tied.tolist(), strict=True)
        return ["tie" if t else self.policies[b] for b, t in pairs]

    def wins(self) -> dict[str, int]:
        """Points at which each policy is best, and at which the best ties (``"tie"``)."""
        counts = np.bincount(self.best[~self.tied], minlength=len(self.policies))
        out = {p: int(c) for p, c in zip(self.policies, counts, strict=True)}
        out["tie"] = int(self.tied.sum())
        return out

    @property
    def summary(self) -> str:
        n = len(self.points)
        wins = self.wins()
        parts = [
            f"{p} at {c:,} ({c / n:.1%})"
            for p, c in sorted(wins.items(), key=lambda item: -item[1])
            if c and p != "tie"
        ]
        if wins["tie"]:
            parts.append(f"a tie at {wins['tie']:,} ({wins['tie'] / n:.1%})")
        return (
            f"over {n:,} points of {' x '.join(self.keys)}, {self.focal}'s best policy is "
            f"{join_words(parts)}, given {self.conditions.text()}."
        )

    def own_text(self) -> str:
        """The scenario's own point, as ``key=value`` pairs."""
        return ", ".join(
            f"{s.key}={'?' if x is None else s.axis.text(x)}"
            for s, x in zip(self.inputs, self.own_point, strict=True)
        )

    def columns(self) -> list[str]:
        """The CSV's columns: the swept keys, ``value.<player>.<policy>`` for every player
        (the focal player first) and policy, ``advantage.<policy>`` of each policy over the
        first, and ``winner``."""
        f = self.players.index(self.focal)
        order = [f, *(i for i in range(len(self.players)) if i != f)]
        cols = list(self.keys)
        cols += [f"value.{self.players[i]}.{p}" for i in order for p in self.policies]
        cols += [f"advantage.{p}" for p in self.policies[1:]]
        return [*cols, "winner"]

    def to_csv(self) -> str:
        """One row per point, in the order of :attr:`points`; numbers as Python's ``repr``
        writes them (the shortest text that reads back as the same float), so the same sweep
        always gives the same bytes; text quoted as CSV quotes it (RFC 4180)."""
        f = self.players.index(self.focal)
        order = [f, *(i for i in range(len(self.players)) if i != f)]
        table: list[list[str]] = []
        for j, s in enumerate(self.inputs):
            col = self.points[:, j]
            if s.axis.options:
                texts = [_csv_field(_option_text(o)) for o in s.axis.options]
                table.append([texts[int(x)] for x in col.tolist()])
            else:
                table.append(list(map(repr, col.tolist())))
        for i in order:
            for p in range(len(self.policies)):
                table.append(list(map(repr, self.values[:, p, i].tolist())))
        adv = self.advantage
        for p in range(1, len(self.policies)):
            table.append(list(map(repr, adv[:, p].tolist())))
        table.append([_csv_field(w) for w in self.winners()])
        header = ",".join(_csv_field(c) for c in self.columns())
        # a float's repr never needs quoting: rows are joined directly (csv.writer is 10x slower)
        return "\n".join([header, *map(",".join, zip(*table, strict=True))]) + "\n"

    @property
    def own_best(self) -> int:
        """The index of the focal player's best policy at the scenario's own point."""
        own = self.own_values[:, self.players.index(self.focal)]
        return int(np.flatnonzero(own >= own.max() - TIE)[0])

    def region(self) -> dict[str, Any] | None:
        """What a region map draws, for two swept keys and two or more policies (else None):
        each key's name, whether it is a number, its grid values (or the indices of its
        options) and the options' texts; every point's two coordinates and the best other
        policy's advantage over the first (:attr:`region_advantage`); the scenario's own
        point and its text."""
        if len(self.inputs) != 2 or len(self.policies) < 2:
            return None
        axes = []
        for j, s in enumerate(self.inputs):
            if s.numeric:
                ticks = [float(v) for v in s.values]
                labels = None
            else:
                ticks = [float(k) for k in range(s.count)]
                labels = [s.axis.text(k) for k in range(s.count)]
            own = self.own_point[j]
            axes.append(
                {
                    "key": s.key,
                    "numeric": s.numeric,
                    "values": ticks,
                    "labels": labels,
                    "own": None if own is None else float(own),
                    "own_text": None if own is None else s.axis.text(own),
                }
            )
        return {
            "axes": axes,
            "shape": list(self.shape) if self.shape else None,
            "x": self.points[:, 0].astype(float).tolist(),
            "y": self.points[:, 1].astype(float).tolist(),
            "advantage": self.region_advantage.astype(float).tolist(),
        }

    def payload(self) -> dict[str, Any]:
        adv = self.advantage
        return {
            "focal": self.focal,
            "players": list(self.players),
            "policies": list(self.policies),
            "design": {
                "kind": self.design,
                "points": len(self.points),
                "seed": self.seed,
                "shape": list(self.shape) if self.shape else None,
            },
            "inputs": [s.to_dict() for s in self.inputs],
            "cost": {"structures": self.structures, "solves": self.solves, "chunks": self.chunks},
            "wins": self.wins(),
            "advantage": {
                p: {
                    "min": float(adv[:, k].min()),
                    "mean": float(adv[:, k].mean()),
                    "max": float(adv[:, k].max()),
                }
                for k, p in enumerate(self.policies)
                if k
            },
            "own_point": {
                "inputs": {
                    s.key: (None if x is None else _json_value(s, x))
                    for s, x in zip(self.inputs, self.own_point, strict=True)
                },
                "values": {
                    p: {pl: float(v) for pl, v in zip(self.players, row, strict=True)}
                    for p, row in zip(self.policies, self.own_values, strict=True)
                },
                "best": self.policies[self.own_best],
            },
            "columns": self.columns(),
            "region": self.region() if len(self.points) <= REGION_POINTS else None,
        }


def _csv_field(text: str) -> str:
    """``text`` as one CSV field: quoted (quotes doubled) when it holds a comma, a quote or a
    line break."""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _option_text(option: Any) -> str:
    return option if isinstance(option, str) else value_text(option)


def _json_value(s: Swept, x: float) -> Any:
    return s.axis.options[int(x)] if s.axis.options else float(x)
