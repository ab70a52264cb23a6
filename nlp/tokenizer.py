"""A tokenizer guard: spaCy's affix splitting is quadratic in the length of a run without spaces.

spaCy strips prefixes and suffixes one character at a time, copying the rest each time, so a
single 65,536-character run of "!", quotes, emoji or "'s" takes minutes. Runs longer than
``MAX_RUN`` characters are cut into ``MAX_RUN``-character tokens instead, and so are runs of
``PUNCT_RUN`` or more symbols ("!!!!!!!!", "🎉🎉🎉🎉🎉🎉🎉🎉"), which spaCy would otherwise split into one
token per character (and the NER then pays for each). Everything else goes through spaCy's own
tokenizer. ``doc.text`` is exactly the input, so offsets do not move.
"""

from __future__ import annotations

from collections.abc import Callable

import regex
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
