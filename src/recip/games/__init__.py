"""Scenario-free algorithms on payoff tensors: Nash equilibria, dominance, best responses."""
