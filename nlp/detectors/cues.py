"""Cue combination: flag a phrase where cues of every kind a rule names occur close together.

A single word ("confidential", "answers", "fake") says little; the words around it decide. So
each rule names two or more *cue sets* (an object cue such as "report" and an action cue such as
"leaked"), a window in words they must all fall within, and *veto* cue sets that cancel it
nearby (consent, "pub quiz", "of me"). Cue sets and rules are data, one JSON file a category
under ``nlp/patterns/``.

Phrases in a cue set use a small pattern language, compiled here to linear regular expressions
(no nested or overlapping quantifiers, so hostile text cannot make them backtrack):

- words are matched case-insensitively, whole words only; ``ё`` also matches ``е`` and an
  apostrophe matches its typographic forms;
- ``word*`` matches any continuation of a stem (``ответ*`` matches ответы, ответов);
- ``{a|b c|d*}`` is one token with alternatives, which may themselves be several words;
- a trailing ``?`` makes a token optional (``the?``), except on the first token;
- ``-`` inside a word matches a hyphen, a space or nothing (``screen-record*``);
- ``<Name>`` is one capitalised word (``Smith``, not ``I`` or ``TF``), ``<num>`` a number in digits;
- ``=Word`` matches case-sensitively (``=Teams`` is the app, "teams" are not).

A rule may also name an entity label such as ``@PERSON``: the spans the pipeline's NER found.
"""

from __future__ import annotations

import json
import logging
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import regex
from spacy.tokens import Doc

from nlp.detectors.base import Detector, finditer, fold, folded_of, match_in, memo, text_of
from nlp.finding import SEVERITY_RANK, Finding

log = logging.getLogger(__name__)

PATTERNS_DIR = Path(__file__).resolve().parents[1] / "patterns"

_FLAGS = regex.IGNORECASE | regex.UNICODE
_SEPARATOR = r"\s+"
#: A sentence ends at terminal punctuation followed by a space or the end, or at a line break.
_SENTENCE_BREAK = regex.compile(r"[.!?…]+(?=\s|$)|\n", _FLAGS)
_SPECIAL_WORDS = {
    "<Name>": r"(?-i:\p{Lu}\p{Ll})\w*",
    "<num>": r"\d+(?:[.,]\d+)?",
}
_LETTER_CLASSES = {"ё": "[её]", "Ё": "[ЕЁ]", "'": "['’ʼ]", "’": "['’ʼ]"}


def _compile_word(word: str) -> str:
    """Return the regex for one word of the pattern language."""
    if word in _SPECIAL_WORDS:
        return _SPECIAL_WORDS[word]
    for special, source in _SPECIAL_WORDS.items():
        if word.startswith(special):  # "<Name>'s": a special word with a fixed ending
            return source + _compile_word(word.removeprefix(special))
    case_sensitive = word.startswith("=")
    if case_sensitive:
        word = word[1:]
    stem = word.endswith("*")
    if stem:
        word = word[:-1]
    if not word or any(char in word for char in "*{}|<> "):
        raise ValueError(f"bad word {word!r} in a cue phrase")
    parts: list[str] = []
    for char in word:
        if char == "-":
            parts.append(r"[\s\-]?")
        else:
            parts.append(_LETTER_CLASSES.get(char, regex.escape(char)))
    body = "".join(parts)
    if case_sensitive:
        body = f"(?-i:{body})"
    # A stem runs to the end of the word; a whole word must end there.
    return body + (r"\w*" if stem else r"(?!\w)")


def _split_tokens(phrase: str) -> list[str]:
    """Split a phrase into tokens, keeping ``{...}`` groups whole."""
    tokens: list[str] = []
    depth = 0
    current = ""
    for char in phrase.strip():
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        if char.isspace() and depth == 0:
            if current:
                tokens.append(current)
            current = ""
        else:
            current += char
    if depth != 0:
        raise ValueError(f"unbalanced braces in cue phrase {phrase!r}")
    if current:
        tokens.append(current)
    return tokens


def _compile_words(words: str) -> str:
    """Return the regex for a run of plain words separated by spaces."""
    return _SEPARATOR.join(_compile_word(w) for w in words.split())


