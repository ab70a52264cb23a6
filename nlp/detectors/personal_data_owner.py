"""Whose personal data is it? Read the words around a span for first- or third-person cues.

The policy treats someone else's contact details as worse than your own ("Dana's email is …",
"call Marat on …" versus "text me on …"). The nearest cue in the same sentence before the
span decides; when there is none before it, a cue just after it ("… is his number") does.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from enum import Enum

import regex

from nlp.detectors.base import finditer


class Owner(Enum):
    """Who the data seems to belong to."""

    UNKNOWN = "unknown"
    SELF = "self"
    OTHER = "other"


#: How far to look around a span, in characters (within its sentence).
BEFORE = 80
AFTER = 50

# Contractions that look like possessives but are not ("it's", "here's").
_NOT_POSSESSIVE = (
    "it|that|this|here|there|what|who|where|how|when|why|let|he|she|everyone|everybody|"
    "someone|somebody|one|today|tonight|tomorrow|nobody|name|mine|life|price|address|number"
)

_CUE = regex.compile(
    r"""
    (?P<self>
        \b(?:i|me|my|mine|myself|i'm|i’m|our|ours|us|we|live)\b
      | (?<!\w)(?:я|мне|меня|мной|мой|моя|моё|мое|мои|моего|моей|моему|наш|наша|наше|наши|нам|нас
              |живу|мен|менің|маған|мені|бізге|біздің|менде|тұрамын)(?!\w)
    )
  | (?P<other>
        \b(?:his|her|hers|him|he|she|their|theirs|them|they)\b
      | \b(?!(?:"""
    + _NOT_POSSESSIVE
    + r""")['’]s\b)\w+['’]s\b
      | (?<!\w)(?:его|её|ее|ей|ему|него|неё|нее|она|он|они|их|оның|оған|олардың)(?!\w)
      | \b(?i:call|text|ring|message|email|e-mail|contact|dm|whatsapp|phone|txt|msg|ask)\s+
        (?-i:\p{Lu}\p{Ll}+)\b
      | (?<!\w)(?i:позвони|звони|пиши|напиши|спроси|звоните|пишите)(?:те)?\s+(?-i:\p{Lu}\p{Ll}+)
      | \b(?:lives|stays|is\s+staying|is\s+living|lived|moved\s+to)\b
      | (?-i:\b\p{Lu}\p{Ll}+)\s+(?:was|is)\s+born\b
      | (?<!\w)(?:живёт|живет|проживает|жил|жила|тұрады)(?!\w)
    )
    """,
    regex.VERBOSE | regex.IGNORECASE | regex.MULTILINE,
)

_SENTENCE_END = regex.compile(r"[.!?\n;](?=\s)|\n")


#: How far before a window the cue scan starts, so that it meets the same matches a scan of the
#: whole text meets there (no cue is this long, bar a freak word of 100 letters with "'s").
MARGIN = 100


class OwnerCues:
    """The first- and third-person cues of one text, found in one pass and looked up per span.

    Given ``spans``, only the text around them is scanned (from ``MARGIN`` characters before
    the farthest a cue may lie from each span): on a long post with one phone number that is a
    twentieth of the scan. ``owner_of`` must then be asked only about those spans.
    """

    def __init__(self, text: str, spans: Iterable[tuple[int, int]] | None = None) -> None:
        self.cue_starts: list[int] = []
        self.cues: list[tuple[int, int, Owner]] = []
        windows = [(0, len(text))] if spans is None else _windows(spans, len(text))
        for pos, endpos in windows:
            for m in finditer(_CUE, text, pos, endpos):
                self.cue_starts.append(m.start())
                self.cues.append((m.start(), m.end(), Owner.SELF if m.group("self") else Owner.OTHER))
        # (start, end) of every sentence break: a span's sentence runs between two of them.
        self.breaks = [(m.start(), m.end()) for m in finditer(_SENTENCE_END, text)]
        self.break_starts = [b[0] for b in self.breaks]

    def owner_of(self, start: int, end: int) -> Owner:
        """Guess whether the span ``start:end`` is the writer's data or someone else's."""
        i = bisect_right(self.break_starts, start) - 1
        lo = max(start - BEFORE, self.breaks[i][1] if i >= 0 else 0)
        j = bisect_left(self.break_starts, end)
        hi = min(end + AFTER, self.break_starts[j] if j < len(self.breaks) else end + AFTER)
        # The nearest cue before the span, else the first one after it.
        k = bisect_left(self.cue_starts, start) - 1
        while k >= 0 and self.cues[k][1] > start:
            k -= 1
        if k >= 0 and self.cues[k][0] >= lo:
            return self.cues[k][2]
        k = bisect_left(self.cue_starts, end)
        if k < len(self.cues) and self.cues[k][1] <= hi:
            return self.cues[k][2]
        return Owner.UNKNOWN


def _windows(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Return the merged stretches of text to scan for the cues of ``spans``.

    A window ends ``MARGIN`` characters after the farthest a cue may end (``AFTER``), so that
    the end of the scanned text does not make a word boundary where there is none.
    """
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        lo, hi = max(0, start - BEFORE - MARGIN), min(length, end + AFTER + MARGIN)
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def owner_of(text: str, start: int, end: int) -> Owner:
    """Guess whether the span ``text[start:end]`` is the writer's data or someone else's."""
    return OwnerCues(text).owner_of(start, end)
