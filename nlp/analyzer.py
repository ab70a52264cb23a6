"""Run the detectors over a post and return its findings and risk."""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

import regex
from spacy.language import Language
from spacy.tokens import Doc

from nlp.detectors.base import Detector, finditer
from nlp.finding import Finding
from nlp.pipeline import annotate
from nlp.risk import Risk, assess

_LONE_SURROGATE = regex.compile("[\ud800-\udfff]")
#: A blank line (possibly holding spaces) and the whitespace after it: where paragraphs part.
#: Each paragraph is checked, and cached, on its own; only a finding that reaches the end of
#: its paragraph may run on into the next (``Detector.join``: an address block whose lines a
#: blank line parts), and that is decided on the whole post, after the cache.
_PARAGRAPH_BREAK = regex.compile(r"\n[ \t\r\f\v]*\n\s*")
#: Paragraphs remembered per process by default (``CHECK_CACHE_SIZE``); a few MB at most.
DEFAULT_CACHE_SIZE = 4096


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


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) bounds of the paragraphs of ``text``, split at blank lines."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in finditer(_PARAGRAPH_BREAK, text):
        if match.start() > start:
            bounds.append((start, match.start()))
        start = match.end()
    if start < len(text) or not bounds:
        bounds.append((start, len(text)))
    return bounds


class ParagraphCache:
    """The raw findings of recently checked paragraphs, least recently used out first.

    Entries are keyed by a BLAKE2b hash keyed with a random per-process secret, so the cache
    holds no post text and its keys mean nothing outside this process; it lives only in memory
    and is never logged or shared. Offsets in the findings are relative to the paragraph.
    Size 0 remembers nothing.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._secret = secrets.token_bytes(32)
        self._entries: OrderedDict[bytes, tuple[Finding, ...]] = OrderedDict()
        # Threaded servers share one analyzer; OrderedDict reordering is not atomic.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def key(self, paragraph: str) -> bytes:
        """Return the keyed hash of a paragraph."""
        return hashlib.blake2b(paragraph.encode("utf-8"), key=self._secret, digest_size=16).digest()

    def get(self, key: bytes) -> tuple[Finding, ...] | None:
        """Return the cached findings for ``key`` (marking it recently used), or None."""
        if not self.size:
            return None
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
            else:
                self.hits += 1
                self._entries.move_to_end(key)
            return found

    def put(self, key: bytes, findings: tuple[Finding, ...]) -> None:
        """Remember a paragraph's findings, evicting the least recently used beyond the size."""
        if not self.size:
            return
        with self._lock:
            self._entries[key] = findings
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every paragraph and reset the counters."""
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0


def _shift(finding: Finding, offset: int) -> Finding:
    return finding if offset == 0 else replace(finding, start=finding.start + offset, end=finding.end + offset)


class Analyzer:
    """The checker: one spaCy pipeline, an explicit list of detectors and a paragraph cache.

    A post is checked paragraph by paragraph (split at blank lines), each paragraph as its own
    Doc, so a paragraph gets the same findings wherever it appears. With a cache
    (``cache_size`` > 0) only paragraphs not seen recently reach spaCy, so re-checking a draft
    after an edit costs about one paragraph; ``cache_size=0`` gives the same findings, slower.
    """

    def __init__(self, nlp: Language, detectors: Sequence[Detector], cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        self.nlp = nlp
        self.detectors = tuple(detectors)
        self._by_name = {d.name: d for d in self.detectors}
        self.cache = ParagraphCache(cache_size)

    def analyze(self, text: str) -> Analysis:
        """Check one post."""
        return self.analyze_many([text])[0]

    def analyze_many(self, texts: Sequence[str], batch_size: int = 32) -> list[Analysis]:
        """Check several posts, with one pass of ``nlp.pipe`` over the paragraphs not cached."""
        cache = self.cache
        plans: list[list[tuple[int, int, bytes]]] = []
        known: dict[bytes, tuple[Finding, ...]] = {}
        unseen: dict[bytes, str] = {}
        cleaned = [clean(t) for t in texts]
        for text in cleaned:
            plan: list[tuple[int, int, bytes]] = []
            for start, end in paragraphs(text):
                paragraph = text[start:end]
                key = cache.key(paragraph)
                plan.append((start, end, key))
                if key in known or key in unseen:  # a paragraph repeated within this call
                    continue
                found = cache.get(key)
                if found is None:
                    unseen[key] = paragraph
                else:
                    known[key] = found
            plans.append(plan)
        for key, findings in zip(unseen, self._detect_all(list(unseen.values()), batch_size), strict=True):
            known[key] = findings
            cache.put(key, findings)
        return [
            self._analysis(self._join(text, plan, known)) for text, plan in zip(cleaned, plans, strict=True)
        ]

    def _join(
        self, text: str, plan: list[tuple[int, int, bytes]], known: dict[bytes, tuple[Finding, ...]]
    ) -> Iterator[Finding]:
        """Yield a post's findings at their place in it, those that run on into the next paragraph grown."""
        last = len(plan) - 1
        for i, (start, end, key) in enumerate(plan):
            for finding in known[key]:
                finding = _shift(finding, start)
                if i < last and not text[finding.end : end].strip():
                    finding = self._by_name[finding.detector].join(text, finding)
                yield finding

    def _detect_all(self, texts: list[str], batch_size: int) -> list[tuple[Finding, ...]]:
        """Return the raw findings of each text (NER runs on its sentences with Latin letters)."""
        found: list[tuple[Finding, ...]] = []
        if not texts:  # every paragraph came from the cache
            return found
        with self.nlp.memory_zone():
            # A batch at a time: a request of 100 posts never holds more than ``batch_size`` Docs.
            for first in range(0, len(texts), batch_size):
                chunk = texts[first : first + batch_size]
                found += [tuple(self._detect(doc)) for doc in annotate(self.nlp, chunk, batch_size)]
        return found

    def _detect(self, doc: Doc) -> list[Finding]:
        return [f for detector in self.detectors for f in detector.detect(doc)]

    @staticmethod
    def _analysis(findings: Iterable[Finding]) -> Analysis:
        resolved = resolve(findings)
        return Analysis(resolved, assess(resolved))