def compile_phrase(phrase: str) -> str:
    """Return the linear regex source for one phrase of the cue pattern language."""
    pieces: list[str] = []
    for i, token in enumerate(_split_tokens(phrase)):
        optional = token.endswith("?") and len(token) > 1
        if optional:
            if i == 0:
                raise ValueError(f"the first token of {phrase!r} cannot be optional")
            token = token[:-1]
        if token.startswith("{") and token.endswith("}"):
            alternatives = sorted(token[1:-1].split("|"), key=len, reverse=True)
            body = "(?:" + "|".join(_compile_words(a) for a in alternatives) + ")"
        else:
            body = _compile_word(token)
        if i == 0:
            pieces.append(body)
        elif optional:
            pieces.append(f"(?:{_SEPARATOR}{body})?")
        else:
            pieces.append(_SEPARATOR + body)
    if not pieces:
        raise ValueError("empty cue phrase")
    return "".join(pieces)


def longest_first(phrases: Iterable[str]) -> list[str]:
    """Return the distinct ``phrases`` in the order a cue pattern tries them: longer first, then
    alphabetical, so that any subset of a cue set is tried in the order the whole set is."""
    return sorted(set(phrases), key=lambda phrase: (-len(phrase), phrase))


def compile_cue_set(phrases: Sequence[str]) -> regex.Pattern[str]:
    """Compile a cue set's phrases into one pattern, tried in :func:`longest_first` order."""
    ordered = longest_first(phrases)
    return regex.compile(r"(?<!\w)(?:" + "|".join(compile_phrase(p) for p in ordered) + ")", _FLAGS)


#: How many leading characters of a word the cue index keys on.
_KEY_LENGTH = 4
_PREFIX_LENGTHS = range(1, _KEY_LENGTH + 1)
_WORD_RUN = regex.compile(r"\w+")
_SYMBOL = regex.compile(r"[^\w\s]")


class CueIndex:
    """Where a cue phrase could start in one text: words by their folded whole and by their
    first folded letters, capitalised words, numbers and symbols. Built once per Doc for every
    cue set; table 0 holds whole words, each key a space and the word.

    Words are indexed once per distinct word, and a table of first letters is only built when
    some cue set asks for it (most texts rule most cue sets out by :attr:`keys` alone).
    """

    def __init__(self, text: str, folded: str | None = None) -> None:
        """Index ``text``; ``folded`` is ``fold(text)`` when the caller has it already."""
        self.text = text
        if folded is None:
            folded = fold(text)
        spans = [match.span() for match in finditer(_WORD_RUN, text)]
        #: Where each run of word characters starts, in order.
        self.runs: list[int] = [start for start, _ in spans]
        words: dict[str, list[int]] = {}
        for start, end in spans:
            words.setdefault(folded[start:end], []).append(start)
        self._words = words
        self.prefixes: dict[int, dict[str, list[int]]] = {0: {" " + word: at for word, at in words.items()}}
        self.capitalised = [start for start in self.runs if text[start].isupper()]
        self.numbers = [start for start in self.runs if text[start].isdigit()]
        self.symbols: dict[str, list[int]] = {}
        for match in finditer(_SYMBOL, text):
            self.symbols.setdefault(match.group(), []).append(match.start())
        #: Every key found in the text, to rule out most cue sets with one set operation.
        keys = set(self.prefixes[0])
        keys.update([word[:k] for word in words for k in _PREFIX_LENGTHS])
        keys.update(self.symbols)
        if self.capitalised:
            keys.add(CueSet.NAME)
        if self.numbers:
            keys.add(CueSet.NUMBER)
        self.keys = frozenset(keys)

    def table(self, n: int) -> dict[str, list[int]]:
        """Return where words start by their first ``n`` folded letters (0: by the whole word)."""
        table = self.prefixes.get(n)
        if table is None:
            table = self.prefixes[n] = {}
            for word, at in self._words.items():
                if len(word) >= n:
                    table.setdefault(word[:n], []).extend(at)
        return table

    def reach(self, position: int) -> int:
        """Return where a phrase starting at ``position`` must end by: ``MAX_PHRASE_RUNS`` word runs on.

        Matching with this end keeps one attempt local: given the whole text, the regex engine
        may first look for a literal the phrase needs ("'s") all the way to the end of the text,
        which made a 65k-character post quadratic. A symbol counts from the next word run.
        """
        end = bisect_left(self.runs, position) + MAX_PHRASE_RUNS
        return self.runs[end] if end < len(self.runs) else len(self.text)


