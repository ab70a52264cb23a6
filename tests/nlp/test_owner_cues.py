"""Whose data is it: scanning only around the spans asked about reads the same cues as scanning all."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.detectors.personal_data_owner import MARGIN, Owner, OwnerCues

POSTS = Path(__file__).resolve().parents[1] / "data" / "posts.jsonl"
TEXTS = [json.loads(line)["text"] for line in POSTS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _same_answers(text: str, spans: list[tuple[int, int]]) -> None:
    everywhere = OwnerCues(text)
    around = OwnerCues(text, spans)
    for start, end in spans:
        assert around.owner_of(start, end) == everywhere.owner_of(start, end), (text, start, end)


def test_windows_give_the_answers_of_a_full_scan_on_the_labelled_posts():
    for text in TEXTS:
        words = [(i, i + len(w)) for i, w in _words(text)]
        for step in range(0, len(words), 3):  # a span at every third word, and pairs of them
            _same_answers(text, words[step : step + 1])
            _same_answers(text, words[step : step + 7 : 6])


def _words(text: str) -> list[tuple[int, str]]:
    out, i = [], 0
    for word in text.split():
        i = text.index(word, i)
        out.append((i, word))
        i += len(word)
    return out


PIECES = ["my", "his", "Dana's", "call Marat", "it's", "I", "she", "lives", "я", "его", "мой", ".", "\n",
          "number", "+7 701 765 43 21", "x" * (MARGIN // 2), "was born", "Aidana", "email", ";", "we"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=60), st.data())
def test_windows_give_the_answers_of_a_full_scan_on_random_text(pieces, data):
    text = " ".join(pieces)
    starts = sorted(data.draw(st.sets(st.integers(0, len(text) - 1), min_size=1, max_size=4)))
    spans = [(s, min(len(text), s + data.draw(st.integers(1, 20)))) for s in starts]
    _same_answers(text, spans)


def test_cues_far_from_every_span_are_not_read():
    text = "my number " + "filler " * 60 + "is +7 701 765 43 21, his"
    start = text.index("+7")
    cues = OwnerCues(text, [(start, start + 16)])
    assert cues.owner_of(start, start + 16) is Owner.OTHER  # "his" right after it
    assert all(s > 100 for s in cues.cue_starts)  # "my" at the start was never scanned
