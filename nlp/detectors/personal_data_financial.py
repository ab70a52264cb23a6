"""Payment card and IBAN validation for the personal_data detector.

Card numbers are only believed when the Luhn checksum holds, the length is one the issuer
uses and the number starts with a known issuer prefix, so order numbers and other long digit
runs are not flagged. IBANs are checked with python-stdnum (country length and mod-97).
"""

from __future__ import annotations

from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError

# (lowest prefix, highest prefix, allowed lengths) per issuer range, as published by the
# schemes (ISO/IEC 7812 issuer identification numbers).
_ANY = frozenset(range(12, 20))
_ISSUER_RANGES: tuple[tuple[int, int, frozenset[int]], ...] = (
    (4, 4, frozenset({13, 16, 19})),  # Visa
    (51, 55, frozenset({16})),  # Mastercard
    (2221, 2720, frozenset({16})),  # Mastercard 2-series
    (2200, 2204, frozenset({16, 17, 18, 19})),  # Mir
    (34, 34, frozenset({15})),  # American Express
    (37, 37, frozenset({15})),
    (300, 305, frozenset({14, 16, 17, 18, 19})),  # Diners Club
    (36, 36, frozenset({14, 16, 17, 18, 19})),
    (38, 39, frozenset({14, 16, 17, 18, 19})),
    (6011, 6011, frozenset({16, 17, 18, 19})),  # Discover
    (644, 649, frozenset({16, 17, 18, 19})),
    (65, 65, frozenset({16, 17, 18, 19})),
    (3528, 3589, frozenset({15, 16, 17, 18, 19})),  # JCB
    (1800, 1800, frozenset({15})),  # JCB (legacy)
    (2131, 2131, frozenset({15})),
    (62, 62, frozenset({16, 17, 18, 19})),  # UnionPay
    (50, 50, _ANY),  # Maestro
    (56, 69, _ANY),
    (604, 604, _ANY),
    (9860, 9860, frozenset({16})),  # Humo (Uzbekistan)
)


def luhn_ok(digits: str) -> bool:
    """Return True when the digit string passes the Luhn (mod 10) checksum."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def known_issuer(digits: str) -> bool:
    """Return True when the number's prefix and length belong to a card scheme."""
    for low, high, lengths in _ISSUER_RANGES:
        width = len(str(low))
        if low <= int(digits[:width]) <= high and len(digits) in lengths:
            return True
    # Maestro's 0604 range needs the leading zero kept.
    return digits.startswith("0604") and len(digits) in _ANY


def is_card_number(digits: str) -> bool:
    """Return True for a plausible payment card number (digits only, no separators)."""
    if not 13 <= len(digits) <= 19 or not digits.isascii() or not digits.isdigit():
        return False
    if len(set(digits)) < 2:  # 0000 0000 0000 0000 passes Luhn
        return False
    return known_issuer(digits) and luhn_ok(digits)


def is_iban(compact: str) -> bool:
    """Return True when ``compact`` (no spaces, upper case) is a valid IBAN."""
    try:
        stdnum_iban.validate(compact)
    except ValidationError:
        return False
    return True
