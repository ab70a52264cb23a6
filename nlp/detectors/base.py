"""What every detector is: a category, the clauses it enforces, and ``detect(doc)``."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import ClassVar

import regex
from spacy.tokens import Doc

from nlp.finding import Finding
from nlp.policy import catalogue

log = logging.getLogger(__name__)

#: Upper bound for one regular-expression scan of one post. Patterns are written to run in
#: linear time; the timeout is the belt to those braces (user text is hostile).
REGEX_TIMEOUT_S = 0.5


def finditer(pattern: regex.Pattern[str], text: str) -> Iterator[regex.Match[str]]:
    """Yield the matches of ``pattern`` in ``text``, giving up (and logging, without text) on timeout."""
    try:
        yield from pattern.finditer(text, timeout=REGEX_TIMEOUT_S)
    except TimeoutError:
        log.warning("pattern %s timed out on a %d-character text", pattern.pattern[:40], len(text))


class Detector(ABC):
    """Base class: subclasses set ``category`` and ``name`` and implement ``detect``."""

    category: ClassVar[str]
    name: ClassVar[str]
    #: Whether the detector reads ``doc.ents``; rule-only detectors run on ``spacy.blank``.
    needs_ner: ClassVar[bool] = False

    @abstractmethod
    def detect(self, doc: Doc) -> list[Finding]:
        """Return the findings of this detector's category in ``doc``."""

    def finding(
        self,
        start: int,
        end: int,
        type_: str,
        severity: str,
        pattern: str,
        *,
        score: float = 0.85,
        replacement: str | None = None,
    ) -> Finding:
        """Build a finding of this detector's category, explained from the policy catalogue."""
        why = catalogue().explain(self.category, type_)
        return Finding(
            category=self.category,
            type=type_,
            start=start,
            end=end,
            severity=severity,
            clauses=why.clauses,
            message=why.message,
            suggestion=why.suggestion,
            detector=self.name,
            pattern=pattern,
            score=score,
            replacement=replacement if replacement is not None else why.replacement,
        )