def cue_index(doc: Doc) -> CueIndex:
    """Return a new :class:`CueIndex` of ``doc``'s text (use ``memo(doc, "cue_index", cue_index)``)."""
    return CueIndex(text_of(doc), folded_of(doc))  # the folded text is shared with the pattern rules


#: No phrase spans more runs of word characters than this (checked when a cue set is compiled;
#: a hyphen or an apostrophe inside a word, and a decimal number, make two runs of one word).
MAX_PHRASE_RUNS = 64


def _phrase_runs(phrase: str) -> int:
    """Return an upper bound on the runs of word characters a match of ``phrase`` spans."""
    total = 0
    for token in _split_tokens(phrase):
        alternatives = token.strip("?{}").split("|")
        total += max(
            sum(1 + sum(word.count(c) for c in "-'’") + word.count("<num>") for word in a.split())
            for a in alternatives
        )
    return total


class CueSet:
    """A compiled cue set, tried only where one of its phrases could start.

    Scanning every position of a post with a pattern of dozens of alternatives is what cue
    detection used to spend its time on. Each phrase starts with a word (keyed by its first
    folded letters), a capitalised word (``<Name>``), a number or a symbol, so the
    :class:`CueIndex` of a text gives the few positions worth trying, and at each only the
    phrases whose key is there. Trying them left to right, skipping positions inside the
    previous match, finds exactly the matches of ``pattern.finditer`` (the whole set compiled
    as one pattern), because no phrase can match where its key is not.

    Each key's phrases are compiled when the set is, so a check never compiles a pattern. At
    the few positions with two keys (a word that is a key whole and by its first letters, or
    also capitalised: one position in twenty) the whole set's pattern is tried: it tries the
    phrases of both keys in the same order, and no other phrase can match there.
    """

    NAME, NUMBER = "<Name>", "<num>"

    def __init__(
        self,
        phrases: Sequence[str],
        compiler: Callable[[Sequence[str]], regex.Pattern[str]] = compile_cue_set,
    ) -> None:
        """Index ``phrases``; ``compiler`` turns a list of them into one pattern (by default the
        cue pattern language; any compiler whose patterns start a match at a word start, a
        number or a symbol of the phrase's first word, matched ignoring case, will do)."""
        self.pattern = compiler(phrases)
        by_key: dict[str, set[str]] = {}
        for phrase in phrases:
            if _phrase_runs(phrase) > MAX_PHRASE_RUNS:
                raise ValueError(f"cue phrase {phrase!r} is longer than {MAX_PHRASE_RUNS} words")
            first = _split_tokens(phrase)[0]
            alternatives = first[1:-1].split("|") if first.startswith("{") else [first]
            for alternative in alternatives:
                by_key.setdefault(self._key(alternative.split()[0].removeprefix("=")), set()).add(phrase)
        #: What a phrase of the set starts with, as :class:`CueIndex` keys.
        self.keys = frozenset(by_key)
        #: The phrases of each key as one pattern.
        self._patterns = {key: compiler(longest_first(found)) for key, found in by_key.items()}

    @classmethod
    def _key(cls, word: str) -> str:
        """Return what a phrase starting with ``word`` is found by in a :class:`CueIndex`."""
        if word.startswith(cls.NAME):
            return cls.NAME
        if word.startswith(cls.NUMBER) or word[0].isdigit():
            return cls.NUMBER
        if not regex.match(r"\w", word[0]):
            return word[0]  # a symbol: "$", "🤫"
        if regex.fullmatch(r"\w+", word):
            return " " + fold(word)  # a whole word: the text's word must be just that
        return fold(regex.match(r"\w+", word).group())[:_KEY_LENGTH]  # up to a hyphen, apostrophe or wildcard

    def _starts(self, index: CueIndex) -> dict[int, list[str]]:
        """Return the positions of ``index``'s text where some phrase could start, with their keys."""
        starts: dict[int, list[str]] = {}
        # The set's keys in the text: one intersection of two sets, over the smaller, in C.
        for key in self.keys & index.keys:
            if key == self.NAME:
                positions = index.capitalised
            elif key == self.NUMBER:
                positions = index.numbers
            elif key in index.symbols:  # "$", "🤫": no word run starts with a symbol
                positions = index.symbols[key]
            else:  # " word" (a whole word) or the first 1-4 folded letters of words
                positions = index.table(0 if key[0] == " " else len(key))[key]
            for position in positions:
                starts.setdefault(position, []).append(key)
        return starts

    def may_match(self, index: CueIndex) -> bool:
        """Return False when no phrase of the set can match in ``index``'s text (no key is there)."""
        return not self.keys.isdisjoint(index.keys)

    def finditer(self, index: CueIndex) -> Iterator[regex.Match[str]]:
        """Yield the matches of the cue set in ``index``'s text, as ``pattern.finditer`` would."""
        if not self.may_match(index):
            return
        text = index.text
        starts = self._starts(index)
        end = 0
        try:
            for position in sorted(starts):
                if position < end:
                    continue
                keys = starts[position]
                pattern = self._patterns[keys[0]] if len(keys) == 1 else self.pattern
                found = match_in(pattern, text, position, index.reach(position))
                if found:
                    end = found.end()
                    yield found
        except TimeoutError:
            log.warning("a cue pattern timed out on a %d-character text", len(text))


