"""The token-pattern language the harassment rules are written in, and its matcher.

Word lists of a thousand insults, slurs and threats cannot be regex alternations scanned over
a whole post: the regex engines try every alternative at every position (seconds on a hostile
65k-character post). Here the post is split into tokens once, each token is looked up in
hash tables, and a rule is only tried where its first token occurs. Every repetition has a
fixed upper bound, so matching is linear in the number of tokens.

Pattern syntax (items separated by spaces; rules and word sets live in
``nlp/patterns/harassment-*.jsonl``):

- ``word`` matches that token, case-insensitively (``you're`` also matches ``youre``);
- ``<set>`` matches any phrase of a word set, or a named sub-pattern, of the rule's language;
- ``{a b|c|<set>}`` matches one of the alternatives, each a sequence of items;
- ``<NAME>`` a capitalised word (captured as ``name``), ``<SUBJ>`` any word or @handle
  (captured as ``subj``), ``<HANDLE>`` an @handle, ``<WORD>`` any word;
- ``<END>`` matches (without consuming) the end of a clause: punctuation, an emoji or the end;
- ``!item`` matches (without consuming) where ``item`` does not;
- ``item?`` and ``item{m,n}`` repeat an item (always bounded);
- ``[`` and ``]`` mark the part of the match to report.

Texts and word sets go through the same tokenizer: words (with inner hyphens), @handles, the
clitics ``'s 're 'll 've 'd 'm 't`` as tokens of their own, and single punctuation marks.
Letters stretched for emphasis ("stuuupid") also match their plain spelling.
"""

from __future__ import annotations

import copy
import json
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any, NamedTuple

import regex

from nlp.detectors.base import finditer

#: Length-preserving normalisation, so offsets into the normalised text are offsets into the
#: post: typographic apostrophes become ASCII, ё becomes е (the word sets are written with е).
NORMALISE = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "ё": "е", "Ё": "Е"})

_TOKEN = regex.compile(r"@\w+|\w+(?:-\w+)*|'(?:s|re|ll|ve|d|m|t|all|em)(?!\w)|[^\w\s]", regex.IGNORECASE)
_STRETCHED = regex.compile(r"(\w)\1\1")
_NAME_STOPWORDS = frozenset(
    "the this that these those my our your his her their it a an all me us i you he she we they"
    " everyone everybody someone anyone nobody monday tuesday wednesday thursday friday saturday"
    " sunday today tomorrow tonight god lol omg".split()
)
_MAX_REPEAT = 8


class Token(NamedTuple):
    """One token of a text: its span, its lookup keys and whether it is a word."""

    start: int
    end: int
    text: str
    keys: tuple[str, ...]
    is_word: bool


def _squash(word: str, keep: int) -> str:
    """Return ``word`` with runs of three or more equal letters cut to ``keep``."""
    return "".join(
        ch * min(len(list(run)), keep) if ch.isalpha() else "".join(run) for ch, run in groupby(word)
    )


def _has(pattern: regex.Pattern[str], text: str) -> bool:
    return next(finditer(pattern, text), None) is not None


def tokenize(text: str) -> list[Token]:
    """Split normalised text into tokens with their lookup keys."""
    stretched = _has(_STRETCHED, text)
    make = tuple.__new__  # builds the named tuple without the Python-level constructor
    tokens: list[Token] = []
    append = tokens.append
    for m in finditer(_TOKEN, text):
        raw = m.group()
        low = raw.lower()
        if stretched and _has(_STRETCHED, low):
            keys: tuple[str, ...] = (low, _squash(low, 1), _squash(low, 2))
        else:
            keys = (low,)
        start, end = m.span()
        first = raw[0]
        append(make(Token, (start, end, raw, keys, first.isalnum() or first in "@'_")))
    return tokens


def phrase_tokens(phrase: str) -> list[tuple[str, ...]]:
    """Return the token sequences a lexicon phrase matches (with and without apostrophes)."""
    text = phrase.translate(NORMALISE).lower()
    forms = {tuple(m.group() for m in _TOKEN.finditer(text))}
    if "'" in text:
        forms.add(tuple(m.group() for m in _TOKEN.finditer(text.replace("'", ""))))
    return [form for form in forms if form]


