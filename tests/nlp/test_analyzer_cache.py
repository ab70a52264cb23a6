"""The paragraph cache: same findings as checking afresh, at the right offsets, bounded, keyed."""

from __future__ import annotations

import gc

import pytest
from spacy.tokens import Doc

from nlp.analyzer import Analyzer, ParagraphCache, paragraphs
from nlp.detectors.base import Detector
from nlp.registry import build_detectors

EMAIL = "Write to aigerim.bekova@gmail.com about it."
PLAIN = "The canteen plov is actually good this week."
TITLED = "Dr Michael Turner moved the deadline again."


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("one paragraph", [(0, 13)]),
        ("line one\nline two", [(0, 17)]),  # a single newline does not part paragraphs
        ("first\n\nsecond", [(0, 5), (7, 13)]),
        ("first\n \t\n\n  second", [(0, 5), (12, 18)]),  # blank lines holding spaces, and indentation
        ("first\r\n\r\nsecond", [(0, 6), (9, 15)]),
        ("\n\nlate start", [(2, 12)]),
        ("early end\n\n", [(0, 9)]),
        ("", [(0, 0)]),
        ("a.\n\nb.\n\nc.", [(0, 2), (4, 6), (8, 10)]),
    ],
)
def test_paragraphs_split_at_blank_lines(text: str, bounds: list[tuple[int, int]]) -> None:
    assert paragraphs(text) == bounds


@pytest.mark.parametrize(
    "text",
    [
        EMAIL,
        f"{PLAIN}\n\n{EMAIL}",
        f"{EMAIL}\n\n{PLAIN}\n\n{TITLED}",
        f"{TITLED}\n \n{EMAIL}\n\n\n{EMAIL}",  # the same paragraph twice in one post
        f"{PLAIN}\n{EMAIL}",
    ],
)
def test_cached_checks_equal_uncached_checks(nlp, text: str) -> None:
    cached = Analyzer(nlp, build_detectors())
    uncached = Analyzer(nlp, build_detectors(), cache_size=0)
    fresh = uncached.analyze(text)
    assert fresh.findings  # every case has something to re-offset
    assert cached.analyze(text) == fresh
    assert cached.analyze(text) == fresh  # now answered from the cache
    assert cached.cache.hits == len({text[s:e] for s, e in paragraphs(text)})  # each distinct paragraph once
    assert [text[f.start : f.end] for f in fresh.findings if f.category == "personal_data"] == [
        "aigerim.bekova@gmail.com"
    ] * text.count(EMAIL)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        # An address block whose last line a blank line parts: joined across the paragraphs.
        ("12 Oak Street\n\nSpringfield 62704", "12 Oak Street\n\nSpringfield 62704"),
        (
            "Anna Berg\n\n20789 Allika 46\n Suite 501\n Riisa\n\n Estonia 62488",
            "20789 Allika 46\n Suite 501\n Riisa\n\n Estonia 62488",
        ),
        # What follows is not the rest of an address: the paragraphs stay apart.
        ("Meet at 12 Oak Street\n\nThanks everyone for coming!", "12 Oak Street"),
        ("Meet at 12 Oak Street\n\nSaturday 8pm, bring snacks", "12 Oak Street"),
        ("Meet at 12 Oak Street\n\n\n\nSpringfield 62704", "12 Oak Street"),  # more than one blank line
    ],
)
def test_an_address_runs_on_into_the_next_paragraph_only_as_an_address(nlp, text: str, address: str) -> None:
    cached = Analyzer(nlp, build_detectors())
    for _ in range(2):  # checked afresh, then from the cache: the join is made on the whole post
        found = [text[f.start : f.end] for f in cached.analyze(text).findings if f.type == "address"]
        assert found == [address]
    assert cached.analyze(text) == Analyzer(nlp, build_detectors(), cache_size=0).analyze(text)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (f"{EMAIL}\n\n{PLAIN}", f"{PLAIN}\n\n{EMAIL}"),  # paragraphs swapped
        (f"{PLAIN}\n\n{EMAIL}", f"{PLAIN} Edited.\n\n{EMAIL}"),  # an earlier paragraph grew
        (f"{TITLED}\n\n{EMAIL}", f"{EMAIL}"),  # a paragraph deleted
    ],
)
def test_cached_findings_move_with_their_paragraph(nlp, before: str, after: str) -> None:
    analyzer = Analyzer(nlp, build_detectors())
    analyzer.analyze(before)
    hits = analyzer.cache.hits
    result = analyzer.analyze(after)
    assert analyzer.cache.hits > hits  # the unchanged paragraph came from the cache
    assert result == Analyzer(nlp, build_detectors(), cache_size=0).analyze(after)
    assert any(after[f.start : f.end] == "aigerim.bekova@gmail.com" for f in result.findings)


def test_analyze_many_shares_the_cache_and_matches_analyze(nlp) -> None:
    texts = [f"{PLAIN}\n\n{EMAIL}", EMAIL, f"{TITLED}\n\n{PLAIN}", ""]
    analyzer = Analyzer(nlp, build_detectors())
    many = analyzer.analyze_many(texts)
    assert analyzer.cache.misses == 4  # PLAIN, EMAIL, TITLED and "" each analysed once
    assert many == [Analyzer(nlp, build_detectors(), cache_size=0).analyze(t) for t in texts]


@pytest.mark.parametrize(("size", "kept"), [(0, 0), (1, 1), (2, 2), (10, 3)])
def test_cache_is_bounded_and_drops_least_recently_used(size: int, kept: int) -> None:
    cache = ParagraphCache(size)
    keys = [cache.key(p) for p in ("one", "two", "three")]
    for key in keys:
        cache.put(key, ())
    assert len(cache) == kept
    assert cache.get(keys[-1]) == (() if size else None)
    if size == 2:
        assert cache.get(keys[0]) is None and cache.get(keys[1]) == ()


def test_cache_keys_are_keyed_hashes_not_text() -> None:
    a, b = ParagraphCache(4), ParagraphCache(4)
    key = a.key("Dr Michael Turner moved the deadline again.")
    assert len(key) == 16 and b"Turner" not in key
    assert key == a.key("Dr Michael Turner moved the deadline again.")
    assert key != b.key("Dr Michael Turner moved the deadline again.")  # another process, another key
    assert key != a.key("Dr Michael Turner moved the deadline again!")


def test_a_big_batch_holds_one_pipe_batch_of_docs_at_a_time(nlp) -> None:
    """``analyze_many`` annotates and checks ``batch_size`` texts at a time, so a request of 100
    posts does not keep 100 Docs alive at once (its one-off memory grew a worker by 4-5 MB)."""
    def live_docs() -> int:
        return sum(isinstance(o, Doc) for o in gc.get_objects())

    alive: list[int] = []

    class CountDocs(Detector):
        category, name = "third_party", "count_docs"

        def detect(self, doc: Doc) -> list:
            alive.append(live_docs())
            return []

    texts = [f"Post {n}: Dr Michael Turner moved the deadline again." for n in range(60)]
    analyzer = Analyzer(nlp, [CountDocs(), *build_detectors()], cache_size=0)
    gc.collect()
    before = live_docs()
    many = analyzer.analyze_many(texts, batch_size=8)
    assert len(alive) == 60
    assert max(alive) - before <= 2 * 8  # a Doc per text and, for NER, at most one more
    assert many == [Analyzer(nlp, build_detectors(), cache_size=0).analyze(t) for t in texts]
