"""Gambit's strategic-game file format (``.nfg``): payoff tensors to text and back.

The format, as Gambit documents it ("Game representation formats") and its reader and writer
implement it:

* a prologue ``NFG 1 R "title" { "player 1" "player 2" ... }``, then the strategies -- either a
  nested list of labels, one list per player (``{ { "a" "b" } { "c" "d" } }``), or, in the older
  *payoff version*, the number of strategies of each player (``{ 2 2 }``, labels ``"1"``,
  ``"2"``, ...) -- and an optional comment in quotes;
* the body: in the *outcome version*, a list of outcomes ``{ "label" p_1, p_2, ... }`` (commas
  optional) and then one outcome number per strategy profile (1-based; 0 is the null outcome,
  paying 0 to everyone); in the payoff version, every player's payoff for each profile in turn;
* profiles in the order one counts with the **first player's strategy changing fastest**
  (unlike recip's tables, where the last player's action changes fastest);
* text in double quotes, with ``\\"`` for a quote inside a label (``\\\\`` for a backslash, as
  Gambit's writer emits); whitespace is insignificant; numbers are integers, decimals (with an
  optional exponent) or rationals ``a/b``, all exact.

recip writes the outcome version (so action labels survive), one outcome per profile labelled
with its actions, and reads both versions.

>>> import numpy as np
>>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]])
>>> print(export_tensor_nfg("PD", ["row", "col"], [["C", "D"], ["C", "D"]], pd))
NFG 1 R "PD" { "row" "col" }
<BLANKLINE>
{ { "C" "D" }
{ "C" "D" }
}
""
<BLANKLINE>
{
{ "C C" 3, 3 }
{ "D C" 5, 0 }
{ "C D" 0, 5 }
{ "D D" 1, 1 }
}
1 2 3 4
<BLANKLINE>
>>> parse_nfg(export_tensor_nfg("PD", ["row", "col"], [["C", "D"], ["C", "D"]], pd)).payoffs[..., 0]
array([[3., 0.],
       [5., 1.]])
"""

from .read import NfgGame, parse_nfg, read_source
from .write import export_tensor_nfg, number, quote

__all__ = ["NfgGame", "export_tensor_nfg", "number", "parse_nfg", "quote", "read_source"]
