"""The public API is what ``xinchuang.__all__`` lists, sorted."""

from __future__ import annotations

import xinchuang


def test_all_is_sorted_and_importable() -> None:
    assert xinchuang.__all__ == sorted(xinchuang.__all__)
    for name in xinchuang.__all__:
        assert hasattr(xinchuang, name), name
