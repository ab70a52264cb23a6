"""Harassment (policy 4.5.5, 5.1, 5.2, 5.4): threats, insults, hate, calls to exclude, "kill yourself".

A rude word is not harassment; a rude word *aimed at someone* is. So almost every rule needs a
target next to the hostile word: a second-person form ("you're a loser", "ты тупой",
"ақымақсың"), he/she/they, a name or @handle, a demonstrative ("that idiot"), an insulting
adjective ("fat cow"), or a protected group ("all X are vermin"). The writer talking about
themselves ("I'm such an idiot", "я дебил"), a negation ("you're not stupid") and the usual
hyperbole ("this assignment is killing me", "I could kill for a coffee", "beat the traffic")
leave nothing to flag. A handful of words are flagged on their own: slurs, and abusive nouns
that only ever name a person ("cunt", "мразь").

Lexicons: ``nlp/patterns/harassment-{en,ru,kk}.jsonl``, word sets written by hand for this
project from general knowledge of abusive language in English, Russian and Kazakh (common
insults and threats, and slurs as found in general reference lists of ethnic and homophobic
slurs). No classifier, no package word list and nothing derived from a labelled corpus (in
particular not from Davidson et al.'s tweets), so peer sets can be used to score this detector.
The same files hold the rules that combine the sets, in the token-pattern language of
``harassment_patterns``; the guards below veto matches by looking at a few words around them.
The NER component is only used to tell a person ("Marat is stupid") from a subject ("Physics is
stupid") when a capitalised word is the target.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import regex
from spacy.tokens import Doc

from nlp.detectors.base import Detector, finditer, text_of
from nlp.detectors.harassment_patterns import NORMALISE, Match, RuleIndex, load, tokenize
from nlp.finding import SEVERITY_RANK, Finding

PATTERNS_DIR = Path(__file__).resolve().parents[1] / "patterns"
LEXICON_FILES = tuple(sorted(PATTERNS_DIR.glob("harassment-*.jsonl")))

SEVERITY = {
    "threat": "high",
    "hate": "high",
    "self_harm_incitement": "high",
    "insult": "medium",
    "exclusion": "medium",
}

#: Entity labels that are never a person. The small English model gives Central Asian first
#: names all sorts of other labels (ORG, GPE, PRODUCT), so any label but these counts as a name.
_THING_LABELS = frozenset(
    {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "LAW", "LANGUAGE", "EVENT"}
)

#: How far (characters) a guard looks around a match for "I", "don't" and the like.
_WINDOW = 48

_FLAGS = regex.IGNORECASE


# ---------------------------------------------------------------------------------------------
# Guards: each looks at a bounded window around a match and says whether to keep it.


@dataclass(frozen=True, slots=True)
class Context:
    """What a guard may look at: the normalised post and the spaCy Doc."""

    text: str
    doc: Doc

    def before(self, start: int) -> str:
        """Return the same clause's text just before ``start`` (bounded)."""
        chunk = self.text[max(0, start - _WINDOW) : start]
        cut = max(chunk.rfind(c) for c in ".!?;\n")
        return chunk[cut + 1 :]

    def after(self, end: int) -> str:
        """Return the text just after ``end`` (bounded)."""
        return self.text[end : end + _WINDOW]


Guard = Callable[[Context, Match], bool]

_SELF_BEFORE = regex.compile(
    r"(?:^|[^\w'])(?:i|i'm|im|i\s+am|i\s+was|i've\s+been|ive\s+been|me|myself|we|we're|we\s+are"
    r"|us|ourselves|am\s+i|я|мы|меня|мне|себя|себе|сам|сама|сами|не|ни|мен|біз|өзім|өзімді"
    r"|өзіміз|менің)(?:[^\w']+[\w']+){0,2}[^\w']*$",
    _FLAGS,
)
_SELF_AFTER = regex.compile(
    r"^[^\w]*(?:(?:i\s+am|i'm|im|i\s+was|am\s+i|was\s+i|me|myself)\b"
    r"|(?:как\s+)?(?:же\s+)?(?:я|мы)\b|емес)",
    _FLAGS,
)
_NEGATED_BEFORE = regex.compile(
    r"(?:(?:n't|\bnot|\bnever|\bnobody|\bno\s+one|\bwho)\s+(?:\w+\s+){0,2}"
    r"(?:think|thinks|thought|say|says|said|saying|call|calls|called|calling|mean|meant|believe"
    r"|implying|suggesting|told)\s+(?:you\s+|that\s+)?"
    r"|\bstop\s+(?:saying|thinking|calling\s+yourself)\s+(?:that\s+)?"
    r"|\bif\s+(?:someone|somebody|anyone|they|people)\s+(?:says?|calls?|tells?)\s+(?:you\s+)?"
    r"|(?:\bне|\bникто\s+не)\s+(?:\w+\s+)?(?:думаю|думает|считаю|считает|говорю|говорит|говорил"
    r"|говорила|сказал|сказала|называл|называла|называю)\s*,?\s*(?:что\s+|будто\s+)?"
    r"|\b(?:called|call|calls|calling)\s+(?:me|him|her|them|us)\s+"
    r"|\b(?:said|says|say|wrote|texted|told\s+(?:me|him|her|them|us)|called\s+(?:me|him|her|them|us))"
    r"\s*[,:]?\s*['\"«“]\s*)$",
    _FLAGS,
)
_ADVICE_BEFORE = regex.compile(
    r"\b(?:don't|dont|do\s+not|never|not|no\s+need\s+to|try\s+not\s+to|shouldn't|should\s+not"
    r"|won't|wouldn't|wont|didn't|can't|cant|please\s+don't|не)\s+(?:\w+\s+){0,2}$",
    _FLAGS,
)
_ADVICE_AFTER = regex.compile(
    r"^\s+(?:over|studying|working|trying|for|with|on|doing|to|because|a|an|in|up|out|laughing"
    r"|about|at|from|when|while|at)\b",
    _FLAGS,
)
_FIRST_PERSON_BEFORE = regex.compile(
    r"(?:^|[^\w'])(?:i|i'll|ill|i'm|im|imma|ima|gonna|let\s+me|lemme|me|we|we'll|i\s+will"
    r"|i\s+might|i\s+could|i\s+would|i'd|going\s+to|wanna|want\s+to|i\s+just|я|мне|мы)"
    r"(?:[^\w']+[\w']+){0,1}[^\w']*$",
    _FLAGS,
)


