"""A task: one chunk of work that any executor can run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Task:
    """One chunk of work: ``func(*args)``, a module-level function of picklable arguments that
    returns a NumPy array."""

    func: Callable[..., np.ndarray]
    args: tuple[Any, ...]

    def __call__(self) -> np.ndarray:
        return self.func(*self.args)


def call(task: Task) -> np.ndarray:
    return task()