# ---------------------------------------------------------------------------------------------
# Pattern items. Each knows the token keys it can start with (``firsts``; None: any token) and
# whether it can match nothing (``nullable``), so the matcher only descends where it can match.


class Item:
    """One item of a pattern with its repeat bounds."""

    low: int = 1
    high: int = 1

    def firsts(self) -> frozenset[str] | None:
        """Return the keys one occurrence can start with (empty: consumes nothing)."""
        raise NotImplementedError

    def once(self, tokens: list[Token], pos: int, state: _State) -> list[tuple[int, _State]]:
        """Return the ends of one occurrence at ``pos``, with the state after each."""
        raise NotImplementedError


class Phrases(Item):
    """Literal words or the phrases of a word set, held in a trie of tokens."""

    def __init__(self, name: str, trie: dict[str, Any]) -> None:
        self.name = name
        self.trie = trie
        self._firsts = frozenset(k for k in trie if k)

    def firsts(self) -> frozenset[str]:
        return self._firsts

    def once(self, tokens: list[Token], pos: int, state: _State) -> list[tuple[int, _State]]:
        ends = []
        nodes = [self.trie]
        start = pos
        while nodes and pos < len(tokens):
            keys = tokens[pos].keys
            advanced = [child for node in nodes for key in keys if (child := node.get(key)) is not None]
            pos += 1
            if not advanced and pos - 1 > start and tokens[pos - 1].text in _SKIPPABLE:
                continue  # "я знаю, где ты живёшь" matches the phrase written without the comma
            nodes = advanced
            if any(_END_OF_PHRASE in node for node in nodes):
                ends.append((pos, state))
        return ends


_END_OF_PHRASE = ""  # trie key marking the end of a phrase (no token is empty)
_SKIPPABLE = frozenset(",—–-")  # punctuation a phrase may have inside it


def build_trie(forms: Iterable[tuple[str, ...]]) -> dict[str, Any]:
    """Return a trie (nested dicts) of token sequences."""
    trie: dict[str, Any] = {}
    for form in forms:
        node = trie
        for key in form:
            node = node.setdefault(key, {})
        node[_END_OF_PHRASE] = True
    return trie


def _max_depth(trie: dict[str, Any]) -> int:
    return max((1 + _max_depth(child) for key, child in trie.items() if key), default=0)