def _found(pattern: regex.Pattern[str], text: str) -> bool:
    return next(finditer(pattern, text), None) is not None


def not_self(ctx: Context, m: Match) -> bool:
    """Keep unless the writer is talking about themselves ("I'm such an idiot", "я дебил")."""
    return not (_found(_SELF_BEFORE, ctx.before(m.start)) or _found(_SELF_AFTER, ctx.after(m.end)))


def not_negated(ctx: Context, m: Match) -> bool:
    """Keep unless the insult is denied or reported ("I never said you're stupid")."""
    return not _found(_NEGATED_BEFORE, ctx.before(m.start))


def not_advice(ctx: Context, m: Match) -> bool:
    """Keep unless it is the idiom "don't kill yourself over this essay"."""
    return not (_found(_ADVICE_BEFORE, ctx.before(m.start)) or _found(_ADVICE_AFTER, ctx.after(m.end)))


def not_first_person(ctx: Context, m: Match) -> bool:
    """Keep unless the writer says it of themselves ("I'm gonna go die in bed")."""
    return not _found(_FIRST_PERSON_BEFORE, ctx.before(m.start))


def not_a_thing(ctx: Context, m: Match) -> bool:
    """Keep a capitalised target unless NER calls it a date, number, event or the like.

    For calls to exclude the verb already implies a person ("nobody invite Kuanysh").
    """
    span = m.group("name")
    if span is None:
        return True
    start, end = span
    return not any(
        ent.label_ in _THING_LABELS and ent.start_char < end and start < ent.end_char for ent in ctx.doc.ents
    )


def person_name(ctx: Context, m: Match) -> bool:
    """Keep a capitalised target only if it looks like a person, not a subject or a weekday."""
    span = m.group("name")
    if span is None:
        return True
    start, end = span
    word = ctx.text[start:end]
    if not word.isascii():
        return True  # Cyrillic names: the English NER model cannot judge them.
    if not ctx.doc.has_annotation("ENT_IOB"):
        return True  # Tokenizer-only pipeline: trust the capital letter.
    return any(
        ent.label_ not in _THING_LABELS and ent.start_char < end and start < ent.end_char
        for ent in ctx.doc.ents
    )


def person_subject(ctx: Context, m: Match) -> bool:
    """Keep "X is a <insult>" unless X is the writer or not a person ("life is a bitch")."""
    span = m.group("subj")
    return span is None or ctx.text[span[0] : span[1]].lower() not in _NON_PERSON_SUBJECTS


GUARDS: dict[str, Guard] = {
    "not_self": not_self,
    "not_negated": not_negated,
    "not_advice": not_advice,
    "not_first_person": not_first_person,
    "person_name": person_name,
    "not_a_thing": not_a_thing,
    "person_subject": person_subject,
}

GRAMMAR, RULE_SPECS = load(LEXICON_FILES)
RULES = RuleIndex(RULE_SPECS)
_NON_PERSON_SUBJECTS = frozenset(form[0] for form in GRAMMAR.sets["en:non_person_subject"])


class HarassmentDetector(Detector):
    """Flag threats, insults, hate, calls to exclude and incitement to self-harm aimed at someone."""

    category = "harassment"
    name = "harassment"
    clauses = ("4.5.5", "5.1", "5.2", "5.4")
    #: Reads ``doc.ents`` to tell a person's name from a subject; works without NER too.
    needs_ner = True

    def __init__(self) -> None:
        self.rules = RULES
        self.guards = {spec.id: tuple(GUARDS[g] for g in spec.guards) for spec in RULE_SPECS}

    def detect(self, doc: Doc) -> list[Finding]:
        """Return the harassment findings in ``doc``; of overlapping ones, the most severe and longest."""
        ctx = Context(text_of(doc).translate(NORMALISE), doc)
        found = [
            self.finding(m.start, m.end, spec.type, SEVERITY[spec.type], spec.id, score=spec.score)
            for spec, m in self.rules.matches(tokenize(ctx.text))
            if all(guard(ctx, m) for guard in self.guards[spec.id])
        ]
        # The analyzer keeps the widest of nested findings; resolving here first makes sure a
        # threat inside a longer insult is not lost to it.
        # Kept findings never overlap, so in start order their ends rise too: a new one overlaps
        # a kept one only if it overlaps its neighbour by start (O(log n), not a scan of all).
        kept: list[Finding] = []
        starts: list[int] = []
        for finding in sorted(found, key=lambda f: (-SEVERITY_RANK[f.severity], f.start - f.end, f.start)):
            k = bisect_left(starts, finding.start)
            if (k and kept[k - 1].end > finding.start) or (k < len(kept) and kept[k].start < finding.end):
                continue
            starts.insert(k, finding.start)
            kept.insert(k, finding)
        return kept
