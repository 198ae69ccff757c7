"""Scenario files: loading, validation, claim maps and overrides."""

from .checks import problems
from .load import Scenario, load_scenario

__all__ = ["Scenario", "load_scenario", "problems"]
