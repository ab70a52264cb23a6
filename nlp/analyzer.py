"""Run the detectors over a post and return its findings and risk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc

import regex

from nlp.detectors.base import Detector
from nlp.finding import Finding
from nlp.risk import Risk, assess


_LONE_SURROGATE = regex.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Analysis:
    """The result of checking one post."""

    findings: tuple[Finding, ...]
    risk: Risk


def clean(text: str) -> str:
    """Replace lone UTF-16 surrogates (valid in JSON escapes, not in UTF-8) with U+FFFD.

    One character stands for one, so every offset into the cleaned text is an offset into the
    original, in code points and in UTF-16 units alike.
    """
    return _LONE_SURROGATE.sub("\ufffd", text)


def _merge(a: Finding, b: Finding) -> Finding:
    """Return one finding for two overlapping findings of the same category.

    The longer span explains the pair (it is usually the more complete reading, e.g. "Dr Michael
    Turner" over "Michael Turner"); the span grows to cover both and the severity is the higher.
    """
    longer, other = (a, b) if (a.end - a.start, a.rank) >= (b.end - b.start, b.rank) else (b, a)
    start, end = min(a.start, b.start), max(a.end, b.end)
    changes: dict[str, object] = {"start": start, "end": end}
    if other.rank > longer.rank:
        changes["severity"] = other.severity
    return replace(longer, **changes) if changes != {"start": longer.start, "end": longer.end} else longer


def resolve(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Merge overlapping findings of one category, and order the result by position.

    A name inside an email address or another piece of personal data is already covered by
    that finding, so it is dropped.
    """
    by_category: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_category[finding.category].append(finding)
    merged: list[Finding] = []
    for items in by_category.values():
        items.sort(key=lambda f: (f.start, -f.end))
        current = items[0]
        for finding in items[1:]:
            if finding.start < current.end:
                current = _merge(current, finding)
            else:
                merged.append(current)
                current = finding
        merged.append(current)
    personal = [f for f in merged if f.category == "personal_data"]
    kept = [f for f in merged if not (f.category == "third_party" and any(f.within(p) for p in personal))]
    return tuple(sorted(kept, key=lambda f: (f.start, f.end, f.category)))


class Analyzer:
    """The checker: one spaCy pipeline and an explicit list of detectors."""

    def __init__(self, nlp: Language, detectors: Sequence[Detector]) -> None:
        self.nlp = nlp
        self.detectors = tuple(detectors)

    def analyze(self, text: str) -> Analysis:
        """Check one post."""
        with self.nlp.memory_zone():
            return self._analyze_doc(self.nlp(clean(text)))

    def analyze_many(self, texts: Sequence[str], batch_size: int = 32) -> list[Analysis]:
        """Check several posts in one pass of ``nlp.pipe``."""
        with self.nlp.memory_zone():
            docs = self.nlp.pipe((clean(t) for t in texts), batch_size=batch_size)
            return [self._analyze_doc(doc) for doc in docs]

    def _analyze_doc(self, doc: Doc) -> Analysis:
        findings = resolve(f for detector in self.detectors for f in detector.detect(doc))
        return Analysis(findings, assess(findings))
