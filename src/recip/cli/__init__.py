"""The command line: parse, call the API, print. No computation happens here.

The commands live in small modules by theme; importing them registers them on :data:`main`.
"""

from . import (  # noqa: F401  (they register commands)
    analysis_cmds,
    compare_cmds,
    credibility_cmds,
    explain_cmds,
    info_cmds,
    plot_cmds,
    report_cmds,
    sensitivity_cmds,
    sweep_cmds,
    uncertainty_cmds,
)
from .base import main

__all__ = ["main"]
