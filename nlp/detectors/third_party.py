"""Other people named or identified in a post (clauses 3.6, 4.3, 4.5.3).

Four kinds of evidence mark a word as part of someone's name:

* spaCy's PERSON entities, cleaned of titles, greetings, platforms and the university's names;
* a first-name gazetteer (``nlp.names``) for the Kazakh and Russian names the small English
  model misses or calls places ("Aidana and Timur went to Almaty"), trusted only for a
  capitalised word that is not part of a place ("Dostyk Avenue", "in Sofia") or an ordinary word;
* context: a relation word ("my flatmate Ruslan", "мой друг Ерлан"), a title ("Dr Michael
  Turner", "профессор Омарова", "Сауле апай"), coordination with a name ("Asem and Dias"), or
  what only a person does or is ("said Maslin", "Dana is our tutor", "Directed by Sari J.
  Paavolainen", "was called Crystal Murdock", a sentence opener that "he" or "she" refers to);
  a lone word the post shows to be an organisation ("Transunion is a 501(c)3") is no person;
* for Cyrillic words, pymorphy3's name readings (see ``nlp.names``).

A lower-case word is taken for a name only when it is a gazetteer first name (never an
ordinary English word) right after a relation word or a contact verb: "my flatmate aigerim",
"text dana", "ask marat" (students often skip capitals), but not "ask grace for help".

A following capitalised word is taken as the surname. Tags of accounts ("@kamila.zh") are
found by pattern. A mention is ``low``; it is ``medium`` when its sentence also judges the
person, reveals a private matter, gives personal data or mentions a complaint (cue words in
``nlp/data/third_party.json``). Each finding offers initials as the replacement.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex
from spacy.tokens import Doc, Span, Token

from nlp.detectors.base import Detector, finditer, folded_of, memo, sentences, text_of
from nlp.detectors.cues import CueSet, cue_index, longest_first
from nlp.detectors.personal_data_address import addresses_in
from nlp.finding import Finding
from nlp.names import (
    INTERNATIONAL,
    common_word,
    cyrillic_reading,
    english_word,
    gazetteer,
    initials,
    is_cyrillic,
    lexicon,
    ordinary_word,
    proper_noun,
    word_set,
)

# Titles before a name: explicit case variants, so "MS Teams" or "miss the bus" never match.
_TITLE_EN = (
    r"(?:Dr|DR|dr|Prof|PROF|prof|Professor|PROFESSOR|professor|Mr|MR|mr|Mrs|MRS|mrs|Ms|Miss|Mx"
    r"|Sir|Dame|Madam|Madame|Mme)\.?|(?:ms|mx|mme)\."  # lower case only with its dot: not "ms teams"
)
_TITLE_RU = (
    r"(?:(?i:профессор|доктор|доцент|господин|госпож|мистер|миссис|мисс)\w{0,3}|(?i:проф\.|д-р|г-н|г-жа))"
)
# One name word: "Turner", "McDonald", "O'Brien", "Smith-Jones", or an initial "J.".
_NAME_WORD = r"(?:\p{Lu}\p{Ll}\p{L}*(?:['’-]\p{Lu}\p{L}*)?|\p{Lu}['’]\p{Lu}\p{L}*|\p{Lu}\.)"
_NAME_WORDS = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}"
TITLED = regex.compile(rf"(?<![\w.])({_TITLE_EN}|{_TITLE_RU})[ \t]+({_NAME_WORDS})")
_WORD = regex.compile(r"\S+")
#: Kazakh honorifics written after the name: "Сауле апай", "Bolat agai".
HONORIFIC_AFTER = regex.compile(
    r"(?<![\w.])(\p{Lu}\p{Ll}\p{L}*)[ \t]+((?i:апай|ағай|апа|аға|ханым|мырза|apai|apay|agai|agay|apa|aga"
    r"|khanym|hanym|myrza))(?!\w)"
)
#: An account tag. Not after a word character or dot, so the local part of an email is no tag.
HANDLE = regex.compile(r"(?<![\w@.+-])@([\p{L}_][\w.]{0,29})")
#: A form field or a statement of a name: "Name: Ana Dias", "her maiden name is Nyberg". The
#: author's own name ("my name is") is no third party, so "my" before it rules the match out.
NAME_FIELD = regex.compile(
    r"(?im:^[ \t>]{0,4}(?:full[ ]|first[ ]|last[ ])?name[ \t]{0,3}:[ \t]{0,8}"
    r"|(?<!\bmy[ ])\b(?:(?:his|her|their|your)[ ])?(?:first|last|full|maiden|middle|sur)[ ]?name[ ]is[ ]"
    r"|\b(?:his|her|their)[ ]name[ ]is[ ]"
    r"|\b(?:first|last|full|maiden|middle|sur)[ ]?name\?[ \t]{0,3})"
    r"(\p{L}[\p{L}'’.-]{0,30}(?:[ \t]{1,2}\p{L}[\p{L}'’.-]{0,30}){0,3})[ \t]{0,4}(?=$|[.,;!?\n])"
)
#: Three bare surnames joined as "Jones, Mitchell and Williams" are how law firms, agencies and
#: partnerships are named; people are listed with their first names. Checked against the
#: gazetteer: when two or more of the words are first names ("Anna, Maria and Sophie") they
#: are people, and so are surnames listed after a colon ("Authors: Smith, Jones and Brown").
#: A capitalised word after the third must be a firm's word ("The Clark, Romero and Hall
#: Orchestra"); any other makes the third a first name.
FIRM = regex.compile(
    r"(?:(?<=\bThe[ \t])|(?<!\p{Lu}\p{Ll}{0,24}[ \t]))(?<![\p{L}'’-])(?<!:[ \t]{0,3})"
    r"(\p{Lu}\p{Ll}{1,24}(?:-\p{Lu}\p{Ll}{1,24})?),[ \t]"
    r"(\p{Lu}\p{Ll}{1,24}(?:-\p{Lu}\p{Ll}{1,24})?),?[ \t](?:and|&)[ \t]"
    r"(\p{Lu}\p{Ll}{1,24}(?:-\p{Lu}\p{Ll}{1,24})?)(?![\p{L}'’-])(?:[ \t](\p{Lu}\p{L}*))?"
)
#: The first line of a contact card or e-mail signature, after any quote marks or bullets:
#: two to four words of a name, initials allowed ("naomi ryan", "Emidio P Lombardo").
_CARD_NAME = (
    r"(?P<name>\p{L}[\p{L}'’-]{1,24}(?:[ \t]{1,2}(?:\p{L}\.?|\p{L}[\p{L}'’-]{1,24})){1,3})"
)
_CARD_MARK = r"[ \t]{0,4}(?:(?:[>?|•·*▪►→~-]|\p{So})\uFE0F?[ \t]{0,2}){0,3}"
CARD_HEAD = regex.compile(rf"\A\s{{0,8}}{_CARD_MARK}{_CARD_NAME}[ \t]*\n")
CARD_LINE = regex.compile(rf"(?m:^{_CARD_MARK}{_CARD_NAME}[ \t]*$)")
#: A speaker's label at the start of a line of a transcript or chat log: "Sara: who are you?".
SPEAKER = regex.compile(r"(?m:^[ \t>]{0,4}(\p{L}\p{Ll}{1,24})[ \t]?:[ \t]?(?=[\"“\p{L}]))")
#: A transcript has at least this many speaker labels; one "Note:" line is no dialogue.
MIN_SPEAKER_LINES = 2
#: Addresses at least this sure are street lines; the names in them are streets and towns.
ADDRESS_SCORE = 0.75
#: What may stand between an address and the town, region or country after it on its line:
#: capitalised words ("… Suite 000 HUNDSHAGEN Upper Austria").
_ADDRESS_TAIL = regex.compile(r"(?:[ \t]*,?[ \t]*\p{Lu}[\p{L}.'’-]*){0,3}[ \t]*,?[ \t]*")
#: The later lines of an address block, up to the one with its postcode: short lines with no
#: sentence in them (" Suite 632\n Črni Vrh nad Idrijo\n Slovenia 15755").
_ADDRESS_LINES = regex.compile(
    r"(?:[^\S\n]*[\p{L}\d.,'’()/#-]+){0,6}[^\S\n]*\n"
    r"(?:(?:[^\S\n]*[\p{L}\d.,'’()/#-]+){1,6}[^\S\n]*\n){0,2}"
    r"(?:[^\S\n]*[\p{L}.,'’()-]+)*[^\S\n]*,?[^\S\n]*\d{4,6}\b"
)
#: A sentence ending inside an address block's lines: what follows is no longer the block.
_SENTENCE_BREAK = regex.compile(r"[.!?;]\s")
#: Personal data in the same sentence makes a mention more serious: an email or a long number.
PERSONAL_DATA = regex.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.\w|(?<![\d+])\+?\d(?:[ ()-]?\d){6,}")


def _cue_pattern(words: Sequence[str]) -> regex.Pattern[str]:
    """Compile cue words into one alternation; "word*" matches any ending."""
    parts = []
    for word in longest_first(words):
        stem = word.endswith("*")
        escaped = r"[ \t]+".join(regex.escape(w) for w in word.rstrip("*").split())
        parts.append(escaped + (r"\w*" if stem else r"(?!\w)"))
    return regex.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", regex.IGNORECASE)


#: Tried only where a cue word can start (see :class:`nlp.detectors.cues.CueSet`).
CUES = CueSet([w for group in lexicon()["cues"].values() for w in group], compiler=_cue_pattern)
HANDLE_EXCLUDED = frozenset({"everyone", "here", "channel", "all", "admin", "admins"})
_UNIVERSITY_HANDLE = regex.compile(r"dmu|montfort", regex.IGNORECASE)
#: Entity labels that the gazetteer may overrule for a single capitalised word.
_OVERRULABLE = frozenset({"GPE", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", "LOC", "FAC", "EVENT", "LANGUAGE"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Longest run of name words taken as one name ("Maria de los Angeles Garcia").
MAX_NAME_TOKENS = 5
#: Relations that a firm or a team has too ("Kaspi's manager", "the club's captain").
_WORK_RELATIONS = frozenset(
    {"boss", "manager", "supervisor", "president", "secretary", "assistant", "captain", "dean", "partner",
     "coach", "trainer", "mentor", "advisor", "adviser", "senior", "junior", "student", "students", "ta",
     "colleague", "colleagues", "coworker", "co-worker", "instructor", "teacher", "tutor", "lecturer",
     "professor", "prof", "doctor", "landlord", "landlady", "kid", "kids", "child", "children", "baby"}
)
#: Copulas before a noun for a person: "Dana is our tutor".
COPULAS = frozenset({"is", "was", "are", "were"})
#: Words that may follow that noun and end its phrase: "a student at DMUK", "engineers who".
_PHRASE_AFTER_NOUN = frozenset(
    {"at", "in", "of", "for", "from", "who", "and", "with", "on", "to", "too", "now"}
)
_SENTENCE_END = frozenset({".", "!", "?", "…", ":", ";"})
#: Pronouns only a person (or a pet) takes: "Shovda is very reliable. You can depend on him."
_PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself"})
#: How far back from such a pronoun the sentence that opens with its referent may start.
_PRONOUN_REACH = 40
#: What may end a name said right after "said": "said Maslin to Antonio", "said Maslin."
_AFTER_SPEAKER = frozenset({"to", ",", ".", "!", "?", ";", "…"})
_NAMING_WORDS = frozenset({"called", "named"})
_WORK_FOR = frozenset({"work", "works", "worked", "working"})


@dataclass(slots=True)
class _Mark:
    """Why a token was taken for part of a name."""

    pattern: str
    score: float


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    type: str
    pattern: str
    score: float
    replacement: str


def _title_case(text: str) -> bool:
    """Return True for "Timur", "O'Brien", "Айгерім"; False for "TIMUR", "timur", "3D"."""
    if len(text) < 2 or not text[0].isupper():
        return False
    rest = text[1:]
    return any(ch.islower() for ch in rest) and all(ch.isalpha() or ch in "'’-" for ch in rest)


def _has_digit(token: Token) -> bool:
    return any(ch.isdigit() for ch in token.text)


def _initial(token: Token) -> bool:
    """Return True for a middle initial: "J" or "J."."""
    t = token.text
    return (len(t) == 1 and t.isupper()) or (len(t) == 2 and t[0].isupper() and t[1] == ".")


class ThirdPartyDetector(Detector):
    """Flag people other than the author, named or tagged in a post."""

    category = "third_party"
    name = "third_party"
    needs_ner = True

    def __init__(self) -> None:
        lex = lexicon()
        self.not_names = word_set("not_names")
        self.place_words = word_set("place_words")
        self.ambiguous_place_words = word_set("ambiguous_place_words")
        self.place_words_before = word_set("place_words_before")
        self.location_prepositions = word_set("location_prepositions")
        self.place_verbs = word_set("place_verbs")
        self.relations = word_set("relations")
        self.relations_self = word_set("relations_self")
        self.possessives = word_set("possessives")
        self.relation_modifiers = word_set("relation_modifiers")
        self.conjunctions = frozenset(lex["conjunctions"]) | {","}
        self.contact_verbs = word_set("contact_verbs")
        self.person_verbs_after = word_set("person_verbs_after")
        self.works_after_name = word_set("works_after_name")
        self.person_nouns = word_set("person_nouns") | self.relations
        self.roles_before_name = word_set("roles_before_name")
        self.organisation_nouns = word_set("organisation_nouns")
        #: "directed by" as {"directed": ("by",)}; "starring" as {"starring": ()}.
        credits = map(str.split, word_set("credits_before_name"))
        self.credits = {words[0]: tuple(words[1:]) for words in credits}
        #: Relations that only a person has: "roberto's daughter", not "Kaspi's manager".
        self.kin = self.relations - _WORK_RELATIONS
        #: "said to" and "shouted at" as (verb, preposition); "thanked" alone as (verb, "").
        self.person_verbs_before = frozenset(
            (*phrase.split(), "")[:2] for phrase in word_set("person_verbs_before")
        )
        #: Every word the person-verb pass looks for, to find its places in one sweep.
        self.person_verb_words = (
            self.person_verbs_after
            | {verb for verb, _ in self.person_verbs_before}
            | self.works_after_name
            | self.roles_before_name
            | self.kin
            | COPULAS
            | _NAMING_WORDS
            | self.credits.keys()
        )
        self.lower_case_cues = self.contact_verbs | self.relations | self.relations_self | {","}

    # -- entry point -------------------------------------------------------------------------

    def detect(self, doc: Doc) -> list[Finding]:
        """Return a finding for each person named, titled or tagged in ``doc``."""
        text = text_of(doc)
        titled = list(self._titled(doc))
        handles = list(self._handles(text))
        marks = self._mark_names(doc)
        fields = [*self._name_fields(text, folded_of(doc)), *self._speakers(text), *self._contact_card(doc)]
        mentions = self._merge(doc, marks, [*titled, *fields], handles)
        mentions = self._outside_firms(text, self._outside_addresses(doc, mentions))
        if not mentions:
            return []
        bounds = sentences(text)
        cue_starts = sorted(
            [m.start() for m in CUES.finditer(memo(doc, "cue_index", cue_index))]
            + [m.start() for m in finditer(PERSONAL_DATA, text)]
        )
        return [
            self.finding(
                m.start,
                m.end,
                m.type,
                self._severity(m, bounds, cue_starts),
                m.pattern,
                score=m.score,
                replacement=m.replacement,
            )
            for m in mentions
        ]

    # -- patterns over the text --------------------------------------------------------------

    def _titled(self, doc: Doc) -> Iterable[_Mention]:
        """Yield "Dr Michael Turner", "профессор Омарова", "Сауле апай"."""
        text = text_of(doc)
        for match in finditer(TITLED, text):
            title = match.group(1)
            spans = [(w.start(), w.end()) for w in _WORD.finditer(match.group(2))]
            words = self._name_words([match.group(2)[a:b] for a, b in spans])
            if not words:
                continue
            end = match.start(2) + spans[len(words) - 1][1]
            if title == "Miss" and self._is_place(doc, match.start(2), end):
                continue  # "Miss Almaty" is a pageant, not a person
            yield _Mention(
                match.start(),
                end,
                "titled_name",
                "title_before_name",
                0.9,
                f"{title} {initials(words[-1:])}",
            )
        for match in finditer(HONORIFIC_AFTER, text):
            word = match.group(1)
            if word.lower() in self.not_names or self._is_place(doc, match.start(1), match.end(1)):
                continue
            yield _Mention(
                match.start(),
                match.end(),
                "titled_name",
                "honorific_after_name",
                0.85,
                f"{initials([word])} {match.group(2)}",
            )

    def _name_fields(self, text: str, folded: str) -> Iterable[_Mention]:
        """Yield the value of a name field or statement: "Name: Ana Dias", "surname is Baba";
        ``folded`` is ``fold(text)``."""
        if "name" not in folded:  # every form of the field holds the word: no scan
            return
        for match in finditer(NAME_FIELD, text):
            words = match.group(1).split()
            if any(w.lower().rstrip(".") in self.not_names for w in words):
                continue
            if ":" not in match.group(0) and not all(_title_case(w) or _initial_text(w) for w in words):
                continue  # in prose a name is capitalised: "her surname is Nyberg", not "is unknown"

            yield _Mention(match.start(1), match.end(1), "person", "name_field", 0.85, initials(words))

    def _speakers(self, text: str) -> list[_Mention]:
        """Return the speakers of a transcript whose labels are known first names or open a quote."""
        labels = list(finditer(SPEAKER, text))
        if len(labels) < MIN_SPEAKER_LINES:
            return []
        known = [
            gazetteer().tier(m.group(1)) is not None or text[m.end() : m.end() + 1] in ('"', "“")
            for m in labels
        ]
        # Once two speakers are people, so are the others, unless their labels are ordinary words.
        dialogue = sum(known) >= MIN_SPEAKER_LINES
        found = []
        for match, is_known in zip(labels, known, strict=True):
            word = match.group(1)
            if word.lower() in self.not_names:
                continue
            if is_known or (dialogue and _title_case(word) and not common_word(word)):
                found.append(
                    _Mention(match.start(1), match.end(1), "person", "speaker_label", 0.75, initials([word]))
                )
        return found

    def _contact_card(self, doc: Doc) -> list[_Mention]:
        """Return the name that heads a contact card or signature: a first line of two to four
        name words, above lines that give an address, a phone number or an e-mail address."""
        text = text_of(doc)
        head = CARD_HEAD.match(text)
        if head is None:
            return []
        words = head.group("name").split()
        if any(w.lower().rstrip(".") in self.not_names or w.lower() in self.place_words for w in words):
            return []
        first_name = gazetteer().tier(words[0]) is not None
        if not first_name and not all(_title_case(w) and not common_word(w) for w in words if len(w) > 2):
            return []
        rest = head.end()
        details = finditer(PERSONAL_DATA, text, rest) if rest < len(text) else iter(())
        if next(details, None) is None and not any(a.start >= rest for a in addresses_in(doc)):
            return []
        name = head.group("name")
        found = []
        for match in finditer(CARD_LINE, text):  # the name again on a later line of the card
            if match.group("name") == name:
                start, end = match.span("name")
                found.append(_Mention(start, end, "person", "contact_card", 0.8, initials(words)))
        return found

    def _outside_firms(self, text: str, mentions: list[_Mention]) -> list[_Mention]:
        """Drop names that are part of a firm named after its partners ("Jones, Mitchell and Williams")."""
        if not mentions:
            return mentions
        firms = []
        for match in finditer(FIRM, text):
            after = match.group(4)  # a capitalised word after the third: "… and Hall Orchestra"
            if after is not None and after.lower() not in self.place_words:
                continue  # "…, Lee and Anna Park": the last is a first name, so these are people
            names = sum(gazetteer().tier(match.group(g)) is not None for g in (1, 2, 3))
            if names <= 1:
                firms.append((match.start(), match.end()))
        if not firms:
            return mentions
        starts = [s for s, _ in firms]

        def inside(m: _Mention) -> bool:
            k = bisect_right(starts, m.start) - 1
            return k >= 0 and m.end <= firms[k][1]

        return [m for m in mentions if m.type != "person" or not inside(m)]

    @staticmethod
    def _outside_addresses(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
        """Drop names that lie inside a street address: they name streets, towns and regions."""
        if not mentions:
            return mentions
        spans = [(a.start, a.end) for a in addresses_in(doc) if a.score >= ADDRESS_SCORE]
        if not spans:
            return mentions
        starts = [s for s, _ in spans]  # addresses come in text order and do not overlap
        text = text_of(doc)

        def inside(m: _Mention) -> bool:
            k = bisect_right(starts, m.start) - 1
            if k < 0:
                return False
            end = spans[k][1]
            if m.end <= end:
                return True
            # A name right after an address on its line is its town, region or country ("…
            # CHARLEROI Victoria", "…, Leicester, England"), and so is one on the block's later
            # lines down to its postcode ("… Suite 632\n Črni Vrh nad Idrijo\n Slovenia 15755").
            tail = _ADDRESS_TAIL.match(text, end, m.start)
            if tail is not None and tail.end() == m.start and _clause_ends(text, m.end):
                return True
            block = _ADDRESS_LINES.match(text, end)
            if block is None or m.end > block.end():
                return False
            return _SENTENCE_BREAK.search(text, end, m.start) is None

        return [m for m in mentions if m.type != "person" or not inside(m)]

    def _name_words(self, candidates: list[str]) -> list[str]:
        """Keep the leading words of a titled name that can be names; drop trailing initials."""
        words: list[str] = []
        for word in candidates:
            low = word.lower().rstrip(".")
            if low in self.not_names or low in self.place_words:
                break
            words.append(word)
        while words and words[-1].endswith("."):
            words.pop()
        return words

    @staticmethod
    def _is_place(doc: Doc, start: int, end: int) -> bool:
        span = doc.char_span(start, end, alignment_mode="expand")
        return span is not None and any(t.ent_type_ in _PLACE_LABELS for t in span)

    @staticmethod
    def _handles(text: str) -> Iterable[_Mention]:
        """Yield account tags, except @everyone-style mentions and the university's own accounts."""
        for match in finditer(HANDLE, text):
            handle = match.group(1).rstrip(".")
            if handle.lower() in HANDLE_EXCLUDED or _UNIVERSITY_HANDLE.search(handle):
                continue
            letter = next((ch for ch in handle if ch.isalpha()), "")
            yield _Mention(
                match.start(),
                match.start(1) + len(handle),
                "handle",
                "account_tag",
                0.95,
                f"{letter.upper()}." if letter else "",
            )

    # -- marking name tokens -----------------------------------------------------------------

    def _mark_names(self, doc: Doc) -> dict[int, _Mark]:
        marks: dict[int, _Mark] = {}
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                for token in self._person_tokens(doc, ent):
                    marks.setdefault(token.i, _Mark("ner_person", 0.85))
        lower = ""
        for token in doc:
            previous, lower = lower, token.lower_  # the previous token and this one, lower-cased
            if token.i in marks:
                continue
            if not _title_case(token.text):
                if previous in self.lower_case_cues and self._lower_case_name(doc, token):
                    marks[token.i] = _Mark("lower_case_name", 0.6)
                continue
            after_relation = self._after_relation(doc, token.i)
            if is_cyrillic(token.text):
                if self._cyrillic_name(doc, token, after_relation):
                    marks[token.i] = _Mark("relation_word" if after_relation else "russian_name", 0.8)
            elif after_relation and self._may_be_name(doc, token):
                marks[token.i] = _Mark("relation_word", 0.8)
            else:
                mark = self._gazetteer_mark(doc, token)
                if mark is not None:
                    for i in mark[0]:
                        marks.setdefault(i, mark[1])
        self._person_verbs(doc, marks)
        self._extend_surnames(doc, marks)
        self._extend_coordination(doc, marks)
        self._name_lists(doc, marks)
        self._pronoun_subjects(doc, marks)
        self._repeated_surnames(doc, marks)
        self._drop_organisations(doc, marks)
        return marks

    def _pronoun_subjects(self, doc: Doc, marks: dict[int, _Mark]) -> None:
        """Mark an unknown capitalised word that opens a sentence, when "he" or "she" follows in
        that sentence or the next with no other person between: "Shovda is very reliable. You
        can always depend on him.", "Ley began writing as a teenager, publishing her first story"."""
        lowers = _lowers(doc)
        done = -1
        for k in [k for k, word in enumerate(lowers) if word in _PERSONAL_PRONOUNS]:
            ends = 0
            j = k - 1
            while j > done and k - j <= _PRONOUN_REACH and ends < 2:
                token = doc[j]
                if j in marks or lowers[j] in self.person_nouns or lowers[j] in _PERSONAL_PRONOUNS:
                    break  # someone else the pronoun may refer to
                if token.text in _SENTENCE_END or "\n" in token.text:
                    ends += 1
                elif (
                    _name_form(token.text)
                    and j + 1 < len(doc)
                    and doc[j + 1].is_lower
                    and doc[j + 1].is_alpha
                    and (j == 0 or doc[j - 1].text not in ("#", "@"))
                    and self._sentence_start(doc, j)
                    and self._unlabelled_name(doc, token, organisation=True, labelled=False)
                ):
                    marks[j] = _Mark("pronoun_subject", 0.6)
                    break
                j -= 1
            done = k

    def _drop_organisations(self, doc: Doc, marks: dict[int, _Mark]) -> None:
        """Unmark a lone word (hyphens allowed) that the post shows to be an organisation:
        "Transunion is a 501(c)3", "Ramsey-Johnson is an investment bank", "I work for Thinknum",
        "a startup called Thinknum". Known first names stay ("I work for Dana")."""
        lowers = _lowers(doc)
        for run in _runs(marks):
            first, last = run[0], run[-1]
            if any(doc[i].whitespace_ for i in run[:-1]) or any(gazetteer().tier(doc[i].text) for i in run):
                continue
            before = lowers[first - 2 : first] if first >= 2 else []
            worked_for = len(before) == 2 and before[1] == "for" and before[0] in _WORK_FOR
            called = len(before) == 2 and before[1] in _NAMING_WORDS and before[0] in self.organisation_nouns
            if worked_for or called or self._described_as_organisation(doc, last + 1):
                for i in run:
                    del marks[i]

    def _described_as_organisation(self, doc: Doc, k: int) -> bool:
        """Return True when token ``k`` starts "is a [adjectives] <organisation noun>"; not "is a
        student at a bank", where the noun phrase ends at the person."""
        lowers = _lowers(doc)
        if k + 2 >= len(doc) or lowers[k] not in COPULAS or lowers[k + 1] not in ("a", "an"):
            return False
        for j in range(k + 2, min(k + 8, len(doc))):
            if lowers[j] in self.organisation_nouns:
                return True
            if lowers[j] in self.person_nouns or lowers[j] in _PHRASE_AFTER_NOUN:
                return False
            if not (doc[j].is_alpha or doc[j].text == "-"):
                return False
        return False

    def _person_verbs(self, doc: Doc, marks: dict[int, _Mark]) -> None:
        """Mark a capitalised word that does what only people do: "Timotea lives on", "said Maslin",
        "shouted at Tiffany". Places, organisations and ordinary words are left alone."""
        lowers = _lowers(doc)
        for k in [k for k, word in enumerate(lowers) if word in self.person_verb_words]:
            word = lowers[k]
            if word in self.person_verbs_after and k >= 1:
                # "Verda lives on 33 avenue …": what lives at a house number is no place, whatever
                # NER calls it.
                housed = word in ("lives", "lived") and k + 2 < len(doc) and lowers[k + 1] in ("on", "at")
                housed = housed and doc[k + 2].like_num
                self._person_verb_mark(doc, marks, k - 1, organisation=housed, place=housed)
            if (word, "") in self.person_verbs_before:
                self._speaker_after(doc, marks, k)
            if k + 1 < len(lowers) and (word, lowers[k + 1]) in self.person_verbs_before:
                self._person_verb_mark(doc, marks, k + 2, organisation=True)
            if word in self.works_after_name:
                self._author(doc, marks, k)
            if word in self.roles_before_name and doc[k].is_lower:
                self._person_verb_mark(doc, marks, k + 1, organisation=True)  # "songwriter Zoe Young"
            if word in COPULAS:
                self._person_predicate(doc, marks, k)
            if word in self.kin and k >= 2 and lowers[k - 1] in ("'s", "’s"):
                self._kin_of(doc, marks, k - 2)
            if word in self.credits:
                self._credit(doc, marks, k)
            if word in _NAMING_WORDS:
                self._named(doc, marks, k)
        self._middle_initials(doc, marks)

    def _speaker_after(self, doc: Doc, marks: dict[int, _Mark], k: int) -> None:
        """Mark the name after "said", "told", "thanked" (token ``k``). When the name ends the
        clause ("said Maslin to Antonio", "said Maslin.") it is the speaker, even if NER calls
        it a place, and the one spoken "to" is a person too; "said Paris was lovely" stays."""
        lowers = _lowers(doc)
        ended = k + 2 >= len(doc) or lowers[k + 2] in _AFTER_SPEAKER
        self._person_verb_mark(doc, marks, k + 1, organisation=True, place=ended)
        if ended and k + 1 in marks and k + 3 < len(doc) and lowers[k + 2] == "to":
            self._person_verb_mark(doc, marks, k + 3, organisation=True, place=True)

    def _credit(self, doc: Doc, marks: dict[int, _Mark], k: int) -> None:
        """Mark the name after a credit at token ``k``: "Directed By:  Sari J. Paavolainen"."""
        lowers = _lowers(doc)
        j = k + 1
        for word in self.credits[lowers[k]]:
            if j >= len(doc) or lowers[j] != word:
                return
            j += 1
        if j < len(doc) and doc[j].text == ":":
            j += 1
        while j < len(doc) and doc[j].is_space and "\n" not in doc[j].text:
            j += 1
        # Mid-sentence, one word may be a group ("rhymes written by Jihadis"); a credit line
        # ("Written by Mourik") names a person.
        self._name_run(doc, marks, j, "credit", single=self._sentence_start(doc, k))

    def _named(self, doc: Doc, marks: dict[int, _Mark], k: int) -> None:
        """Mark the name a person is called (token ``k`` is "called" or "named"): "my
        grandmother was called Crystal Murdock", "a girl named Dina"; not "a startup called X"."""
        lowers = _lowers(doc)
        j = k - 1
        if j >= 0 and lowers[j] in COPULAS:
            j -= 1
        if j >= 0 and lowers[j] in self.person_nouns:
            self._name_run(doc, marks, k + 1, "named")

    def _name_run(self, doc: Doc, marks: dict[int, _Mark], i: int, pattern: str, single: bool = True) -> None:
        """Mark the one to four capitalised words (and initials) from token ``i`` as a name, after
        a cue that only a person follows. One word (if ``single``) must pass as an unknown name;
        in a longer run no word may be a place or a non-name, and not every word an ordinary one
        ("Sari J. Paavolainen", not "Summer Nights")."""
        run: list[Token] = []
        j = i
        while j < len(doc) and len(run) < 4 and (_title_case(doc[j].text) or _initial(doc[j])):
            if is_cyrillic(doc[j].text):
                return
            run.append(doc[j])
            if doc[j].whitespace_ != " ":
                break
            j += 1
        while run and _initial(run[-1]):
            run.pop()
        if not run or all(t.i in marks for t in run):
            return
        words = [t for t in run if not _initial(t)]
        if len(words) == 1:
            passes = single and self._unlabelled_name(doc, words[0], organisation=True, labelled=False)
        else:
            passes = all(
                t.ent_type_ not in _PLACE_LABELS and self._may_be_name(doc, t) for t in words
            ) and not all(common_word(t.text) for t in words)
        if passes:
            for t in run:
                marks.setdefault(t.i, _Mark(pattern, 0.65))

    def _kin_of(self, doc: Doc, marks: dict[int, _Mark], i: int) -> None:
        """Mark the one whose family or friend is named: "roberto's daughter", "Maslin's wife"."""
        token = doc[i]
        if i in marks or is_cyrillic(token.text) or not token.is_alpha:
            return
        if _title_case(token.text):
            if self._unlabelled_name(doc, token):
                marks[i] = _Mark("kin_of", 0.65)
        elif token.is_lower and gazetteer().tier(token.text) is not None and self._may_be_name(doc, token):
            marks[i] = _Mark("kin_of", 0.6)

    def _person_predicate(self, doc: Doc, marks: dict[int, _Mark], k: int) -> None:
        """Mark the capitalised subject of "is/were" + a noun only a person is: "Dana is our tutor",
        "Usamov and Bowers were precision engineers". The noun must end its phrase ("a student
        loan" is no person) and every word of the subject must pass as an unknown name."""
        j = k + 1
        while j < len(doc) and j - k <= 5 and (doc[j].is_lower or doc[j].text == "-"):
            if doc[j].lower_ in self.person_nouns:
                break
            j += 1
        if j >= len(doc) or doc[j].lower_ not in self.person_nouns:
            return
        if j + 1 < len(doc) and (doc[j + 1].is_alpha or doc[j + 1].text in ("'s", "’s", "-")):
            if doc[j + 1].lower_ not in _PHRASE_AFTER_NOUN:
                return
        subject: list[int] = []
        i = k - 1
        while i >= 0 and k - i <= 6:
            if _title_case(doc[i].text) and not is_cyrillic(doc[i].text):
                subject.append(i)
            elif not (doc[i].lower_ in ("and", "&") and subject and i >= 1 and _title_case(doc[i - 1].text)):
                break
            i -= 1
        if subject and all(
            i in marks or self._unlabelled_name(doc, doc[i], organisation=True) for i in subject
        ):
            for i in subject:
                marks.setdefault(i, _Mark("person_predicate", 0.65))

    def _middle_initials(self, doc: Doc, marks: dict[int, _Mark]) -> None:
        """Mark "Faina D. Yefremova", "Brad L Key": two unknown capitalised words around a middle
        initial read as a person, whatever NER calls them (often an organisation)."""
        lowers = _lowers(doc)
        for i in [i for i, word in enumerate(lowers) if 0 < i < len(lowers) - 1 and len(word) <= 2]:
            token = doc[i]
            if not _initial(token) or token.text in ("I", "A") or i in marks:
                continue
            first, last = doc[i - 1], doc[i + 1]
            if first.whitespace_ != " " or token.whitespace_ != " ":
                continue
            if all(
                _title_case(t.text)
                and not is_cyrillic(t.text)
                and (t.i in marks or self._initialled_word(doc, t))
                for t in (first, last)
            ):
                for t in (first, token, last):
                    marks.setdefault(t.i, _Mark("middle_initial", 0.7))

    def _person_verb_mark(
        self, doc: Doc, marks: dict[int, _Mark], i: int, organisation: bool, place: bool = False
    ) -> None:
        # After "said" or "shouted at" even a word NER calls an organisation is a person
        # ("Kaspi said" is a firm's statement; "shouted at Kaspi" is no firm's).
        if i >= len(doc) or i in marks:
            return
        token = doc[i]
        if _title_case(token.text) and not is_cyrillic(token.text):
            if self._unlabelled_name(doc, token, organisation=organisation, place=place):
                marks[i] = _Mark("person_verb", 0.65)

    def _author(self, doc: Doc, marks: dict[int, _Mark], k: int) -> None:
        """Mark the one to three capitalised words between "the" or "a" and a work named after
        its author or performer (token ``k``): "the Sokolov novel", "a Calquín Cazares concert"."""
        j = k - 1
        while j >= 0 and k - j <= 3 and _title_case(doc[j].text) and not is_cyrillic(doc[j].text):
            j -= 1
        words = range(j + 1, k)
        if not words or j < 0 or doc[j].lower_ not in ("the", "a", "an", "this", "that"):
            return
        # NER calls such a name an organisation ("the Sokolov novel": ORG), so that is allowed;
        # an English word is not ("the Gothic novel", "the Spring concert").
        if all(
            i not in marks
            and not english_word(doc[i].text)
            and self._unlabelled_name(doc, doc[i], organisation=True, labelled=False)
            for i in words
        ):
            for i in words:
                marks[i] = _Mark("author_of_work", 0.65)

    def _unlabelled_name(
        self, doc: Doc, token: Token, organisation: bool = False, labelled: bool = True, place: bool = False
    ) -> bool:
        """Return True when a capitalised word may be a name NER and the gazetteer do not know;
        with ``organisation`` (``place``), also when NER calls it an organisation (a place);
        without ``labelled``, not when NER calls it anything else (a nationality, a product...)."""
        label = token.ent_type_
        if (label in _PLACE_LABELS and not place) or (label == "ORG" and not organisation):
            return False
        if not labelled and label not in ("", "PERSON", "WORK_OF_ART", "ORG"):
            return False
        low = token.lower_
        return not (low in gazetteer().excluded or common_word(token.text)) and self._may_be_name(doc, token)

    def _name_lists(self, doc: Doc, marks: dict[int, _Mark]) -> None:
        """Mark the words of a list of three or more that are nearly all names, any case:
        "they had 6: silvana, adam, kristina and caleb", "Matheus, Janet, Nicholas and Terri"."""
        lowers = _lowers(doc)
        done = -1  # the last token of the last list read
        # A list goes on after its first item: try only the words before a comma or an "and".
        for start in [k - 1 for k, word in enumerate(lowers) if k and word in self.conjunctions]:
            if start <= done:
                continue
            items = self._list_at(doc, start)
            if len(items) < 3:
                continue
            done = items[-1]
            named = [j for j in items if j in marks or gazetteer().tier(doc[j].text) is not None]
            # After a noun for people and a colon ("our 3 founders: Morrison, Rogers and Torres")
            # the items are people even when NER calls them organisations or works.
            headed = self._people_heading(doc, items[0])
            if headed or (len(named) >= 2 and len(named) >= len(items) - 1):
                for j in items:
                    if j in marks:
                        continue
                    # Among three names or more, one word more is a name too, even one that is
                    # also an ordinary word ("silvana, adam, christopher, kristina, chad and
                    # caleb"), if it is ever spelt as a name: not "Anna, Tom, Dana and others".
                    if (
                        j in named
                        or self._unlabelled_name(doc, doc[j], organisation=headed)
                        or (len(named) >= 3 and proper_noun(doc[j].text) and self._may_be_name(doc, doc[j]))
                    ):
                        marks[j] = _Mark("name_list", 0.65)

    def _initialled_word(self, doc: Doc, token: Token) -> bool:
        """Return True for a word around a middle initial that may be a name: as
        :meth:`_unlabelled_name`, but first names that are also rarer words pass ("Brad L Key")."""
        if token.ent_type_ in _PLACE_LABELS or common_word(token.text):
            return False
        return self._may_be_name(doc, token)

    def _people_heading(self, doc: Doc, i: int) -> bool:
        """Return True when a list at token ``i`` follows a noun for people and a colon."""
        return i >= 2 and doc[i - 1].text == ":" and doc[i - 2].lower_ in self.person_nouns

    def _list_at(self, doc: Doc, i: int) -> list[int]:
        """Return the one-word items of a list starting at token ``i`` ("a, b, c and d"), or []."""
        items: list[int] = []
        j = i
        while j < len(doc) and doc[j].is_alpha and doc[j].lower_ not in self.conjunctions:
            items.append(j)
            k = j + 1
            if k < len(doc) and doc[k].text == ",":
                k += 1
            if k < len(doc) and doc[k].lower_ in self.conjunctions and doc[k].text != ",":
                k += 1
            if k == j + 1:  # no separator: the list ends here
                break
            j = k
        return items

    def _repeated_surnames(self, doc: Doc, marks: dict[int, _Mark]) -> None:
        """Mark a surname used alone after the full name ("directed by Anna Berg, starring Berg")."""
        surnames = {
            doc[i].text
            for i in marks
            if i - 1 in marks and i + 1 not in marks and _title_case(doc[i].text) and doc[i].is_alpha
        }
        if not surnames:
            return
        for token in doc:
            if token.i not in marks and token.text in surnames and self._may_be_name(doc, token):
                marks[token.i] = _Mark("repeated_surname", 0.7)

    def _person_tokens(self, doc: Doc, ent: Span) -> list[Token]:
        """Return the tokens of a PERSON entity that are really a name, or none."""
        if any(t.like_email or t.like_url or "@" in t.text or _has_digit(t) for t in ent):
            return []
        if any(t.lower_ in self.place_words and _title_case(t.text) for t in ent):
            return []  # "Gordon Terrace", "Astana Opera", "Hall Orchestra"
        tokens = _before_newline(t for t in ent if not is_cyrillic(t.text))  # pymorphy reads Cyrillic
        # Strip what spaCy glues to names: greetings, titles, punctuation, possessive 's, and
        # lower-case words before or after a capitalised name ("ex-Zombie Lundberg").
        cased = any(_title_case(t.text) for t in tokens)

        def edge(t: Token) -> bool:
            return t.lower_ in self.not_names or not t.is_alpha or (cased and not _title_case(t.text))

        while tokens and edge(tokens[0]):
            tokens.pop(0)
        while tokens and edge(tokens[-1]):
            tokens.pop()
        if not tokens or any(t.lower_ in self.not_names for t in tokens):
            return []
        if all(common_word(t.text) for t in tokens):
            return []  # "words like Wisdom and Discipline", "Guilty Pleasures": ordinary words capitalised
        if self._place_context(doc, tokens[0].i, before_only=True) or self._place_context(doc, tokens[-1].i):
            return []  # "Sultan Beibarys street", "улица Абая"
        if len(tokens) == 1 and self._after_place_verb(doc, tokens[0].i):
            return []  # "arrived at Lendava", "originally from Eckenroth"
        if tokens[0].i and _has_digit(doc[tokens[0].i - 1]):
            return []  # a street after its house number: "6750 Koskikatu"
        capitalised = [t for t in tokens if _title_case(t.text) or _initial(t)]
        if not capitalised:
            # Lower-case names are kept only when the first word is a known first name, and end
            # at the first English word after it ("dana later": dana).
            if gazetteer().tier(tokens[0].text) is None:
                return []
            end = 1
            while end < len(tokens) and self._lower_case_surname(tokens[end]):
                end += 1
            return tokens[:end]
        if all(t.is_upper for t in tokens):
            return tokens if all(gazetteer().tier(t.text) is not None for t in tokens) else []
        return tokens

    def _lower_case_name(self, doc: Doc, token: Token) -> bool:
        """Return True for a lower-case first name where only a person fits: "my flatmate aigerim",
        "text dana", "thanks marat". Words that are also ordinary English words ("will", "mark",
        "grace") are not names to the gazetteer, so "ask will" stays unflagged."""
        i = token.i
        if i == 0 or not (token.is_lower and token.is_alpha) or is_cyrillic(token.text):
            return False
        if doc[i - 1].lower_ not in self.contact_verbs and not self._after_relation(doc, i):
            return False
        return gazetteer().tier(token.text) is not None and self._may_be_name(doc, token)

    def _after_relation(self, doc: Doc, i: int) -> bool:
        """Return True after "my flatmate", "our lecturer", "my best friend", "мой друг", "досым"."""
        j = i - 1
        if j >= 0 and doc[j].text == ",":
            j -= 1
        if j < 0:
            return False
        word = doc[j].lower_
        if word in self.relations_self:
            return True
        if word not in self.relations:
            return False
        k = j - 1
        while k >= 0 and j - k <= 3 and (doc[k].lower_ in self.relation_modifiers or doc[k].text == "-"):
            k -= 1
        return k >= 0 and doc[k].lower_ in self.possessives

    def _may_be_name(self, doc: Doc, token: Token) -> bool:
        """Return True when a capitalised word is not ruled out as a name by its form or context."""
        low = token.lower_
        if low in self.not_names or low in self.place_words or token.like_url or token.like_email:
            return False
        if token.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"):
            return False
        if token.i and _has_digit(doc[token.i - 1]):
            return False  # a street after its house number: "9721 Dalmatinova"
        return not self._place_context(doc, token.i) and not self._after_place_verb(doc, token.i)

    def _after_place_verb(self, doc: Doc, i: int) -> bool:
        """Return True after "arrived at", "originally from", "moved here from", "I am in"."""
        j = i - 1
        if j < 1 or doc[j].lower_ not in ("in", "at", "to", "from", "into"):
            return False
        k = j - 1
        if doc[k].lower_ in ("here", "there", "back", "away") and k >= 1:
            k -= 1  # "moved here from", "flew back to"
        return doc[k].lower_ in self.place_verbs

    def _place_context(self, doc: Doc, i: int, before_only: bool = False) -> bool:
        """Return True when a place word stands next to the word: "Dostyk Avenue", "улица Абая"."""
        if i + 1 < len(doc) and not before_only:
            nxt = doc[i + 1]
            low = nxt.lower_.rstrip(".")
            if low in self.place_words and (not nxt.is_lower or low not in self.ambiguous_place_words):
                return True
        if i >= 1:
            prev = doc[i - 1]
            if prev.text == "." and i >= 2:
                prev = doc[i - 2]
            if prev.lower_ in self.place_words_before and not (prev.is_lower and prev.lower_ in ("st", "mt")):
                return True
        return False

    def _cyrillic_name(self, doc: Doc, token: Token, after_relation: bool) -> bool:
        if token.lower_ in self.not_names or self._place_context(doc, token.i):
            return False
        return cyrillic_reading(token.text).is_name(self._sentence_start(doc, token.i), after_relation)

    def _gazetteer_mark(self, doc: Doc, token: Token) -> tuple[list[int], _Mark] | None:
        """Return the tokens to mark when a capitalised word is a known first name in a fitting place."""
        tier = gazetteer().tier(token.text)
        if tier is None or not self._may_be_name(doc, token):
            return None
        label = token.ent_type_
        if label and label != "PERSON":
            ent = _entity(doc, token.i)
            if len(ent) > 1:
                tokens = self._name_like_entity(ent, token)
                return ([t.i for t in tokens], _Mark("gazetteer_entity", 0.7)) if tokens else None
            if label not in _OVERRULABLE:
                return None
            prev = doc[token.i - 1].lower_ if token.i else ""
            if label in _PLACE_LABELS and prev in self.location_prepositions:
                return None  # "went to Almaty", "from Sofia"
        if token.i + 1 < len(doc) and doc[token.i + 1].like_num:
            return None  # a street named after someone, with its house number: "Erzsébet 12"
        return [token.i], _Mark("gazetteer", 0.75 if tier != INTERNATIONAL else 0.6)

    def _name_like_entity(self, ent: Span, token: Token) -> list[Token]:
        """Return the tokens of a non-person entity that reads as "First [I.] Last", or none."""
        tokens = _before_newline(ent)
        while tokens and not (tokens[-1].is_alpha or _initial(tokens[-1])):
            tokens.pop()  # possessive 's, trailing punctuation or newline
        if not tokens or tokens[0].i != token.i or not 2 <= len(tokens) <= 4:
            return []
        for t in tokens:
            low = t.lower_.rstrip(".")
            if not (_title_case(t.text) or _initial(t)) or low in self.not_names or low in self.place_words:
                return []
        if _initial(tokens[-1]):
            return []
        return tokens

    def _surname_at(self, doc: Doc, i: int) -> bool:
        """Return True when token ``i`` can continue a name as a surname or middle initial."""
        if i >= len(doc):
            return False
        token = doc[i]
        if token.i and doc[token.i - 1].whitespace_ != " ":
            return False
        if _initial(token):
            return self._surname_at(doc, i + 1)
        if not _title_case(token.text) or not self._may_be_name(doc, token):
            return False
        if token.lower_ in gazetteer().excluded:
            return False
        if is_cyrillic(token.text):
            reading = cyrillic_reading(token.text)
            return reading.place <= reading.name or not reading.known
        return True

    def _extend_surnames(self, doc: Doc, marks: dict[int, _Mark]) -> None:
        """Mark the capitalised word after a name (and a middle initial) as its surname."""
        for i in sorted(marks):
            mark = marks[i]
            j = i + 1
            if j in marks:
                continue
            if j < len(doc) and _initial(doc[j]) and self._surname_at(doc, j):
                marks[j] = mark
                j += 1
            if j < len(doc) and j not in marks and self._surname_at(doc, j):
                if doc[j].ent_type_ in ("", "PERSON", *_OVERRULABLE) and not self._sentence_start(doc, j):
                    marks[j] = mark
            elif mark.pattern == "lower_case_name" and j < len(doc) and self._lower_case_surname(doc[j]):
                marks[j] = mark  # "follow up with patricia desrosiers"

    @staticmethod
    def _lower_case_surname(token: Token) -> bool:
        """Return True for a lower-case word after a lower-case first name that is no ordinary
        English word: "desrosiers", "ryan", not "later"."""
        text = token.text
        return token.is_lower and token.is_alpha and not ordinary_word(text) and not is_cyrillic(text)

    def _extend_coordination(self, doc: Doc, marks: dict[int, _Mark]) -> None:
        """Mark a word joined to a name: "Aidana and Timur", "Asem, Dias and Timur"."""
        todo = deque(sorted(marks))
        while todo:
            i = todo.popleft()
            for j, joint in ((i + 2, i + 1), (i - 2, i - 1)):
                if not (0 <= j < len(doc)) or j in marks or joint in marks:
                    continue
                if doc[joint].lower_ in self.conjunctions and self._coordinated_name(doc, doc[j]):
                    marks[j] = _Mark("coordinated_name", 0.7)
                    todo.append(j)

    def _coordinated_name(self, doc: Doc, token: Token) -> bool:
        """Return True for a capitalised word next to a name that spaCy or the gazetteer backs up.

        spaCy often tags one of two joined names as a place or organisation ("Aidana" GPE);
        an untagged word needs the gazetteer ("Timur and Friends" is not two people).
        """
        if not _title_case(token.text) or not self._may_be_name(doc, token):
            return False
        if token.lower_ in gazetteer().excluded:
            return False
        if is_cyrillic(token.text):
            return cyrillic_reading(token.text).is_name(False, context=True)
        if not token.ent_type_:
            return gazetteer().tier(token.text) is not None
        ent = _entity(doc, token.i)
        if len(ent) > 1 or (token.ent_type_ != "PERSON" and token.ent_type_ not in _OVERRULABLE):
            return False
        prev = doc[token.i - 1].lower_ if token.i else ""
        return not (token.ent_type_ in _PLACE_LABELS and prev in self.location_prepositions)

    @staticmethod
    def _sentence_start(doc: Doc, i: int) -> bool:
        """Return True when only punctuation or symbols stand between the token and a sentence end."""
        j = i - 1
        while j >= 0:
            t = doc[j]
            if "\n" in t.text or t.text in _SENTENCE_END or t.text[-1:] in "!?…":
                return True
            if any(ch.isalnum() for ch in t.text):
                return False
            j -= 1
        return True

    # -- from marks to mentions --------------------------------------------------------------

    def _merge(
        self, doc: Doc, marks: dict[int, _Mark], titled: list[_Mention], handles: list[_Mention]
    ) -> list[_Mention]:
        """Join adjacent name tokens into mentions; titles and tags win over the names they hold."""
        runs: list[list[int]] = []
        for i in sorted(marks):
            joined = runs and runs[-1][-1] == i - 1 and len(runs[-1]) < MAX_NAME_TOKENS
            if joined and doc[i - 1].whitespace_ in (" ", ""):
                runs[-1].append(i)  # "Sophie Clarke", "Ramsey-Johnson"
            else:
                runs.append([i])
        people = []
        for run in runs:
            tokens = [doc[i] for i in run]
            while tokens and not tokens[-1].is_alpha and not _initial(tokens[-1]):
                tokens.pop()
            while tokens and not tokens[0].is_alpha:
                tokens.pop(0)
            if not tokens:
                continue
            best = max((marks[i] for i in run), key=lambda m: m.score)
            people.append(
                _Mention(
                    tokens[0].idx,
                    tokens[-1].idx + len(tokens[-1]),
                    "person",
                    best.pattern,
                    best.score,
                    initials(t.text for t in tokens),
                )
            )
        claims = _Claims(handles)
        person_starts = [p.start for p in people]
        for mention in titled:
            if claims.overlaps(mention):
                continue
            # A titled name takes in a longer name spaCy found around it ("Dr Anna Lee Smith").
            k = bisect_left(person_starts, mention.end)
            if k and people[k - 1].end > mention.start:
                mention.end = max(mention.end, people[k - 1].end)
            claims.add(mention)
        for person in people:
            if not claims.overlaps(person):
                claims.add(person)
        return claims.mentions

    @staticmethod
    def _severity(mention: _Mention, bounds: list[tuple[int, int]], cue_starts: list[int]) -> str:
        """Return "medium" when the mention's sentence carries a judgement, private matter or data.

        ``bounds`` are the sentences in text order, ``cue_starts`` the sorted cue positions.
        """
        for pos in (mention.start, mention.end - 1):
            k = bisect_right(bounds, pos, key=lambda b: b[0]) - 1
            if k < 0 or pos >= bounds[k][1]:
                continue
            s, e = bounds[k]
            in_sentence = bisect_left(cue_starts, e) - bisect_left(cue_starts, s)
            inside = bisect_left(cue_starts, min(e, mention.end)) - bisect_left(
                cue_starts, max(s, mention.start)
            )
            if in_sentence > max(inside, 0):
                return "medium"
        return "low"