class Special(Item):
    """``<NAME>``, ``<SUBJ>``, ``<HANDLE>``, ``<WORD>``, ``<END>``."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def firsts(self) -> frozenset[str] | None:
        return frozenset() if self.kind == "END" else None

    def once(self, tokens: list[Token], pos: int, state: _State) -> list[tuple[int, _State]]:
        if self.kind == "END":
            return [(pos, state)] if pos == len(tokens) or not tokens[pos].is_word else []
        if pos >= len(tokens):
            return []
        token = tokens[pos]
        text = token.text
        if self.kind in ("WORD", "SUBJ"):
            if token.is_word and text[0] != "'":
                return [(pos + 1, _capture(state, "subj", pos) if self.kind == "SUBJ" else state)]
        elif self.kind == "HANDLE":
            if text[0] == "@" and len(text) > 1:
                return [(pos + 1, state)]
        elif (
            len(text) > 1
            and text[0].isupper()
            and text[1:].islower()
            and text.isalpha()
            and text.lower() not in _NAME_STOPWORDS
        ):
            return [(pos + 1, _capture(state, "name", pos))]
        return []


class Alt(Item):
    """One of several sequences."""

    def __init__(self, options: list[list[Item]]) -> None:
        self.options = options
        self._prepared: list[tuple[frozenset[str] | None, bool, list[Item]]] | None = None

    def _prepare(self) -> list[tuple[frozenset[str] | None, bool, list[Item]]]:
        if self._prepared is None:
            self._prepared = [(seq_firsts(o), seq_nullable(o), o) for o in self.options]
        return self._prepared

    def firsts(self) -> frozenset[str] | None:
        out: set[str] = set()
        for firsts, _, _ in self._prepare():
            if firsts is None:
                return None
            out.update(firsts)
        return frozenset(out)

    def nullable(self) -> bool:
        """Return True when some option can match nothing."""
        return any(nullable for _, nullable, _ in self._prepare())

    def once(self, tokens: list[Token], pos: int, state: _State) -> list[tuple[int, _State]]:
        keys = tokens[pos].keys if pos < len(tokens) else ()
        out: list[tuple[int, _State]] = []
        for firsts, nullable, option in self._prepare():
            if nullable or firsts is None or not firsts.isdisjoint(keys):
                out.extend(_seq(option, tokens, pos, state))
        return out


class Not(Item):
    """Zero-width: the inner item does not match here."""

    def __init__(self, inner: Item) -> None:
        self.inner = inner

    def firsts(self) -> frozenset[str] | None:
        return frozenset()

    def once(self, tokens: list[Token], pos: int, state: _State) -> list[tuple[int, _State]]:
        return [] if _repeat(self.inner, tokens, pos, state) else [(pos, state)]


class Mark(Item):
    """``[`` or ``]``: the bounds of the reported span."""

    def __init__(self, side: str) -> None:
        self.side = side

    def firsts(self) -> frozenset[str] | None:
        return frozenset()

    def once(self, tokens: list[Token], pos: int, state: _State) -> list[tuple[int, _State]]:
        caps, mark_start, mark_end = state
        return [(pos, (caps, pos, mark_end) if self.side == "[" else (caps, mark_start, pos))]


_State = tuple[tuple[tuple[str, int], ...], int, int]  # captures, mark start, mark end


def _capture(state: _State, name: str, pos: int) -> _State:
    return (state[0] + ((name, pos),), state[1], state[2])


def _nullable(item: Item) -> bool:
    if item.low == 0 or isinstance(item, (Not, Mark)):
        return True
    if isinstance(item, Special):
        return item.kind == "END"
    return isinstance(item, Alt) and item.nullable()


def seq_firsts(items: list[Item]) -> frozenset[str] | None:
    """Return the keys a match of ``items`` can start with; None if it can start anywhere."""
    out: set[str] = set()
    for item in items:
        firsts = item.firsts()
        if firsts is None:
            return None
        out.update(firsts)
        if not _nullable(item):
            break
    return frozenset(out)


def seq_nullable(items: list[Item]) -> bool:
    """Return True when ``items`` can match without consuming a token."""
    return all(_nullable(item) for item in items)


def _merge_alternatives(item: Alt) -> Item:
    """Turn ``{a|b c|<set>}`` of plain phrases into one trie."""
    parts = [option[0] for option in item.options if len(option) == 1]
    if len(parts) != len(item.options) or not all(
        isinstance(p, Phrases) and p.low == p.high == 1 for p in parts
    ):
        return item
    merged: dict[str, Any] = {}
    for part in parts:
        assert isinstance(part, Phrases)
        _merge_trie(merged, part.trie)
    return Phrases("{…}", merged)


def _merge_trie(into: dict[str, Any], other: dict[str, Any]) -> None:
    for key, child in other.items():
        if key == _END_OF_PHRASE:
            into[key] = True
        else:
            _merge_trie(into.setdefault(key, {}), child)


# ---------------------------------------------------------------------------------------------
# Parsing

_ITEM = regex.compile(
    r"\s*(?:(?P<not>!)?(?:(?P<alt>\{)|<(?P<ref>[\w:]+)>|(?P<mark>[\[\]])|(?P<word>[^\s{}<>\[\]|?]+))"
    r"(?P<rep>\?|\{\d+,\d+\})?|(?P<bar>\|)|(?P<close>\}))"
)
_REPEAT = regex.compile(r"\?|\{\d+,\d+\}")
_SPECIALS = frozenset({"NAME", "SUBJ", "HANDLE", "WORD", "END"})


class PatternError(ValueError):
    """A rule or sub-pattern in a lexicon file cannot be parsed."""


class Grammar:
    """Word sets and named sub-patterns of all languages, and the parser that uses them."""

    def __init__(self) -> None:
        self.sets: dict[str, set[tuple[str, ...]]] = {}
        self._tries: dict[str, dict[str, Any]] = {}
        self.terms: dict[str, list[tuple[list[str], list[str]]]] = {}
        self.macros: dict[str, str] = {}
        self._parsed: dict[str, Item | None] = {}

    def add_terms(self, name: str, terms: Iterable[str], endings: Iterable[str]) -> None:
        """Add words to a set; every word is combined with every ending (Russian, Kazakh)."""
        terms, ends = list(terms), list(endings) or [""]
        self.terms.setdefault(name, []).append((terms, ends))
        forms = self.sets.setdefault(name, set())
        for term in terms:
            for ending in ends:
                forms.update(phrase_tokens(term + ending))

    def add_terms_from(self, name: str, sources: Iterable[str], endings: Iterable[str] | None) -> None:
        """Add the words of other sets to ``name``, with other endings if given."""
        for source in sources:
            for terms, own_endings in self.terms[source]:
                self.add_terms(name, terms, own_endings if endings is None else endings)

    def parse(self, pattern: str, lang: str) -> list[Item]:
        """Parse one pattern of the given language."""
        items, pos = self._parse_seq(pattern, 0, lang)
        if pos < len(pattern.rstrip()):
            raise PatternError(f"unexpected {pattern[pos : pos + 20]!r} in {pattern!r}")
        return items

    def _parse_seq(self, pattern: str, pos: int, lang: str, inside: bool = False) -> tuple[list[Item], int]:
        items: list[Item] = []
        end = len(pattern.rstrip())
        while pos < end:
            m = _ITEM.match(pattern, pos)
            if m is None:
                raise PatternError(f"cannot parse {pattern[pos : pos + 20]!r}")
            if m.group("bar") or m.group("close"):
                if not inside:
                    raise PatternError(f"unbalanced }} or | in {pattern!r}")
                return items, m.start(m.lastgroup or 0)
            pos = m.end()
            item: Item
            if m.group("alt"):
                options = []
                while True:
                    seq, pos = self._parse_seq(pattern, pos, lang, inside=True)
                    options.append(seq)
                    closing = pattern[pos]
                    pos += 1
                    if closing == "}":
                        break
                item = _merge_alternatives(Alt(options))
                tail = _REPEAT.match(pattern, pos)
                if tail:
                    _set_repeat(item, tail.group())
                    pos = tail.end()
            else:
                item = self._atom(m, lang)
                if m.group("rep"):
                    _set_repeat(item, m.group("rep"))
            items.append(Not(item) if m.group("not") else item)
        if inside:
            raise PatternError(f"unclosed {{ in {pattern!r}")
        return items, pos

    def _atom(self, m: regex.Match[str], lang: str) -> Item:
        if m.group("mark"):
            return Mark(m.group("mark"))
        if m.group("word"):
            return Phrases(m.group("word"), build_trie(phrase_tokens(m.group("word"))))
        ref = m.group("ref")
        if ref in _SPECIALS:
            return Special(ref)
        name = ref if ":" in ref else f"{lang}:{ref}"
        if name in self.sets:
            if name not in self._tries:
                self._tries[name] = build_trie(self.sets[name])
            return Phrases(name, self._tries[name])
        if name in self.macros:
            return copy.copy(self._macro(name))
        raise PatternError(f"unknown set <{ref}>")

    def _macro(self, name: str) -> Item:
        if name not in self._parsed:
            self._parsed[name] = None  # marks "being parsed" against self-reference
            items = self.parse(self.macros[name], name.split(":", 1)[0])
            single = len(items) == 1 and items[0].low == items[0].high == 1
            self._parsed[name] = items[0] if single else Alt([items])
        item = self._parsed[name]
        if item is None:
            raise PatternError(f"<{name}> refers to itself")
        return item


def _set_repeat(item: Item, rep: str) -> None:
    if rep == "?":
        item.low, item.high = 0, 1
        return
    low, high = (int(x) for x in rep[1:-1].split(","))
    if high > _MAX_REPEAT or low > high:
        raise PatternError(f"repeat {rep} out of bounds")
    item.low, item.high = low, high


# ---------------------------------------------------------------------------------------------
# Matching


@dataclass(frozen=True, slots=True)
class Match:
    """Where a rule matched: the token after it, its reported character span, captured words."""

    last: int
    start: int
    end: int
    captures: dict[str, tuple[int, int]]

    def group(self, name: str) -> tuple[int, int] | None:
        """Return the character span captured under ``name``, if any."""
        return self.captures.get(name)


class Sequence:
    """A compiled pattern and where it can start.

    ``firsts`` are the keys a match can start with. A pattern that starts with one arbitrary
    word (``<SUBJ> is a ...``) is indexed by the keys of its second item instead (``anchor``).
    """

    def __init__(self, items: list[Item]) -> None:
        self.items = items
        self.firsts = seq_firsts(items)
        self.anchor: frozenset[str] | None = None
        head = items[0] if items else None
        if self.firsts is None and head is not None and _one_any_word(head):
            rest = seq_firsts(items[1:])
            if rest:
                self.anchor = rest
        self.max_len = sum(_max_len(item) * item.high for item in items)
        # The most selective word set, other than the first, that every match must contain:
        # a rule is only tried where such a word occurs within its reach.
        candidates = [
            firsts
            for item in items[1:]
            if not _nullable(item) and (firsts := item.firsts()) and not isinstance(item, Not)
        ]
        self.required: frozenset[str] | None = min(candidates, key=len) if candidates else None

    def match_at(self, tokens: list[Token], pos: int) -> Match | None:
        """Return the longest match starting at token ``pos``, or None."""
        head = self.items[0] if len(self.items) == 1 else None
        if isinstance(head, Phrases) and head.low == head.high == 1:
            reached = head.once(tokens, pos, ((), -1, -1))  # a plain phrase list: just the trie
        else:
            reached = [r for r in _seq(self.items, tokens, pos, ((), -1, -1)) if r[0] > pos]
        if not reached:
            return None
        end, (caps, mark_start, mark_end) = max(reached, key=lambda r: r[0])
        first_tok = pos if mark_start < 0 else mark_start
        last_tok = end if mark_end < 0 else mark_end
        if last_tok <= first_tok:
            return None
        return Match(
            end,
            tokens[first_tok].start,
            tokens[last_tok - 1].end,
            {name: (tokens[p].start, tokens[p].end) for name, p in caps},
        )


def _max_len(item: Item) -> int:
    """Return the most tokens one occurrence of ``item`` can consume."""
    if isinstance(item, Phrases):
        return _max_depth(item.trie)
    if isinstance(item, Alt):
        return max((sum(_max_len(i) * i.high for i in option) for option in item.options), default=0)
    if isinstance(item, Special):
        return 0 if item.kind == "END" else 1
    return 0


def _one_any_word(item: Item) -> bool:
    """Return True when ``item`` always consumes exactly one token of any kind."""
    if item.low != 1 or item.high != 1:
        return False
    if isinstance(item, Special):
        return item.kind != "END"
    return isinstance(item, Alt) and all(
        len(option) == 1 and _one_any_word(option[0]) for option in item.options
    )


def _seq(items: list[Item], tokens: list[Token], pos: int, state: _State) -> list[tuple[int, _State]]:
    """Return every (end, state) a match of ``items`` at ``pos`` can reach."""
    frontier = [(pos, state)]
    for item in items:
        reached: dict[tuple[int, _State], None] = {}
        for at, st in frontier:
            for result in _repeat(item, tokens, at, st):
                reached[result] = None
        if not reached:
            return []
        frontier = list(reached)
    return frontier


def _repeat(item: Item, tokens: list[Token], pos: int, state: _State) -> list[tuple[int, _State]]:
    """Return the (end, state) pairs of ``item.low``..``item.high`` occurrences at ``pos``."""
    results = [(pos, state)] if item.low == 0 else []
    frontier = [(pos, state)]
    firsts = item.firsts() if isinstance(item, Phrases) else None
    for count in range(1, item.high + 1):
        reached = []
        for at, st in frontier:
            if firsts is not None and (at >= len(tokens) or firsts.isdisjoint(tokens[at].keys)):
                continue
            for end, new_state in item.once(tokens, at, st):
                if end == at and count > item.low:
                    continue  # a zero-width repetition adds nothing
                reached.append((end, new_state))
        if not reached:
            break
        if count >= item.low:
            results.extend(reached)
        frontier = reached
    return results


# ---------------------------------------------------------------------------------------------
# Loading


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A rule as written in a lexicon file."""

    id: str
    lang: str
    type: str
    pattern: Sequence
    guards: tuple[str, ...]
    score: float