@dataclass(frozen=True, slots=True)
class Veto:
    """A cue set that cancels a rule when it occurs within some words of the matched phrase."""

    cue: str
    before: int
    after: int
    #: Whether a veto cue inside the phrase counts too ("my" inside "on my channel" may not).
    inside: bool = True


@dataclass(frozen=True, slots=True)
class CueRule:
    """Cues that together flag a phrase, how close they must be, and what cancels them."""

    id: str
    type: str
    severity: str
    all: tuple[tuple[str, ...], ...]
    window: int
    ordered: bool
    same_sentence: bool
    unless: tuple[Veto, ...]
    score: float

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CueRule:
        """Build a rule from its entry in a pattern file."""
        window = int(data.get("window", 8))
        vetoes = []
        for item in data.get("unless", ()):
            if isinstance(item, str):
                item = {"cue": item}
            vetoes.append(
                Veto(
                    item["cue"],
                    int(item.get("before", window)),
                    int(item.get("after", window)),
                    bool(item.get("inside", True)),
                )
            )
        if data["severity"] not in SEVERITY_RANK:
            raise ValueError(f"rule {data['id']}: unknown severity {data['severity']!r}")
        return cls(
            id=data["id"],
            type=data["type"],
            severity=data["severity"],
            all=tuple((c,) if isinstance(c, str) else tuple(c) for c in data["all"]),
            window=window,
            ordered=bool(data.get("ordered", False)),
            same_sentence=bool(data.get("same_sentence", True)),
            unless=tuple(vetoes),
            score=float(data.get("score", 0.85)),
        )


@dataclass(frozen=True, slots=True)
class _Hit:
    """One cue match, in characters and in words."""

    start: int
    end: int
    first_word: int
    last_word: int


def _is_clitic(token: str) -> bool:
    return len(token) <= 3 and ("'" in token or "’" in token)


class _Text:
    """A post's words and sentence breaks, for measuring distances between cue matches."""

    def __init__(self, doc: Doc) -> None:
        self.text = text_of(doc)
        # Punctuation, whitespace and clitics ('s, n't) do not count as words in a window.
        self.word_starts = [t.idx for t in doc if not (t.is_space or t.is_punct or _is_clitic(t.text))]
        self.breaks = [m.start() for m in finditer(_SENTENCE_BREAK, self.text)]

    def word_at(self, char: int) -> int:
        """Return the index of the word at or before a character offset."""
        return max(bisect_right(self.word_starts, char) - 1, 0)

    def hit(self, start: int, end: int) -> _Hit:
        """Describe one match by its characters and words."""
        return _Hit(start, end, self.word_at(start), self.word_at(max(end - 1, start)))

    def broken(self, start: int, end: int) -> bool:
        """Return True when a sentence ends between two character offsets."""
        i = bisect_left(self.breaks, start)
        return i < len(self.breaks) and self.breaks[i] < end


