"""Run the detectors over a post and return its findings and risk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from nlp.detectors.base import Detector
from nlp.finding import Finding
from nlp.risk import Risk, assess


@dataclass(frozen=True, slots=True)
class Analysis:
    """The result of checking one post."""

    findings: tuple[Finding, ...]
    risk: Risk


def resolve(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Drop duplicates and nested findings, and order the rest by position.

    Within a category the widest, most severe span wins. A name inside an email address or
    another piece of personal data is already covered by that finding, so it is dropped.
    """
    ordered = sorted(findings, key=lambda f: (f.start, -(f.end - f.start), -f.rank))
    kept: list[Finding] = []
    for finding in ordered:
        covered = any(
            finding.within(other)
            and (
                other.category == finding.category
                or (finding.category == "third_party" and other.category == "personal_data")
            )
            for other in kept
        )
        if not covered:
            kept.append(finding)
    # A personal-data span can start before a name it contains but be sorted after it.
    kept = [
        f
        for f in kept
        if not (
            f.category == "third_party"
            and any(o.category == "personal_data" and f.within(o) for o in kept)
        )
    ]
    return tuple(kept)


class Analyzer:
    """The checker: one spaCy pipeline and an explicit list of detectors."""

    def __init__(self, nlp: Language, detectors: Sequence[Detector]) -> None:
        self.nlp = nlp
        self.detectors = tuple(detectors)

    def analyze(self, text: str) -> Analysis:
        """Check one post."""
        with self.nlp.memory_zone():
            return self._analyze_doc(self.nlp(text))

    def analyze_many(self, texts: Sequence[str], batch_size: int = 32) -> list[Analysis]:
        """Check several posts in one pass of ``nlp.pipe``."""
        with self.nlp.memory_zone():
            return [self._analyze_doc(doc) for doc in self.nlp.pipe(texts, batch_size=batch_size)]

    def _analyze_doc(self, doc: Doc) -> Analysis:
        findings = resolve(f for detector in self.detectors for f in detector.detect(doc))
        return Analysis(findings, assess(findings))
