"""Evaluators of compiled profiles: exact (Markov chain) and simulated (Monte Carlo)."""