def load(paths: Iterable[Path]) -> tuple[Grammar, list[RuleSpec]]:
    """Read word sets, sub-patterns and rules from JSON-lines files (``//`` lines are comments)."""
    grammar = Grammar()
    rows: list[dict[str, Any]] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("//"):
                rows.append(json.loads(line))
    for row in rows:
        if "terms" in row:
            grammar.add_terms(f"{row['lang']}:{row['set']}", row["terms"], row.get("endings", [""]))
    for row in rows:
        if "from" in row:
            sources = [f"{row['lang']}:{s}" for s in row["from"]]
            grammar.add_terms_from(f"{row['lang']}:{row['set']}", sources, row.get("endings"))
        elif "pattern" in row and "set" in row:
            grammar.macros[f"{row['lang']}:{row['set']}"] = row["pattern"]
    rules = []
    for row in rows:
        if "rule" in row:
            try:
                items = grammar.parse(row["pattern"], row["lang"])
            except PatternError as exc:
                raise PatternError(f"rule {row['rule']}: {exc}") from exc
            rules.append(
                RuleSpec(
                    row["rule"],
                    row["lang"],
                    row["type"],
                    Sequence(items),
                    tuple(row.get("guards", ())),
                    float(row.get("score", 0.85)),
                )
            )
    return grammar, rules


