"""Phone numbers: a cheap candidate regex finds digit runs, ``phonenumbers`` decides.

Running ``PhoneNumberMatcher`` once per region over a long post is slow, so one linear
pattern picks out phone-shaped runs (7-15 digits with the usual separators) and each
candidate is parsed: as an international number when it starts with + or 00, otherwise for
Kazakhstan, then the UK, then the US. Numbers ``phonenumbers`` calls valid are kept when they
are written like phones (grouped, or with +) or have a phone word nearby; a grouped number
right after "phone:" or "call me on" is kept even when it is from a country we do not parse
for. Dates, times, year ranges, versions, IP addresses, amounts and order numbers are not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers
import regex
from phonenumbers import NumberParseException

from nlp.detectors.base import finditer
from nlp.detectors.personal_data_text import found

#: Regions tried, in order, for numbers written without a country code.
REGIONS = ("KZ", "GB", "US")
#: A post with more phone-shaped runs than this is not a message to a friend; parsing is the
#: expensive step, so stop there instead of letting a hostile post cost seconds.
MAX_CANDIDATES = 200

_SEP = r"[ \u00a0.\-‐‑–/]"
CANDIDATE = regex.compile(
    rf"""
    (?<![\w+#№$€£₸@/.,:-])(?<!\d{_SEP})
    (?P<number>
        (?:(?:\+|00)\ ?)?\(?\d[\d \u00a0.()\-‐‑–]{{5,24}}\d
    )
    (?P<ext>\ ?(?:x|ext\.?|extension|доб\.?)\ ?\d{{1,5}})?
    (?![\w%‰₸$€£]|[.,:]\d|{_SEP}\d)
    """,
    regex.VERBOSE | regex.IGNORECASE,
)

# Shapes that are dates, times or version numbers, not phones.
_DATE_LIKE = regex.compile(
    r"^(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{2}|\d{4})|\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{4}\s?[-–]\s?\d{4})$"
)
_THOUSANDS = regex.compile(r"^\d{1,3}(?:[ \u00a0,.]\d{3})+$")
_WORDS_BEFORE_NOT_PHONE = regex.compile(
    r"(?i:\b(?:isbn|issn|order|invoice|ref|reference|tracking|transaction|receipt|account|acc|"
    r"iban|card|inn|iin|иин|жсн|счёт|счет|заказ|чек|doi|serial|model|version|ver|v)\b)"
    r"[\s#№:.-]{0,4}(?:no\.?|number|№|id)?[\s#№:.-]{0,4}$"
)
_CONTEXT = regex.compile(
    r"(?i:\b(?:phone|ph|tel|telephone|mobile|mob|cell|cellphone|call|calls|text|ring|whatsapp|wa|"
    r"viber|telegram|contact|reach|sms|fax|hotline|desk|office|landline|answer(?:ing)?|"
    r"messag(?:e|es|ing)|dial)\b|(?<!\w)(?:телефон\w*|тел|звон\w*|позвон\w*|сотов\w*|моб|"
    r"пиши\w*|напиш\w*|ватсап|вотсап|хабарлас\w*|қоңырау\w*|ұялы)(?!\w))"
)
# "number" alone also precedes student, order and flat numbers, so it is weaker evidence.
_WEAK_CONTEXT = regex.compile(r"(?i:\b(?:number|no|num)\b|(?<!\w)(?:номер\w*|нөмір\w*)(?!\w))")
# Contact-card labels written after the number: "(579)888-3058 fax", "416 60 039 office".
_LABEL_AFTER = regex.compile(
    r"\A[ \t]{0,2}[-(]?[ \t]{0,2}(?i:office|fax|mobile|cell|home|work|desk|tel|phone|mob)\b"
)
#: Characters before a candidate searched for phone words.
CONTEXT_BEFORE = 60


@dataclass(frozen=True, slots=True)
class PhoneMatch:
    """A validated phone number span and how sure we are."""

    start: int
    end: int
    score: float


def _parse(number: str) -> phonenumbers.PhoneNumber | None:
    """Return the first valid parse of ``number`` (international, else KZ, GB, US), or None."""
    for parsed in _parses(number):
        if phonenumbers.is_valid_number(parsed):
            return parsed
    return None


def _parses(number: str) -> Iterator[phonenumbers.PhoneNumber]:
    """Yield the parses of ``number`` as an international number, else for each region."""
    compact = number.replace("\u00a0", " ").strip()
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    regions: tuple[str | None, ...] = (None,) if compact.startswith("+") else REGIONS
    for region in regions:
        try:
            yield phonenumbers.parse(compact, region)
        except NumberParseException:
            continue


def _plausible_shape(number: str) -> bool:
    """Reject digit runs that are dates, year ranges, versions, IP addresses or too short."""
    digits = sum(c.isdigit() for c in number)
    if not 7 <= digits <= 15:
        return False
    stripped = number.strip()
    if found(_DATE_LIKE, stripped):
        return False
    if "." in stripped and not stripped.startswith(("+", "00")):
        groups = [g.strip() for g in stripped.split(".")]
        # 415.555.2671 and 03.93.92.16.85 are phones; 10.0.19041.1, 3.14.15 and 86.121.97.248
        # are versions and IP addresses.
        if any(len(g) < 2 for g in groups) or (len(groups) == 4 and all(len(g) <= 3 for g in groups)):
            return False
        if len(groups) > 5:
            return False
    return stripped.count("(") == stripped.count(")")


def _phone_grouping(number: str) -> bool:
    """Return True when an unparsed number still looks like a phone, not an amount.

    "1 000 000" and "15,000,000" are thousands groups; "699 956 915" is a phone.
    """
    stripped = number.strip()
    if not found(_THOUSANDS, stripped):
        return True
    groups = stripped.replace(",", " ").replace(".", " ").split()
    return "," not in stripped and len(groups[0]) == 3 and groups[-1] != "000"


def find_phones(text: str) -> Iterator[PhoneMatch]:
    """Yield the valid phone numbers in ``text``."""
    parsed = 0
    for m in finditer(CANDIDATE, text):
        if parsed >= MAX_CANDIDATES:
            return
        number = m.group("number")
        if not _plausible_shape(number):
            continue
        before = text[max(0, m.start() - CONTEXT_BEFORE) : m.start()]
        if found(_WORDS_BEFORE_NOT_PHONE, before[-30:]):
            continue
        compact = "".join(c for c in number if c.isdigit() or c == "+")
        has_format = compact != number.strip() or number.startswith("+")
        context = found(_CONTEXT, before) or found(_LABEL_AFTER, text[m.end() : m.end() + 20])
        weak_context = context or found(_WEAK_CONTEXT, before)
        end = m.end("ext") if m.group("ext") else m.end("number")
        parsed += 1
        if _parse(number) is not None:
            # A bare digit run like 4155552671 could be an account number; believe it with a
            # phone word nearby, or when it is a Kazakh mobile (8 7xx / 7 7xx, 11 digits).
            kz_mobile = len(compact) == 11 and compact[:2] in {"87", "77"}
            if has_format or weak_context or kz_mobile:
                score = 0.85 if (context or compact.startswith("+")) else 0.7
                yield PhoneMatch(m.start("number"), end, score)
        elif context and (has_format or m.group("ext")) and _phone_grouping(number):
            # Right after "phone:"/"call me on" a grouped number is a phone even when it is
            # from a country we do not parse for, or a made-up exchange phonenumbers rejects.
            yield PhoneMatch(m.start("number"), end, 0.6)
