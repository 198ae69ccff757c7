"""File codecs: Gambit .nfg text to payoff tensors and back, results documents. No scenario
logic lives here."""
