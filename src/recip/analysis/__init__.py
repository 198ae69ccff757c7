"""Analyses built on the evaluators: profiles, compare, equilibria, ..."""