class _Claims:
    """Non-overlapping mentions kept in text order, with overlap tests in O(log n)."""

    def __init__(self, mentions: Iterable[_Mention]) -> None:
        self.mentions: list[_Mention] = []
        self.starts: list[int] = []
        for mention in mentions:
            if not self.overlaps(mention):
                self.add(mention)

    def overlaps(self, mention: _Mention) -> bool:
        k = bisect_left(self.starts, mention.end)
        return k > 0 and self.mentions[k - 1].end > mention.start

    def add(self, mention: _Mention) -> None:
        k = bisect_left(self.starts, mention.start)
        self.starts.insert(k, mention.start)
        self.mentions.insert(k, mention)


def _lowers(doc: Doc) -> list[str]:
    """Return the lower-cased text of each token of ``doc``, computed once per Doc.

    Only strings: a memo that held the Doc's tokens would keep the Doc alive in a reference
    cycle past its memory zone, until the garbage collector ran (30 MB more per worker).
    """
    return memo(doc, "lowers", lambda d: [t.lower_ for t in d])


#: A letter three times over ("Ewww"), a laugh or a sigh ("Hahahaha", "Ohh"), or no vowel ("Snd").
_NOT_NAME_FORM = regex.compile(r"(.)\1\1|^(?:[aeiou]?h+[aeiou]?)+$|^h?m+$|^[^aeiouy]+$")


