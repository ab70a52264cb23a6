"""Load the spaCy pipeline once per process, with only the components the detectors use."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

#: The NER component of the small English pipeline has its own embedding layer, so the
#: shared tok2vec, tagger, parser and lemmatizer are never run (spaCy docs: "Disabling and
#: excluding components"). Cutting them makes each check several times faster.
UNUSED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")


@lru_cache(maxsize=4)
def load_pipeline(model: str) -> Language:
    """Return the named pipeline with only NER loaded; ``blank:en`` gives a tokenizer only."""
    if model.startswith("blank:"):
        return spacy.blank(model.removeprefix("blank:"))
    return spacy.load(model, exclude=list(UNUSED_COMPONENTS))
