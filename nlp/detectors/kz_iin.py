"""Kazakhstan IIN (individual identification number) validation.

An IIN is 12 digits: YYMMDD (date of birth), one digit for century and sex (1-6), four
serial digits and a check digit. The check digit is the weighted sum of the first eleven
digits mod 11 with weights 1..11; when that gives 10 a second pass with weights 3..11, 1, 2
is used, and if that gives 10 too the number is never issued. python-stdnum has no
Kazakhstan module, hence this one.
"""

from __future__ import annotations

import datetime as dt

FIRST_WEIGHTS = tuple(range(1, 12))
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
#: 7th digit -> century of birth (odd = male, even = female).
CENTURY = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


def check_digit(first11: str) -> int | None:
    """Return the check digit for the first eleven digits, or None if no valid one exists."""
    digits = [int(c) for c in first11]
    total = sum(w * d for w, d in zip(FIRST_WEIGHTS, digits, strict=True)) % 11
    if total == 10:
        total = sum(w * d for w, d in zip(SECOND_WEIGHTS, digits, strict=True)) % 11
    return None if total == 10 else total


def birth_date(iin: str) -> dt.date | None:
    """Return the date of birth an IIN encodes, or None if it encodes no real date."""
    century = CENTURY.get(int(iin[6]))
    if century is None:
        return None
    try:
        return dt.date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None


def is_valid_iin(value: str, today: dt.date | None = None) -> bool:
    """Return True when ``value`` is 12 digits with a real past birth date and a good check digit."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        return False
    born = birth_date(value)
    if born is None or born > (today or dt.date.today()):
        return False
    return check_digit(value[:11]) == int(value[11])
