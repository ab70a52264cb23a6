"""The tokenizer guard keeps spaCy linear on long runs without spaces, and the text unchanged."""

import time

import pytest

from nlp.tokenizer import MAX_RUN


@pytest.mark.parametrize(
    "text",
    [
        "Wow!!!!!!!! Dr Aidana Bekova is here",
        "🎉" * 200 + " party at 8",
        "x" * 300,
        "see " + "!?" * 100 + "  twice",
        "plain text, nothing long",
        "(((nested))) ok",
        "end with a run " + "." * 20,
    ],
)
def test_text_and_offsets_are_unchanged(nlp, text):
    doc = nlp(text)
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t)] == t.text for t in doc)


def test_names_next_to_runs_are_still_found(nlp):
    doc = nlp("Wow!!!!!!!! Dr Aidana Bekova is here")
    assert "Aidana Bekova" in [e.text for e in doc.ents if e.label_ == "PERSON"]
    assert [t.text for t in doc][:3] == ["Wow", "!!!!!!!!", "Dr"]


@pytest.mark.parametrize("unit", ["!", "🎉", "'s", '"', "«", ":)", "…"])
def test_long_affix_runs_tokenize_in_linear_time(nlp, unit):
    text = (unit * 65_536)[:65_536]
    started = time.process_time()
    doc = nlp.make_doc(text)
    assert time.process_time() - started < 0.5
    assert len(doc) <= 65_536 // MAX_RUN + 1