def _name_form(word: str) -> bool:
    """Return True for a word that looks like an unknown name on its own: "Shovda", not
    "Left" (an English word), "Lookin" or "Dat" (spoken forms of one), "Ewww" or "MentionADislike"."""
    if len(word) < 3 or not word[0].isupper() or not word[1:].islower() or not word.isalpha():
        return False
    low = word.lower()
    if is_cyrillic(word) or ordinary_word(word) or _NOT_NAME_FORM.search(low):
        return False
    if low.endswith("in") and ordinary_word(low + "g"):
        return False  # "Lookin", "Havin"
    return not (low.startswith("d") and ordinary_word("th" + low[1:]))  # "Dat", "Dis", "Dem"


def _clause_ends(text: str, i: int) -> bool:
    """Return True when the line, the sentence or the clause ends at ``i`` ("… Upper Austria? I")."""
    j = i
    while j < len(text) and text[j] in " \t\"'’)":
        j += 1
    return j == len(text) or text[j] in "\r\n,.;!?"


def _runs(marks: dict[int, _Mark]) -> list[list[int]]:
    """Return the marked tokens in runs of adjacent tokens."""
    runs: list[list[int]] = []
    for i in sorted(marks):
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _initial_text(word: str) -> bool:
    """Return True for "J" or "J."."""
    return (len(word) == 1 and word.isupper()) or (len(word) == 2 and word[0].isupper() and word[1] == ".")


def _before_newline(tokens: Iterable[Token]) -> list[Token]:
    """Return the tokens up to the first line break: an entity never spans two lines."""
    kept = []
    for token in tokens:
        if "\n" in token.text:
            break
        kept.append(token)
    return kept


def _entity(doc: Doc, i: int) -> Span:
    """Return the entity that token ``i`` belongs to (it must belong to one)."""
    start, end = i, i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]
