"""Character offsets as Python counts them, and as JavaScript (UTF-16) counts them."""

from __future__ import annotations

from bisect import bisect_left


class Utf16Offsets:
    """Convert code-point offsets of one text to UTF-16 code-unit offsets.

    Only characters outside the Basic Multilingual Plane (most emoji) take two UTF-16 units,
    so the conversion needs just their positions: O(n) once, O(log k) per offset.
    """

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def __call__(self, offset: int) -> int:
        """Return the UTF-16 offset of the code-point ``offset``."""
        return offset + bisect_left(self._astral, offset)
