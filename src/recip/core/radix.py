"""Mixed-radix codes: a tuple of digits ``d_0, ..., d_{k-1}`` with ``0 <= d_i < sizes[i]`` as one
integer ``sum_i d_i * place[i]``, the last digit changing fastest (row-major, as NumPy orders a
multi-index). recip numbers joint actions, joint memories and strategy memories this way.

A code must fit a signed 64-bit integer. When the product of the sizes does not, the digits are
cut into consecutive *words* (:func:`words`), each word a code of its own; a tuple of words,
compared word by word, orders the digit tuples as the single code would.

>>> place = places([2, 3])
>>> place.tolist(), encode([[1, 2]], place).tolist(), decode([5], [2, 3]).tolist()
([3, 1], [5], [[1, 2]])
>>> words([3**30, 3**30, 2])
[(0, 1), (1, 3)]
"""

from __future__ import annotations

import numpy as np

#: Largest span of one word: codes stay below 2**62, so that adding two codes cannot overflow.
WORD_SPAN = 1 << 62


def places(sizes) -> np.ndarray:
    """Place value of each digit (along the last axis of ``sizes``; earlier axes are batches):
    the product of the sizes of the digits after it."""
    sizes = np.asarray(sizes, dtype=np.int64)
    out = np.ones_like(sizes)
    if sizes.shape[-1] > 1:
        out[..., :-1] = np.cumprod(sizes[..., :0:-1], axis=-1)[..., ::-1]
    return out


def encode(digits, place) -> np.ndarray:
    """The codes of rows of ``digits`` (shape ``(..., k)``)."""
    return (np.asarray(digits, dtype=np.int64) * np.asarray(place, dtype=np.int64)).sum(axis=-1)


def decode(codes, sizes) -> np.ndarray:
    """The digits of ``codes`` (shape ``(...,)``) as an array of shape ``(..., k)``."""
    sizes = np.asarray(sizes, dtype=np.int64)
    codes = np.asarray(codes, dtype=np.int64)
    return (codes[..., None] // places(sizes)) % sizes


def span(sizes) -> int:
    """How many codes there are: the product of the sizes (as a Python integer, no overflow)."""
    out = 1
    for n in np.asarray(sizes).reshape(-1).tolist():
        out *= int(n)
    return out


def words(sizes, limit: int = WORD_SPAN) -> list[tuple[int, int]]:
    """Cut the digits into consecutive words ``sizes[start:stop]`` whose spans stay within
    ``limit`` (as few as a left-to-right greedy cut gives); every size must be at most
    ``limit``."""
    out: list[tuple[int, int]] = []
    start, size = 0, 1
    for k, n in enumerate(np.asarray(sizes).reshape(-1).tolist()):
        if int(n) > limit:
            raise ValueError(f"a digit of size {n} does not fit a word of span {limit}")
        if size * int(n) > limit:
            out.append((start, k))
            start, size = k, 1
        size *= int(n)
    out.append((start, len(np.asarray(sizes).reshape(-1))))
    return out
