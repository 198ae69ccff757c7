"""The questions a user asks of a scenario, each answering with a result that has a title,
its conditions, a one-line summary and ``to_dict()``: evaluate, compare, stage equilibria, the
meta-game, subgame perfection, critical discount factors."""
