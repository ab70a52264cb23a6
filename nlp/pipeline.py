"""Load the spaCy pipeline once per process, with only the components the detectors use."""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

import regex
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from thinc.api import use_ops
from threadpoolctl import threadpool_info, threadpool_limits

from nlp.detectors.base import remember_text, sentences
from nlp.names import common_word, gazetteer, word_set
from nlp.tok2vec import with_fast_tok2vec
from nlp.tokenizer import LongRunGuard, letters_have_no_affixes

#: The NER component of the small English pipeline has its own embedding layer, so the
#: shared tok2vec, tagger, parser and lemmatizer are never run (spaCy docs: "Disabling and
#: excluding components"). Cutting them makes each check several times faster.
UNUSED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def load_pipeline(model: str) -> Language:
    """Return the named pipeline with only NER loaded; ``blank:en`` gives a tokenizer only."""
    if model.startswith("blank:"):
        return _guarded(spacy.blank(model.removeprefix("blank:")))
    # Matrix products through numpy's OpenBLAS on one thread take about a fifth less CPU than
    # thinc's default (blis) on our servers, with the same entities (checked on 1,883 posts).
    # One thread because the workers already fill the cores: more threads only spin, and
    # threaded OpenBLAS does not survive gunicorn's fork.
    _warn_if_blas_pooled()
    threadpool_limits(limits=1, user_api="blas")
    with use_ops("numpy", use_blis=False):
        nlp = spacy.load(model, exclude=list(UNUSED_COMPONENTS))
    _prime_vocab(nlp)
    nlp = _guarded(nlp)
    if "ner" in nlp.pipe_names:
        samples = [[nlp.make_doc(text) for text in batch] for batch in _SAMPLE_BATCHES]
        with_fast_tok2vec(nlp.get_pipe("ner"), samples)
    return nlp


#: Batches the fast tok2vec must match thinc's layers on, bit for bit, before it is used: one
#: post, and several of different lengths with an empty one among them (nlp/tok2vec.py).
_SAMPLE_BATCHES = (
    ("Dr Aidana Bekova moved the deadline again, call +7 701 000 00 00.",),
    ("Hi", "", "Meet me at Dostyk Plaza after the lecture, Michael Turner is coming!", "Спасибо, Айгерим."),
)


def _warn_if_blas_pooled() -> None:
    """Log a warning when OpenBLAS started with a thread pool (see nlp/__init__.py)."""
    pooled = [i for i in threadpool_info() if i["internal_api"] == "openblas" and i["num_threads"] > 1]
    if pooled:
        logger.warning(
            "OpenBLAS started with %d threads: numpy was imported before nlp, so NER runs about a "
            "quarter slower. Import nlp first or set OPENBLAS_NUM_THREADS=1.",
            pooled[0]["num_threads"],
        )


def _prime_vocab(nlp: Language) -> None:
    """Make a lexeme, once, for every word the model knows.

    The analyzer checks each post inside ``nlp.memory_zone()``, so the words a post adds to the
    vocabulary are dropped afterwards and memory stays flat. But the packaged vocabulary holds
    under a thousand lexemes, so nearly every word of every post was made anew (its norm,
    shape, prefix and suffix computed in Python): about a quarter of a short post's time.
    Creating the lexemes of the model's own strings up front (about 84,000, 0.7 s and 11 MB,
    shared by preforked workers) leaves only a post's unusual words to be made per check. A
    lexeme's attributes are computed the same either way, so the entities do not change.
    """
    for string in list(nlp.vocab.strings):
        if string and not any(char.isspace() for char in string):
            nlp.vocab[string]


def _guarded(nlp: Language) -> Language:
    """Give ``nlp`` a tokenizer that stays linear on long runs without spaces (see nlp/tokenizer.py)."""
    nlp.tokenizer = LongRunGuard(letters_have_no_affixes(nlp.tokenizer), nlp.vocab)
    return nlp


_LETTER = regex.compile(r"\p{L}")
#: A word of Latin letters (with inner apostrophes and hyphens), and a capital letter.
_LATIN_WORD = regex.compile(r"[\p{Latin}'’-]*\p{Latin}[\p{Latin}'’-]*")
_UPPER = regex.compile(r"\p{Lu}")


def unread_sentences(text: str) -> list[tuple[int, int]]:
    """Return the bounds of the sentences of ``text`` NER is not run on: those with letters
    that are :func:`nameless` (a sentence in another script always is). A sentence without
    letters ("10:30!") is read with its neighbours.
    """
    return _unread(text)[0]


def _unread(text: str) -> tuple[list[tuple[int, int]], bool]:
    """Return :func:`unread_sentences` and whether they are all the sentences with letters,
    that is whether ``text`` is :func:`nameless` (its words are those of its sentences)."""
    lettered = [(start, end) for start, end in sentences(text) if _LETTER.search(text, start, end)]
    unread = [(start, end) for start, end in lettered if nameless(text[start:end])]
    return unread, len(unread) == len(lettered)


