"""Personal data in a post: contact details, identity numbers, bank details and passwords.

Policy clauses 4.5.3 and Annex A (privacy, passwords). Numbers are only flagged when their
checksum holds (Luhn for cards, mod-97 for IBANs, the IIN check digit), so order numbers,
prices and random digit runs stay quiet; dates are only dates of birth with a birthday word
next to them; passports need a passport word. Someone else's contact details are rated
higher than the writer's own (see ``personal_data_owner``).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import regex
from spacy.tokens import Doc

from nlp.detectors.base import Detector, finditer, folded_of, holds_any, text_of
from nlp.detectors.kz_iin import is_valid_iin
from nlp.detectors.personal_data_address import addresses_in, run_on
from nlp.detectors.personal_data_financial import is_card_number, is_iban, luhn_ok
from nlp.detectors.personal_data_owner import Owner, OwnerCues
from nlp.detectors.personal_data_phone import find_phones
from nlp.detectors.personal_data_text import first, found
from nlp.finding import Finding

EMAIL = regex.compile(
    r"(?<![\w.%+'-])[A-Za-z0-9][A-Za-z0-9._%+'-]{0,63}@[A-Za-z0-9][A-Za-z0-9-]{0,62}"
    r"(?:\.[A-Za-z0-9][A-Za-z0-9-]{0,62}){1,8}"
)

CARD = regex.compile(r"(?<![\w.,/-])(?<!\d[ -])\d(?:[ -]?\d){11,18}(?![\w]|[ -]?\d)")
CARD_CONTEXT = regex.compile(
    r"(?i:\b(?:card|cc|visa|mastercard|master\s?card|maestro|amex|credit|debit|jcb|unionpay|cvv)\b"
    r"|(?<!\w)(?:карт\w*|кредит\w*|дебет\w*|visa)(?!\w))"
)
IBAN = regex.compile(r"(?<!\w)[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]{4}){2,7}(?:[ ]?[A-Za-z0-9]{1,4})?(?!\w)")
IIN = regex.compile(r"(?<![\w.,/-])\d{12}(?![\w]|[.,/-]\d)")
STUDENT_ID = regex.compile(r"(?<![\w#/-])[Pp]\d{7}(?![\w])")
_STUDENT_CONTEXT = regex.compile(
    r"(?i:\b(?:student|id|number|no|p-?number|dmu)\b|(?<!\w)(?:студент\w*|номер\w*|нөмір\w*)(?!\w))"
)

PASSPORT_WORD = regex.compile(r"(?i:\bpassports?\b|(?<!\w)(?:паспорт\w*|төлқұжат\w*)(?!\w))")
PASSPORT_VALUE = regex.compile(r"(?<![\w-])(?:[A-Z]{1,3}[ ]?\d{6,9}|\d{9,10})(?![\w])")
#: How far a passport number may sit from the word "passport".
PASSPORT_WINDOW = 40

# Months in English, Russian (genitive) and Kazakh.
_MONTHS_EN = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTHS_RU = r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
_MONTHS_KK = r"қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан"
_YEAR = r"(?:19|20)\d{2}"
DATE = regex.compile(
    rf"""
    (?<![\w./-])
    (?:
        (?P<numeric>\d{{1,2}}[./-]\d{{1,2}}[./-](?:{_YEAR}|\d{{2}})|{_YEAR}[./-]\d{{1,2}}[./-]\d{{1,2}})
        (?![\w]|[./-]\d)
      | (?P<dm>\d{{1,2}}(?:st|nd|rd|th)?[ \t]{{1,2}}(?:of[ \t]{{1,2}})?(?:{_MONTHS_EN})\.?
        |\d{{1,2}}[ \t]{{1,2}}(?:{_MONTHS_RU})
        |(?:{_MONTHS_EN})\.?[ \t]{{1,2}}\d{{1,2}}(?:st|nd|rd|th)?)(?![\p{{L}}\d])
        (?P<year>,?[ \t]{{1,2}}{_YEAR}(?:[ \t]?(?:г\.|года|год))?(?![\p{{L}}\d]))?
      | (?P<kk>{_YEAR}[ \t]?(?:ж\.|жылы)?[ \t]{{1,2}}\d{{1,2}}[ \t]{{1,2}}(?:{_MONTHS_KK})\w{{0,4}})
    )
    """,
    regex.VERBOSE | regex.IGNORECASE,
)
DOB_WORD = regex.compile(
    r"(?i:\b(?:born|birthday|b-day|bday|birth\s?date|date\s+of\s+birth|d\.?o\.?b\.?|dob)\b"
    r"|(?<!\w)(?:д\.\s?р\.?|д/р|дата\s+рождения|день\s+рождения|днюха|родил(?:ся|ась|ись)|"
    r"рождени\w*|туған\s+күн\w*|туылған\w*|туылды\w*|туған\w*)(?!\w))"
)
# For a date without a year the birthday word must be right before it ("born on 5 May").
_DOB_ADJACENT = regex.compile(
    r"(?i:(?:born|birthday|bday|b-day|dob|д\.\s?р\.?|родил(?:ся|ась)|туған\s+күн\w*)"
    r"(?:[ \t]{1,2}(?:is|was|on|:|-|—|это)){0,2}[ \t:]{0,3})$"
)
DOB_WINDOW = 50
#: What every match of ``DOB_WORD`` and ``_DOB_ADJACENT`` holds, folded (``d.o`` and ``do.b``
#: for "d.o.b", "d.ob", "do.b"). A date counts only next to one of them, so a text with none
#: is not scanned for dates (``tests/nlp/test_scan_gates.py`` holds the list to the patterns).
DOB_NEEDS = (
    "born", "birth", "b-day", "bday", "dob", "d.o", "do.b",
    "д.", "д/р", "днюх", "родил", "рождени", "туған", "туыл",
)  # fmt: skip
_SENTENCE_BREAK = regex.compile(r"[.!?](?=\s+\p{Lu})|\n")
_CLAUSE_BREAK = regex.compile(r"[,.;!?\n]")

CREDENTIAL = regex.compile(
    r"""
    (?<!\w)
    (?P<kw>
        (?P<pin>(?i:pin(?:[ \t]?code)?|пин(?:-?код)?|(?:door|gate|entry|lock|locker|safe|alarm)
              [ \t]code|код[ \t](?:от[ \t])?(?:двери|домофона|подъезда)))
      | (?P<pass>(?i:pass|login[ \t]?/[ \t]?pass))
      | (?i:password|passwd|passcode|pass[ \t]?code|pwd|pw|пароль|пароля|паролем|құпия[ \t]?сөз\w{0,4})
    )
    (?!\w)
    (?P<via>[ \t]{1,3}(?i:for|to|of|on|от|для|к)[ \t]{1,3}[\w.-]{1,30}(?:[ \t]{1,3}[\w.-]{1,30}){0,2})?
    (?P<sep>[ \t]{0,3}(?:(?i:is|was|=|:|-|—|–|это)[ \t]{0,3}){1,2}|[ \t]{1,3})
    (?P<value>[^\s]{3,64})
    """,
    regex.VERBOSE,
)
#: What the keyword of every ``CREDENTIAL`` match holds, folded: a text with none of them is
#: not scanned for credentials.
CREDENTIAL_NEEDS = ("pin", "пин", "code", "код", "pass", "pw", "парол", "құпия")
_SECRET_STOPWORDS = frozenset(
    """
    a an the my your his her our their its is was not so too very same still just really
    wrong incorrect correct right expired weak strong required invalid changed reset saved
    stored secure safe easy hard simple long short different new old all only what that this
    it something nothing mine yours hers ours theirs like less more case sensitive hidden
    private public secret known shared leaked compromised used forgotten lost being been now
    also please pls and or but if then when manager managers protected protection reset
    recovery change changes field fields hint hints policy rules requirement requirements
    and for with without from here there below above attached sent literally basically
    probably definitely actually literally kinda honestly again twice once everywhere
    неверный неправильный правильный слишком такой тот же не от для был была это мой твой
    его её ее наш сложный простой новый старый
    """.split()
)
_TRAILING_PUNCT = ".,;:!?)]}\"'»”’…"


@dataclass(frozen=True, slots=True)
class Hit:
    """A raw detection before it becomes a ``Finding``."""

    start: int
    end: int
    type: str
    pattern: str
    score: float = 0.85


def _emails(text: str) -> Iterator[Hit]:
    for m in finditer(EMAIL, text):
        value = m.group()
        tld = value.rsplit(".", 1)[1]
        if not (tld.isascii() and tld.isalpha() and 2 <= len(tld) <= 24):
            continue
        yield Hit(m.start(), m.end(), "email", "email")


def _cards(text: str) -> Iterator[Hit]:
    for m in finditer(CARD, text):
        raw = m.group()
        groups = raw.replace("-", " ").split(" ")
        # "4 1 1 1 …" and "12-34-56…" are lists, not card numbers written by a person.
        if len(groups) > 1 and min(len(g) for g in groups) < 3:
            continue
        digits = "".join(groups)
        if is_card_number(digits):
            yield Hit(m.start(), m.end(), "payment_card", "luhn")
        elif luhn_ok(digits) and len(set(digits)) > 2:
            # Prefixes and lengths outside the table (12-digit Maestro, new ranges) are
            # believed only when the post talks about a card.
            near = text[max(0, m.start() - 60) : m.start()]
            if found(CARD_CONTEXT, near):
                yield Hit(m.start(), m.end(), "payment_card", "luhn+card-word", 0.7)


def _ibans(text: str) -> Iterator[Hit]:
    for m in finditer(IBAN, text):
        raw = m.group()
        # The last group may be a word that follows the IBAN ("… ATM"); retry without it.
        for _ in range(3):
            if is_iban(raw.replace(" ", "").upper()):
                yield Hit(m.start(), m.start() + len(raw), "iban", "iban-mod97")
                break
            if " " not in raw:
                break
            raw = raw.rsplit(" ", 1)[0]


def _iins(text: str) -> Iterator[Hit]:
    for m in finditer(IIN, text):
        if is_valid_iin(m.group()):
            yield Hit(m.start(), m.end(), "national_id", "kz-iin")


def _student_ids(text: str) -> Iterator[Hit]:
    for m in finditer(STUDENT_ID, text):
        near = text[max(0, m.start() - 40) : m.start()]
        score = 0.85 if found(_STUDENT_CONTEXT, near) else 0.7
        yield Hit(m.start(), m.end(), "student_id", "dmu-p-number", score)


def _passports(text: str) -> Iterator[Hit]:
    seen: set[int] = set()
    for word in finditer(PASSPORT_WORD, text):
        # The nearest number after the word ("passport N12345678"), else the nearest before it.
        lo = max(0, word.start() - PASSPORT_WINDOW)
        after = [
            (word.end() + m.start(), word.end() + m.end())
            for m in finditer(PASSPORT_VALUE, text[word.end() : word.end() + PASSPORT_WINDOW])
        ]
        before = [(lo + m.start(), lo + m.end()) for m in finditer(PASSPORT_VALUE, text[lo : word.start()])]
        spans = after[:1] or before[-1:]
        for start, end in spans:
            if start not in seen:
                seen.add(start)
                yield Hit(start, end, "passport", "passport-context")


def _dates_of_birth(text: str) -> Iterator[Hit]:
    this_year = dt.date.today().year
    for m in finditer(DATE, text):
        has_year = bool(m.group("numeric") or m.group("year") or m.group("kk"))
        if m.group("numeric") and not _plausible_numeric_date(m.group("numeric")):
            continue
        if any(int(y) > this_year for y in _four_digit_runs(m.group())):
            continue  # nobody was born next year: a deadline or an exam
        # The birthday word must be in the same sentence before the date, or in the same
        # clause after it ("05/09/2003 is my birthday").
        before = text[max(0, m.start() - DOB_WINDOW) : m.start()]
        breaks = list(finditer(_SENTENCE_BREAK, before))
        if breaks:
            before = before[breaks[-1].end() :]
        if has_year:
            after = text[m.end() : m.end() + 30]
            clause = first(_CLAUSE_BREAK, after)
            after = after[: clause.start()] if clause else after
            if not (found(DOB_WORD, before) or found(DOB_WORD, after)):
                continue
        elif not found(_DOB_ADJACENT, before):
            continue
        yield Hit(m.start(), m.end(), "date_of_birth", "date+birth-word", 0.85 if has_year else 0.6)


def _four_digit_runs(value: str) -> list[str]:
    """Return the four-digit numbers (years) written in ``value``."""
    runs = "".join(c if c.isdigit() else " " for c in value).split()
    return [r for r in runs if len(r) == 4]


def _plausible_numeric_date(value: str) -> bool:
    """Return True when a numeric date has a real day and month in either order."""
    parts = [int(p) for p in value.replace(".", "/").replace("-", "/").split("/")]
    if parts[0] > 31:  # year first
        parts = [parts[2], parts[1], parts[0]]
    day, month = parts[0], parts[1]
    return (1 <= day <= 31 and 1 <= month <= 12) or (1 <= month <= 31 and 1 <= day <= 12)


def _credentials(text: str) -> Iterator[Hit]:
    for m in finditer(CREDENTIAL, text):
        value = m.group("value").rstrip(_TRAILING_PUNCT)
        sep = m.group("sep").strip()
        start = m.start("value")
        if len(value) < 3:
            continue
        if m.group("pin"):
            digits = value.rstrip("#*")  # keypad codes end in # or *
            if not (digits.isdigit() and 4 <= len(digits) <= 8):
                continue
        elif m.group("pass") and not any(c in sep for c in ":="):
            continue
        elif not _looks_secret(value, explicit=bool(sep)):
            continue
        yield Hit(start, start + len(value), "credential", "password-context", 0.9)


def _looks_secret(value: str, *, explicit: bool) -> bool:
    """Return True when a word after "password" is the password rather than prose."""
    if value.lower() in _SECRET_STOPWORDS or value.startswith(("http", "www.", "&#", "@")):
        return False
    has_digit = any(c.isdigit() for c in value)
    has_other = any(not c.isalnum() for c in value)
    if explicit:  # "password is X", "pw: X"
        return len(value) >= 4 or has_digit
    # "пароль qwerty123": no "is" or colon, so demand something password-like.
    return has_digit and (any(c.isalpha() for c in value) or has_other or len(value) >= 6)


def _phones(text: str) -> Iterator[Hit]:
    for p in find_phones(text):
        yield Hit(p.start, p.end, "phone", "phonenumbers", p.score)


def _addresses(doc: Doc) -> list[Hit]:
    # Found once per Doc: third_party reads the same addresses to leave street names alone.
    return [Hit(a.start, a.end, "address", "street-address", a.score) for a in addresses_in(doc)]


#: Finders in priority order: where two overlap, the earlier (checksum-backed) one wins.
#: Street addresses come last, from ``_addresses``. Each finder comes with the folded words of
#: which every hit needs one nearby (``()``: none): a text holding none of them is not scanned.
FINDERS: tuple[tuple[Callable[[str], Iterator[Hit]], tuple[str, ...]], ...] = (
    (_credentials, CREDENTIAL_NEEDS),
    (_iins, ()),
    (_cards, ()),
    (_ibans, ()),
    (_emails, ()),
    (_passports, ()),
    (_student_ids, ()),
    (_dates_of_birth, DOB_NEEDS),  # no birthday word, so no date is a date of birth
    (_phones, ()),
)

#: Types whose severity never depends on whose data it is.
ALWAYS_HIGH = frozenset({"payment_card", "iban", "national_id", "passport", "credential"})
#: Types that are worse when they belong to someone else.
OWNER_SENSITIVE = frozenset({"email", "phone", "address", "date_of_birth"})


class PersonalDataDetector(Detector):
    """Flag contact details, identity numbers, bank details and credentials."""

    category = "personal_data"
    name = "personal_data"
    clauses = ("4.5.3", "A.privacy", "A.passwords")

    def detect(self, doc: Doc) -> list[Finding]:
        """Return one finding per piece of personal data in ``doc.text``."""
        text, folded = text_of(doc), folded_of(doc)
        kept: list[Hit] = []
        for finder, needs in FINDERS:
            if needs and not holds_any(folded, needs):
                continue
            # A later finder never overrides an earlier one: "4111 1111 1111 1111" is a card,
            # not also a phone, and an IIN is not also a Maestro number.
            kept = _merge(kept, list(finder(text)))
        kept = _merge(kept, _addresses(doc))
        sensitive = [(h.start, h.end) for h in kept if h.type in OWNER_SENSITIVE]
        cues = OwnerCues(text, sensitive) if sensitive else None
        return [
            self.finding(h.start, h.end, h.type, _severity(h, cues), h.pattern, score=h.score) for h in kept
        ]


    def join(self, text: str, finding: Finding) -> Finding:
        """Grow an address over the town, postcode and country of the next paragraph."""
        if finding.type != "address":
            return finding
        end = run_on(text, finding.end)
        return finding if end == finding.end else replace(finding, end=end)


def _merge(kept: list[Hit], hits: list[Hit]) -> list[Hit]:
    """Add to ``kept`` (sorted, non-overlapping) each hit that overlaps none of it."""
    starts = [k.start for k in kept]
    added: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        i = bisect_left(starts, hit.end)  # kept[:i] start before the hit ends
        if i and kept[i - 1].end > hit.start:
            continue
        if added and added[-1].end > hit.start:
            continue
        added.append(hit)
    return sorted(kept + added, key=lambda h: h.start)


def _severity(hit: Hit, cues: OwnerCues | None) -> str:
    """Rate a hit: bank and identity numbers always high, someone else's contacts high."""
    if hit.type in ALWAYS_HIGH:
        return "high"
    if cues is not None and hit.type in OWNER_SENSITIVE:
        if cues.owner_of(hit.start, hit.end) is Owner.OTHER:
            return "high"
    return "medium"
