"""The seam between scenarios and questions: a picklable setting, compiled profiles solved once
and evaluated for many payoffs and discount factors, the strategy game, the one sentence of
conditions and the shape of every result."""