class _Hits:
    """The matches of one cue group, ordered by first word, for bounded look-ups."""

    #: No cue phrase is longer than this many words; it bounds look-ups by last word.
    MAX_PHRASE_WORDS = 16

    def __init__(self, hits: list[_Hit]) -> None:
        self.hits = sorted(hits, key=lambda h: (h.first_word, h.start))
        self.firsts = [h.first_word for h in self.hits]

    def starting_between(self, lo: int, hi: int) -> list[_Hit]:
        """Return the matches whose first word lies in ``lo..hi``."""
        return self.hits[bisect_left(self.firsts, lo) : bisect_right(self.firsts, hi)]

    def touching(self, lo: int, hi: int, outside: tuple[int, int] | None = None) -> bool:
        """Return True when some match shares a word with ``lo..hi`` but none with ``outside``."""
        near = self.starting_between(lo - self.MAX_PHRASE_WORDS, hi)
        return any(
            h.last_word >= lo and (outside is None or h.last_word < outside[0] or h.first_word > outside[1])
            for h in near
        )


class CueRules:
    """A category's cue sets and rules, loaded from ``nlp/patterns/<category>.json``."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.cues = {name: CueSet(phrases) for name, phrases in data["cues"].items()}
        self.rules = tuple(CueRule.from_json(r) for r in data["rules"])
        for rule in self.rules:
            names = [n for group in rule.all for n in group] + [v.cue for v in rule.unless]
            unknown = sorted(n for n in set(names) - set(self.cues) if not n.startswith("@"))
            if unknown:
                raise ValueError(f"rule {rule.id} uses unknown cue sets {unknown}")
        # The groups of all rules, numbered: a group can match only when the text holds a key
        # one of its cue sets starts with, or the Doc an entity it names ("@PERSON"). So each
        # key and label maps to the groups it opens, and each rule to the groups it needs.
        self._opens: dict[str, set[int]] = {}
        numbers = iter(range(sum(len(rule.all) for rule in self.rules)))
        needs: list[frozenset[int]] = []
        for rule in self.rules:
            groups = [next(numbers) for _ in rule.all]
            for number, group in zip(groups, rule.all, strict=True):
                for name in group:
                    for key in self.cues[name].keys if name in self.cues else (name,):
                        self._opens.setdefault(key, set()).add(number)
            needs.append(frozenset(groups))
        self._needs = tuple(needs)
        #: Every key and entity label that opens some group (a veto's keys open none).
        self._keys = frozenset(self._opens)

    @classmethod
    def load(cls, category: str) -> CueRules:
        """Read and compile the pattern file of one category."""
        data = json.loads((PATTERNS_DIR / f"{category}.json").read_text(encoding="utf-8"))
        if data.get("category", category) != category:
            raise ValueError(f"{category}.json holds the patterns of {data['category']}")
        return cls(data)

    def matches(self, doc: Doc) -> list[tuple[CueRule, int, int]]:
        """Return (rule, start, end) for every phrase in ``doc`` that some rule flags."""
        text = memo(doc, "cue_text", _Text)
        # "@PERSON" and the like are entities from the pipeline's NER (none on a blank pipeline).
        hits: dict[str, list[_Hit]] = {}
        for ent in doc.ents:
            hits.setdefault("@" + ent.label_, []).append(text.hit(ent.start_char, ent.end_char))

        def cue_hits(name: str) -> list[_Hit]:
            # A cue set is scanned only when a rule needs it, once per doc: most posts fail a
            # rule's first group, so most sets are never scanned.
            if name not in hits and name in self.cues:
                index = memo(doc, "cue_index", cue_index)
                hits[name] = [text.hit(m.start(), m.end()) for m in self.cues[name].finditer(index)]
            return hits.get(name, [])

        # The groups that can match: those the text's keys (a few of the category's) and the
        # Doc's entity labels (all that ``hits`` holds so far) open.
        opened: set[int] = set()
        for key in self._keys & memo(doc, "cue_index", cue_index).keys:
            opened |= self._opens[key]
        for label in hits:
            opened |= self._opens.get(label, _NO_GROUPS)
        by_cue: dict[str, _Hits] = {}
        found: list[tuple[CueRule, int, int]] = []
        for rule, needs in zip(self.rules, self._needs, strict=True):
            # A rule needs a match from every group: when some group cannot match at all, no
            # cue set of the rule is scanned. One subset test in C per rule.
            if not needs <= opened:
                continue
            groups: list[_Hits] = []
            for group_names in rule.all:
                group = _Hits([h for n in group_names for h in cue_hits(n)])
                if not group.hits:
                    break
                groups.append(group)
            if len(groups) < len(rule.all):
                continue
            for veto in rule.unless:
                if veto.cue not in by_cue and (veto.cue in self.cues or veto.cue in hits):
                    by_cue[veto.cue] = _Hits(cue_hits(veto.cue))
            for anchor in groups[0].hits:
                chosen = _combine(rule, text, anchor, groups[1:])
                if chosen is None or _vetoed(rule, by_cue, chosen):
                    continue
                found.append((rule, min(h.start for h in chosen), max(h.end for h in chosen)))
        return found


_NO_GROUPS: frozenset[int] = frozenset()


def _combine(rule: CueRule, text: _Text, anchor: _Hit, groups: Sequence[_Hits]) -> list[_Hit] | None:
    """Pick, for each further cue group, a match that keeps the phrase in its window.

    The nearest matches are tried first; when one leaves no room for a later group, the next
    nearest is tried, at most ``_TRIES`` per group, which keeps the search linear in the text.
    """
    if not groups:
        return [anchor]
    return _extend(rule, text, [anchor], anchor.first_word, anchor.last_word, groups)


#: How many candidates per cue group the search tries before giving up on an anchor.
_TRIES = 3


def _extend(
    rule: CueRule, text: _Text, chosen: list[_Hit], lo: int, hi: int, groups: Sequence[_Hits]
) -> list[_Hit] | None:
    # Only matches starting within a window of the phrase so far can fit: a bounded slice.
    candidates = [
        (max(hi, c.last_word) - min(lo, c.first_word) + 1, c)
        for c in groups[0].starting_between(hi - rule.window + 1, lo + rule.window - 1)
    ]
    fitting = (c for width, c in sorted(candidates, key=lambda wc: wc[0]) if width <= rule.window)
    for tries, candidate in enumerate(c for c in fitting if _fits(rule, text, chosen, c)):
        if tries >= _TRIES:
            break
        picked = [*chosen, candidate]
        if len(groups) == 1:
            return picked
        found = _extend(
            rule,
            text,
            picked,
            min(lo, candidate.first_word),
            max(hi, candidate.last_word),
            groups[1:],
        )
        if found is not None:
            return found
    return None


def _fits(rule: CueRule, text: _Text, chosen: Sequence[_Hit], candidate: _Hit) -> bool:
    """Return True when a candidate keeps clear of the chosen cues, their order and sentence."""
    if any(candidate.start < h.end and h.start < candidate.end for h in chosen):
        return False
    if rule.ordered and candidate.start < chosen[-1].end:
        return False
    if rule.same_sentence:
        ordered = sorted([*chosen, candidate], key=lambda h: h.start)
        if any(text.broken(a.end, b.start) for a, b in zip(ordered, ordered[1:], strict=False)):
            return False
    return True


def _vetoed(rule: CueRule, by_cue: dict[str, _Hits], chosen: Sequence[_Hit]) -> bool:
    """Return True when a veto cue occurs within its reach of the matched phrase."""
    lo = min(h.first_word for h in chosen)
    hi = max(h.last_word for h in chosen)
    return any(
        v.cue in by_cue
        and by_cue[v.cue].touching(lo - v.before, hi + v.after, None if v.inside else (lo, hi))
        for v in rule.unless
    )


class CueDetector(Detector):
    """A detector whose findings come from the cue rules of its category's pattern file."""

    #: The policy clauses the detector enforces (the catalogue gives each finding its own).
    clauses: ClassVar[tuple[str, ...]]
    #: Set by each subclass at module level, so patterns compile once per process.
    patterns: ClassVar[CueRules]

    def detect(self, doc: Doc) -> list[Finding]:
        """Return one finding per flagged phrase, merging phrases that overlap."""
        merged: list[tuple[CueRule, int, int]] = []
        for rule, start, end in sorted(self.patterns.matches(doc), key=lambda m: (m[1], -m[2])):
            if merged and start < merged[-1][2]:
                prev_rule, prev_start, prev_end = merged[-1]
                keep = rule if _stronger(rule, prev_rule) else prev_rule
                merged[-1] = (keep, prev_start, max(prev_end, end))
            else:
                merged.append((rule, start, end))
        return [
            self.finding(start, end, rule.type, rule.severity, rule.id, score=rule.score)
            for rule, start, end in merged
        ]


def _stronger(a: CueRule, b: CueRule) -> bool:
    return (SEVERITY_RANK[a.severity], a.score) > (SEVERITY_RANK[b.severity], b.score)