class RuleIndex:
    """Rules indexed by the tokens they can start with (or, for ``<SUBJ> is ...``, the next one)."""

    def __init__(self, rules: list[RuleSpec]) -> None:
        self.rules = rules
        self.by_first: dict[str, list[int]] = {}
        self.by_second: dict[str, list[int]] = {}
        for index, rule in enumerate(rules):
            if rule.pattern.firsts is not None:
                table, keys = self.by_first, rule.pattern.firsts
            elif rule.pattern.anchor is not None:
                table, keys = self.by_second, rule.pattern.anchor
            else:
                raise PatternError(f"rule {rule.id} can start anywhere; give it a first word")
            for key in keys:
                table.setdefault(key, []).append(index)
        self.by_required: dict[str, list[int]] = {}
        for index, rule in enumerate(rules):
            for key in rule.pattern.required or ():
                self.by_required.setdefault(key, []).append(index)
        self.start_keys = frozenset(self.by_first) | frozenset(self.by_second)
        self.required_keys = frozenset(self.by_required)

    def matches(self, tokens: list[Token]) -> Iterator[tuple[RuleSpec, Match]]:
        """Yield each rule's leftmost-longest, non-overlapping matches."""
        next_free = [0] * len(self.rules)
        by_first, by_second, by_required = self.by_first, self.by_second, self.by_required
        # Where each rule's required words occur; a rule is tried only within reach of one.
        seen_at: list[list[int]] = [[] for _ in self.rules]
        for pos, token in enumerate(tokens):
            if self.required_keys.isdisjoint(token.keys):
                continue
            for key in token.keys:
                for index in by_required.get(key, ()):
                    if not seen_at[index] or seen_at[index][-1] != pos:
                        seen_at[index].append(pos)
        for pos, token in enumerate(tokens):
            if self.start_keys.isdisjoint(token.keys):
                continue
            candidates: set[tuple[int, int]] = set()
            for key in token.keys:
                candidates.update((index, pos) for index in by_first.get(key, ()))
                if pos > 0:
                    candidates.update((index, pos - 1) for index in by_second.get(key, ()))
            for index, start in sorted(candidates):
                if next_free[index] > start:
                    continue
                pattern = self.rules[index].pattern
                if pattern.required is not None:
                    hits = seen_at[index]
                    at = bisect_left(hits, start + 1)
                    if at == len(hits) or hits[at] > start + pattern.max_len:
                        continue
                found = pattern.match_at(tokens, start)
                if found is not None:
                    next_free[index] = found.last
                    yield self.rules[index], found
