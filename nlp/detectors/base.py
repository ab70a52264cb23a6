"""What every detector is: a category, the clauses it enforces, and ``detect(doc)``."""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TypeVar

import regex
from spacy.tokens import Doc

from nlp.finding import Finding
from nlp.policy import catalogue

log = logging.getLogger(__name__)

#: Upper bound for one regular-expression scan of one post. Patterns are written to run in
#: linear time; the timeout is the belt to those braces (user text is hostile).
REGEX_TIMEOUT_S = 0.5
#: Scans of fewer characters than this run without the timeout. In the ``regex`` module,
#: arming it costs about 2 us a call and makes finding each further match about three times
#: dearer: a fifth of the detectors' time on the bench corpus, which runs a few hundred scans
#: a paragraph. A scan this short ends in milliseconds even if some pattern were quadratic
#: (``tests/nlp/test_hostile_text.py`` checks adversarial texts just under this length);
#: longer ones, where backtracking could cost seconds, keep the belt.
TIMEOUT_FROM_CHARS = 2048


def finditer(
    pattern: regex.Pattern[str], text: str, pos: int = 0, endpos: int | None = None
) -> Iterator[regex.Match[str]]:
    """Yield the matches of ``pattern`` in ``text`` (between ``pos`` and ``endpos``: look-behinds
    and ``\\b`` still see the text before ``pos``); on a span of ``TIMEOUT_FROM_CHARS`` or more,
    give up (and log, without text) on timeout."""
    end = len(text) if endpos is None else endpos
    if end - pos < TIMEOUT_FROM_CHARS:
        yield from pattern.finditer(text, pos, end)
        return
    try:
        yield from pattern.finditer(text, pos, end, timeout=REGEX_TIMEOUT_S)
    except TimeoutError:
        log.warning("pattern %s timed out on a %d-character text", pattern.pattern[:40], len(text))


def match_in(pattern: regex.Pattern[str], text: str, pos: int, endpos: int) -> regex.Match[str] | None:
    """Return ``pattern.match(text, pos, endpos)``; on a span of ``TIMEOUT_FROM_CHARS`` or more,
    with the timeout armed (the caller catches ``TimeoutError``)."""
    if endpos - pos < TIMEOUT_FROM_CHARS:
        return pattern.match(text, pos, endpos)
    return pattern.match(text, pos, endpos, timeout=REGEX_TIMEOUT_S)


T = TypeVar("T")


def memo(doc: Doc, key: str, build: Callable[[Doc], T]) -> T:
    """Return ``build(doc)``, computed once per Doc and kept in its ``user_data``.

    For what several detectors read from the same Doc: its text (``Doc.text`` joins the tokens
    anew on every access), its words, the cue index. It lives as long as the Doc does.
    """
    slot = _slot(key)
    try:
        return doc.user_data[slot]
    except KeyError:
        value = doc.user_data[slot] = build(doc)
        return value


def _slot(key: str) -> tuple[str, str]:
    """Return where :func:`memo` keeps ``key`` in a Doc's ``user_data``."""
    return ("prepost", key)


def text_of(doc: Doc) -> str:
    """Return ``doc.text``, joined once per Doc (or as :func:`remember_text` was told)."""
    return memo(doc, "text", lambda d: d.text)


def remember_text(doc: Doc, text: str) -> None:
    """Tell :func:`text_of` the text ``doc`` was made from, so it is not joined from the tokens."""
    doc.user_data[_slot("text")] = text


def fold(text: str) -> str:
    """Fold text as patterns compare letters ignoring case (and ``ё`` as ``е``), one character
    for one, so a prefix of the text folds to a prefix of the folded text."""
    folded = text.casefold()
    if len(folded) != len(text):  # "ß" folds to "ss", "İ" to "i̇": keep the first of each
        folded = "".join(char.casefold()[0] for char in text)
    return folded.replace("ё", "е")


def folded_of(doc: Doc) -> str:
    """Return ``fold(doc.text)``, once per Doc."""
    return memo(doc, "folded", lambda d: fold(text_of(d)))


class Detector(ABC):
    """Base class: subclasses set ``category`` and ``name`` and implement ``detect``."""

    category: ClassVar[str]
    name: ClassVar[str]
    #: Whether the detector reads ``doc.ents``; rule-only detectors run on ``spacy.blank``.
    needs_ner: ClassVar[bool] = False

    @abstractmethod
    def detect(self, doc: Doc) -> list[Finding]:
        """Return the findings of this detector's category in ``doc``."""

    def join(self, text: str, finding: Finding) -> Finding:
        """Return ``finding`` grown over the start of the next paragraph of ``text``, if it runs on.

        Paragraphs are checked on their own; the analyzer asks this of a finding that reaches
        the end of its paragraph. Most findings never run on (the default keeps ``finding``).
        """
        return finding

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


PATTERN_DIR = Path(__file__).resolve().parent.parent / "patterns"
_SENTENCE = regex.compile(r"[^.!?\n]+(?:[.!?]+|\n+|$)")


@dataclass(frozen=True, slots=True)
class PatternRule:
    """One named regular expression from a pattern file, with the finding type it signals."""

    id: str
    type: str
    pattern: regex.Pattern[str]
    severity: str = "medium"
    #: Folded words of which every match holds one ("complaint", "grievance"): a text with none
    #: of them is not scanned. Empty: always scanned.
    needs: tuple[str, ...] = ()

    def may_match(self, folded: str) -> bool:
        """Return False when the folded text holds none of the words every match needs."""
        return not self.needs or holds_any(folded, self.needs)


def holds_any(folded: str, words: tuple[str, ...]) -> bool:
    """Return True when the folded text holds one of the folded ``words`` (as substrings)."""
    return any(word in folded for word in words)


def load_rules(name: str) -> list[PatternRule]:
    """Compile the rules of ``nlp/patterns/<name>.jsonl`` (one JSON object a line), case-insensitively.

    A rule's optional ``needs`` lists words (or word starts) of which every match of its
    pattern holds one, compared ignoring case: most posts hold none, and scanning a text is
    what pattern rules spend their time on.
    """
    rules = []
    with (PATTERN_DIR / f"{name}.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            spec = json.loads(line)
            rules.append(
                PatternRule(
                    id=spec["id"],
                    type=spec["type"],
                    pattern=regex.compile(spec["pattern"], regex.IGNORECASE | regex.VERSION1),
                    severity=spec.get("severity", "medium"),
                    needs=tuple(fold(word) for word in spec.get("needs", ())),
                )
            )
    return rules


def sentences(text: str) -> list[tuple[int, int]]:
    """Return rough sentence bounds (start, end) without a parser: split at . ! ? and newlines."""
    return [(m.start(), m.end()) for m in finditer(_SENTENCE, text)]
