"""The foundation: errors, the Game, compiled automata, uncertain values, mixed-radix codes,
limits and words. It imports nothing else of recip."""
