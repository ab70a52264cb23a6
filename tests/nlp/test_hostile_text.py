"""Hostile text: arbitrary Unicode never breaks the checker, and no pattern can be made to backtrack."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.detectors.base import TIMEOUT_FROM_CHARS
from nlp.offsets import Utf16Offsets
from nlp.registry import build_detectors

#: Every code point, surrogates included (they arrive as lone \\udXXX escapes in JSON).
ANY_CHAR = st.characters(codec=None, exclude_categories=())
#: Text that looks like what detectors look for, glued with anything.
PIECES = st.sampled_from(
    ["+7 701 765 43 21", "@", "a@b.kz", "KZ", "P1234567", "Dr ", "Aidana ", "ул. ", "DMUK logo", "\u200b",
     "\u202e", "\u0301", "🎉", "\x00", "\n\n", "4111 1111 1111 1111", "password: ", "Ерлан ", "қ", "12/05/2003"]
)
TEXTS = st.lists(st.one_of(PIECES, st.text(ANY_CHAR, max_size=12)), max_size=25).map("".join)


def utf16_len(text: str) -> int:
    """Return how many UTF-16 units JavaScript counts in ``text`` (lone surrogates count one)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_gives_well_formed_findings(analyzer, text):
    analysis = analyzer.analyze(text)
    utf16 = Utf16Offsets(text)
    for finding in analysis.findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert utf16(finding.start) == utf16_len(text[: finding.start])
        assert utf16(finding.end) == utf16_len(text[: finding.end])
    assert analysis.risk.level in ("none", "low", "medium", "high")
    assert (analysis.risk.level == "none") == (not analysis.findings)


ADVERSARIAL = {
    "digits": "1" * 65_536,
    "spaced digits": "1 " * 32_768,
    "dashed digits": "12-" * 21_845,
    "dotted digits": "1." * 32_768,
    "plus runs": "+7 " * 21_845,
    "at signs": "a@" * 32_768,
    "dots and at": "a.a@" * 16_384,
    "brackets": "(" * 32_768 + ")" * 32_768,
    "nested brackets": "([{" * 21_845,
    "separators": "-/., " * 13_107,
    "capitals": "Aa " * 21_845,
    "titles": "Dr " * 21_845,
    "handles": "@a" * 32_768,
    "street": "1 Street " * 7_281,
    "cyrillic": "Ерлан " * 10_922,
    "no spaces": "x" * 65_536,
    "password": "password is " * 5_957,
    "letters and digits": "a1" * 32_768,
    "IBAN-like": "KZ" + "1" * 65_534,
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_no_detector_backtracks_on_65k_adversarial_text(nlp, name):
    text = ADVERSARIAL[name]
    doc = nlp.make_doc(text)  # tokenised only: this measures the detectors' own matching
    for detector in build_detectors():
        elapsed = cpu_seconds(detector.detect, doc)
        assert elapsed < 1.0, f"{detector.name} took {elapsed:.2f}s on {name}"


def cpu_seconds(call: Callable[..., object], *args: object) -> float:
    """Return the CPU time of ``call(*args)`` alone: other work on the machine does not count, nor a
    garbage collection of the whole test session's objects that happens to fall inside it."""
    gc.collect()
    gc.disable()
    try:
        started = time.process_time()
        call(*args)
        return time.process_time() - started
    finally:
        gc.enable()


WARM_UP = "Dr Aidana Bekova, Ерлан, +7 701 765 43 21, a@b.kz, ул. Абая 10, DMUK logo"


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_no_detector_backtracks_just_under_the_timeout_length(nlp, name):
    """Scans shorter than ``TIMEOUT_FROM_CHARS`` run without the regex timeout: they must be
    fast by construction. Each paragraph is its own Doc, so this is the longest such scan."""
    text = ADVERSARIAL[name][: TIMEOUT_FROM_CHARS - 1]
    doc = nlp.make_doc(text)
    for detector in build_detectors():
        detector.detect(nlp.make_doc(WARM_UP))  # first calls load name lists (0.3 s), as the app does at start
        elapsed = cpu_seconds(detector.detect, doc)
        # Linear: 1/32 of the 65k budget for 1/32 of the text, with room for fixed costs.
        assert elapsed < 0.1, f"{detector.name} took {elapsed:.3f}s on {len(text)} chars of {name}"
