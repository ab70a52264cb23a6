"""Shared checks for the cue-rule detectors' table-driven tests."""

from __future__ import annotations

import time

from spacy.language import Language

from nlp.detectors.cues import CueDetector
from nlp.finding import Finding

#: A 65,536-character post must be checked well within a request's budget.
MAX_SECONDS = 2.0

#: Hostile inputs: many cue words in a row (many anchors, many candidates each), long runs of
#: one character, long gaps between cue words, and Cyrillic stems repeated without spaces.
ADVERSARIAL = (
    "a" * 65_536,
    " " * 65_536,
    "- " * 32_768,
    ("ответ" * 13_108)[:65_536],
    ("leaked report secretly filmed answers exam anyone paying Teams lecture recording posted " * 800)[
        :65_536
    ],
    ("fake account dean from her account " * 2_000)[:65_536],
    ("screen" + " " * 500 + "record ") * 128,
    ("слили ответы на экзамен у кого есть тайком снял " * 1_400)[:65_536],
    ("my draft budget not yet approved unpublished results " * 1_300)[:65_536],
    ("от имени декана пишу она беременна никому не говорите " * 1_200)[:65_536],
)


def flagged(detector: CueDetector, nlp: Language, text: str) -> list[Finding]:
    """Return the detector's findings for one post."""
    return detector.detect(nlp(text))


def assert_flags(
    detector: CueDetector, nlp: Language, text: str, phrase: str, type_: str, severity: str
) -> None:
    """Assert that one finding covers ``phrase`` with the given type and severity."""
    findings = flagged(detector, nlp, text)
    start = text.index(phrase)
    end = start + len(phrase)
    covering = [f for f in findings if f.start <= start and end <= f.end]
    assert covering, f"{phrase!r} not covered; flagged {[text[f.start : f.end] for f in findings]}"
    finding = covering[0]
    assert finding.category == detector.category
    assert (finding.type, finding.severity) == (type_, severity)
    assert finding.clauses and finding.message and finding.suggestion


def assert_clean(detector: CueDetector, nlp: Language, text: str) -> None:
    """Assert that nothing in the post is flagged."""
    findings = flagged(detector, nlp, text)
    assert not findings, f"false alarm on {[text[f.start : f.end] for f in findings]}"


def assert_span_is_phrase(detector: CueDetector, nlp: Language, phrase: str) -> None:
    """Assert that a phrase padded with harmless sentences is flagged alone, not the whole post."""
    before = "Long day at uni today. The weather was lovely and the canteen had plov. "
    after = " Anyway, see everyone at the football match on Saturday."
    text = before + phrase + after
    findings = flagged(detector, nlp, text)
    assert findings
    assert all(len(before) <= f.start and f.end <= len(before) + len(phrase) for f in findings)


def assert_fast(detector: CueDetector, nlp: Language, text: str) -> None:
    """Assert that one hostile post is checked in linear time (the doc is built outside the clock)."""
    doc = nlp(text)
    started = time.perf_counter()
    detector.detect(doc)
    assert time.perf_counter() - started < MAX_SECONDS
