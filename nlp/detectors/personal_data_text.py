"""Small helpers for looking at the words around a candidate span, always under the timeout."""

from __future__ import annotations

import regex

from nlp.detectors.base import finditer


def first(pattern: regex.Pattern[str], text: str) -> regex.Match[str] | None:
    """Return the first match of ``pattern`` in ``text`` (run with the scan timeout), or None."""
    return next(finditer(pattern, text), None)


def found(pattern: regex.Pattern[str], text: str) -> bool:
    """Return True when ``pattern`` occurs in ``text``."""
    return first(pattern, text) is not None


def before(text: str, start: int, width: int) -> str:
    """Return up to ``width`` characters of ``text`` before ``start``."""
    return text[max(0, start - width) : start]
