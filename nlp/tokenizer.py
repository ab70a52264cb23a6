"""A tokenizer guard: spaCy's affix splitting is quadratic in the length of a run without spaces.

spaCy strips prefixes and suffixes one character at a time, copying the rest each time, so a
single 65,536-character run of "!", quotes, emoji or "'s" takes minutes. Runs longer than
``MAX_RUN`` characters are cut into ``MAX_RUN``-character tokens instead, and so are runs of
``PUNCT_RUN`` or more symbols ("!!!!!!!!", "🎉🎉🎉🎉🎉🎉🎉🎉"), which spaCy would otherwise split into one
token per character (and the NER then pays for each). Everything else goes through spaCy's own
tokenizer. ``doc.text`` is exactly the input, so offsets do not move.

Inside ``nlp.memory_zone()``, where every check runs, spaCy caches no tokenization, so each
word pays for its prefix, suffix and infix searches: about 15 us a word, mostly the suffix
and infix patterns, which are tried at every position. :func:`letters_have_no_affixes` answers
those searches at once for a word of letters only, which none of the English patterns can
match (each needs a symbol, a digit before it, or punctuation; ``tests/nlp/test_tokenizer.py``
proves it for every letter of Unicode and for the tokens of our posts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import regex
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

#: Longer than any word, e-mail local part or handle a detector reads as a token.
MAX_RUN = 64
PUNCT_RUN = 8
_LONG_RUN = regex.compile(r"\S{%d,}|[^\w\s]{%d,}" % (MAX_RUN + 1, PUNCT_RUN))


class LongRunGuard:
    """Wrap a spaCy tokenizer so that no run of non-space characters costs more than linear time."""

    def __init__(self, tokenizer: Callable[[str], Doc], vocab: Vocab) -> None:
        self.tokenizer = tokenizer
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        """Tokenize ``text``; long runs without spaces become fixed-size tokens."""
        if _LONG_RUN.search(text) is None:
            return self.tokenizer(text)
        docs: list[Doc] = []
        position = 0
        for match in _LONG_RUN.finditer(text):
            if match.start() > position:
                docs.append(self.tokenizer(text[position : match.start()]))
            run = match.group()
            chunks = [run[i : i + MAX_RUN] for i in range(0, len(run), MAX_RUN)]
            spaces = [False] * len(chunks)
            position = match.end()
            if text.startswith(" ", position):  # a single space after the run belongs to its last token
                spaces[-1] = True
                position += 1
            docs.append(Doc(self.vocab, words=chunks, spaces=spaces))
        if position < len(text):
            docs.append(self.tokenizer(text[position:]))
        return Doc.from_docs(docs, ensure_whitespace=False)

    # spaCy calls these when it serialises or pipes; delegate to the real tokenizer.
    def __getattr__(self, name: str) -> object:
        return getattr(self.tokenizer, name)


class _UnlessLetters:
    """An affix search of the tokenizer that finds nothing in a word of letters only."""

    def __init__(self, search: Callable[[str], Any], nothing: Callable[[], Any]) -> None:
        self.search = search
        self.nothing = nothing
        # spaCy's serialisation reads the compiled pattern from the search's ``__self__``.
        self.__self__ = getattr(search, "__self__", None)

    def __call__(self, string: str) -> Any:
        return self.nothing() if string.isalpha() else self.search(string)


def _no_infixes() -> Iterator[regex.Match[str]]:
    return iter(())


def letters_have_no_affixes(tokenizer: Tokenizer) -> Tokenizer:
    """Make ``tokenizer``'s prefix, suffix and infix searches skip words of letters only.

    The tokens come out the same: no English prefix, suffix or infix pattern matches inside a
    string of letters (checked for every letter, see the module docstring). Special cases
    ("cannot", "gonna") are looked up before any search and are untouched.
    """
    if tokenizer.prefix_search is not None:
        tokenizer.prefix_search = _UnlessLetters(tokenizer.prefix_search, lambda: None)
    if tokenizer.suffix_search is not None:
        tokenizer.suffix_search = _UnlessLetters(tokenizer.suffix_search, lambda: None)
    if tokenizer.infix_finditer is not None:
        tokenizer.infix_finditer = _UnlessLetters(tokenizer.infix_finditer, _no_infixes)
    return tokenizer