#: Languages and nationalities students name most; NER calls them NORP or LANGUAGE, never a
#: person the detectors would flag.
_NATIONALITIES = frozenset(
    {"english", "russian", "kazakh", "british", "american", "chinese", "korean", "turkish", "german",
     "french", "spanish", "italian", "arabic", "japanese", "uzbek", "kyrgyz", "european", "asian"}
)  # fmt: skip


def nameless(text: str) -> bool:
    """Return True when NER can tell the detectors nothing about ``text``: each capitalised
    word in Latin letters is "I", an ordinary English word ("The exam was hard"), a word never
    a name (``not_names``: "DMUK", "Moodle"), a language, or an acronym that is no first name
    ("CS"); and no lower-case word is a first name ("with dana").

    The detectors read entities only for words that may be names: a PERSON entity made only of
    ordinary words, non-names or acronyms is dropped, and no other rule looks at the entity
    label of such a word. Lower-case names must be gazetteer names; Cyrillic names come from
    pymorphy3. So such a text is tokenized but not run through NER: a third of what a
    student writes, by characters (``bench.corpus``), and often a whole short post.
    """
    not_names = word_set("not_names")
    lower_case = []
    for word in _LATIN_WORD.findall(text):
        word = word.removesuffix("'s").removesuffix("’s").strip("'’-")  # "Thursday's", "'Monday"
        if not _UPPER.search(word):
            lower_case.append(word)
            continue
        low = word.lower()
        if word == "I" or low in not_names or low in _NATIONALITIES or common_word(word):
            continue
        if word.isupper() and gazetteer().tier(word) is None:
            continue
        return False
    # Capitalised words decide most texts, so the dearer gazetteer look-ups come last.
    return all(gazetteer().tier(word) is None for word in lower_case)


def annotate(nlp: Language, texts: Sequence[str], batch_size: int = 32) -> list[Doc]:
    """Tokenize each text and run NER over the sentences it may say something about only;
    a :func:`nameless` text is not run at all, only marked as read with no entities.

    The model is English: in a Russian or Kazakh sentence it reads nothing useful ("Подала",
    "filed", came out a PERSON), and in a sentence whose capitalised words are all ordinary
    words ("The exam was hard") its entities are read by no detector. So such sentences
    (:func:`unread_sentences`) are tokenized but left out of NER: a Doc of the other
    sentences' tokens is run and its entities are set on the whole Doc. On long posts this
    takes about a fifth off NER's time (a third of their text is such sentences); the
    entities of the sentences run can differ a little, as their neighbours are gone (on
    Presidio's 1,500 texts: 2 of 850 names no longer found, 2 street names newly taken for
    names; bench/README.md). Cyrillic names come from pymorphy3 and the gazetteer instead.
    """
    docs = [nlp.make_doc(text) for text in texts]
    runs: list[Doc] = []
    maps: list[tuple[int, list[int] | None]] = []
    for i, (text, doc) in enumerate(zip(texts, docs, strict=True)):
        skipped, whole = _unread(text)
        if whole:  # the text is nameless
            doc.ents = []  # NER ran, in effect, and found nothing
            continue
        if not skipped:
            runs.append(doc)
            maps.append((i, None))
            continue
        tokens = _tokens_outside(doc, skipped)  # never empty: some sentence with letters is read
        words = [doc[k].text for k in tokens]
        runs.append(Doc(nlp.vocab, words=words, spaces=[bool(doc[k].whitespace_) for k in tokens]))
        maps.append((i, tokens))
    for _, component in nlp.pipeline:
        if len(runs) == 1:  # one doc skips the batching overhead of ``pipe``
            runs = [component(runs[0])]
        else:
            runs = list(component.pipe(runs, batch_size=batch_size))
    for (i, tokens), run in zip(maps, runs, strict=True):
        if tokens is None:
            docs[i] = run
        else:
            doc = docs[i]
            doc.ents = [
                Span(doc, tokens[ent.start], tokens[ent.end - 1] + 1, label=ent.label)
                for ent in run.ents
                if tokens[ent.end - 1] - tokens[ent.start] == ent.end - 1 - ent.start  # not across a gap
            ]
    for text, doc in zip(texts, docs, strict=True):
        remember_text(doc, text)  # the tokenizer keeps the text exactly
    return docs


def _tokens_outside(doc: Doc, bounds: list[tuple[int, int]]) -> list[int]:
    """Return the indices of the tokens of ``doc`` that start inside none of ``bounds``."""
    starts = [start for start, _ in bounds]
    kept = []
    for token in doc:
        k = bisect_right(starts, token.idx) - 1
        if k < 0 or token.idx >= bounds[k][1]:
            kept.append(token.i)
    return kept
