"""Load the spaCy pipeline once per process, with only the components the detectors use."""

from __future__ import annotations

import logging
from functools import lru_cache

import spacy
from spacy.language import Language
from thinc.api import use_ops
from threadpoolctl import threadpool_info, threadpool_limits

from nlp.tokenizer import LongRunGuard

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
    return _guarded(nlp)


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
    nlp.tokenizer = LongRunGuard(nlp.tokenizer, nlp.vocab)
    return nlp
