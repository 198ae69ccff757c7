"""Run the examples in recip's docstrings."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import recip

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(recip.__path__, prefix="recip.")
    if not m.name.endswith("__main__")
)


@pytest.mark.parametrize("name", ["recip", *MODULES])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
