"""The command line: parse, call the API, print. No computation happens here.

The commands live in small modules by theme; importing them registers them on :data:`main`.
"""

# importing the command modules registers their commands
from . import analysis_cmds, compare_cmds, info_cmds, sensitivity_cmds  # noqa: F401
from .base import main

__all__ = ["main"]
