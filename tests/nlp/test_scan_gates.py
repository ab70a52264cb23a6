"""Scans the detectors skip when a text lacks what every match of the pattern holds.

A long post that says nothing of birthdays, passwords, name fields or house numbers is not
scanned for dates of birth, credentials, name fields or street addresses: each of those
patterns is costly to try at every position, and each match holds a word (or a digit) that a
plain substring test finds. A word missing from a gate's list would silently lose matches, so
every match of each pattern on our labelled posts, the detectors' own cases and the phrases
below is checked to pass its gate; and a text without the words is checked not to be scanned.
"""

import json
from pathlib import Path

import pytest

from nlp.detectors import personal_data, personal_data_address, third_party
from nlp.detectors.base import fold, holds_any
from nlp.detectors.personal_data import CREDENTIAL, CREDENTIAL_NEEDS, DOB_NEEDS, DOB_WORD
from nlp.detectors.personal_data_address import ADDRESS, WINDOW_NEEDS
from nlp.detectors.third_party import NAME_FIELD
from tests.nlp import test_personal_data, test_third_party

POSTS = Path(__file__).resolve().parents[1] / "data" / "posts.jsonl"

#: Every way of writing the words the gated patterns name, in every case, in all three languages.
PHRASES = [
    "born on 5 May", "BORN 2001", "Birthday: 12.03.2004", "my B-DAY is 5 May", "bday 05/09",
    "birthdate 1999-03-04", "birth date 1999-03-04", "Date of Birth 01.01.2000", "D.O.B. 01.01.2000",
    "d.ob 01.01.2000", "do.b 01.01.2000", "DOB: 01.01.2000", "Д.Р. 5 мая", "д. р 5 мая", "д/р 5 мая",
    "дата рождения 01.01.2000", "День рождения 5 мая", "днюха 5 мая", "Родился 5 мая 2001",
    "родилась 5 мая", "родились 5 мая", "рождении 5 мая", "Туған күнім 14.02.2004",
    "туылған 2004 жылы", "ТУЫЛДЫ 2004", "туғанмын 2004",
    "PIN 1234", "pin code 1234", "PINCODE 1234", "пин 1234", "ПИН-КОД 1234", "пинкод 1234",
    "door code 4455", "gate code 4455", "entry code 4455", "lock code 4455", "locker code 4455",
    "safe code 4455", "alarm code 4455", "код от двери 4455", "код домофона 4455",
    "код подъезда 4455", "pass: hunter22", "login/pass hunter22", "LOGIN / PASS hunter22",
    "Password: hunter22", "passwd = hunter22", "passcode: 4455", "pass code 4455", "pwd: hunter22",
    "PW: hunter22", "пароль: qwerty123", "пароля qwerty123", "паролем qwerty123",
    "құпия сөз: qwerty123", "құпиясөзі qwerty123",
    "Name: Ana Dias", "full name: Ana Dias", "FIRST NAME: Ana", "last name:  Dias", "> name: Ana",
    "her surname is Baba", "his first name is Ana", "their full name is Ana Dias",
    "your maiden name is Nyberg", "middlename is Ana", "her name is Ana", "surname? Dias",
    "12 Oak Street", "Flat 3 12 Oak St", "5 rue de la Paix", "ул. Абая 5", "пр. Достык 12",
    "Abay ave. 12", "Абая көшесі 5", "Lenina strasse 5", "PO Box 1234", "а/я 55",
    "PSC 1234, Box 5678", "USS Nimitz FPO AP 96620", "Allika 46, Apt. 3", "Allika 46, Tartu 50090",
    "corner of Abay and Dostyk", "угол Абая и Достык", "уг. Абая и Достык", "на углу Абая и Достык",
]  # fmt: skip


def _cases(*tests) -> list[str]:
    texts = []
    for test in tests:
        for mark in test.pytestmark:
            if mark.name == "parametrize":
                texts += [case if isinstance(case, str) else case[0] for case in mark.args[1]]
    return texts


def texts() -> list[str]:
    lines = POSTS.read_text(encoding="utf-8").splitlines()
    posts = [json.loads(line)["text"] for line in lines if line.strip()]
    cases = _cases(
        test_personal_data.test_flags_personal_data,
        test_personal_data.test_leaves_look_alikes_alone,
        test_personal_data.test_severity_reflects_whose_data,
        test_third_party.test_finds_people,
        test_third_party.test_leaves_alone,
    )
    return posts + cases + PHRASES


def _matches(pattern, group=0) -> list[str]:
    return [m.group(group) for text in texts() for m in pattern.finditer(text) if m.group(group)]


def test_every_birthday_word_passes_the_date_gate():
    # The date finder yields a date only next to a match of one of these two patterns.
    found = _matches(DOB_WORD) + _matches(personal_data._DOB_ADJACENT)
    assert len(found) > 40
    for word in found:
        assert holds_any(fold(word), DOB_NEEDS), word


def test_every_credential_keyword_passes_the_credential_gate():
    found = _matches(CREDENTIAL, "kw")
    assert len(found) > 30
    for word in found:
        assert holds_any(fold(word), CREDENTIAL_NEEDS), word


def test_every_name_field_holds_the_word_name():
    found = _matches(NAME_FIELD)
    assert len(found) > 10
    for field in found:
        assert "name" in fold(field), field


def test_every_street_address_passes_the_window_gate():
    found = _matches(ADDRESS)
    assert len(found) > 40
    for address in found:
        assert WINDOW_NEEDS.search(address), address


def test_the_gates_lists_are_folded():
    for words in (DOB_NEEDS, CREDENTIAL_NEEDS):
        assert all(word == fold(word) and word.strip() == word for word in words)


class _Counting:
    """A compiled pattern that counts the scans made with it."""

    def __init__(self, pattern):
        self.pattern = pattern
        self.scans = 0

    def finditer(self, *args, **kwargs):
        self.scans += 1
        return self.pattern.finditer(*args, **kwargs)


@pytest.mark.parametrize(
    ("name", "without", "with_"),
    [
        ("DATE", "Exam on 05/09/2025, then the party", "Born on 05/09/2003, finally"),
        ("CREDENTIAL", "the wifi in the library is slow again", "the wifi password is sunflower"),
    ],
)
def test_a_post_without_the_words_is_not_scanned_for_personal_data(
    blank_nlp, monkeypatch, name, without, with_
):
    counting = _Counting(getattr(personal_data, name))
    monkeypatch.setattr(personal_data, name, counting)
    detector = personal_data.PersonalDataDetector()
    assert detector.detect(blank_nlp(without)) == []
    assert counting.scans == 0
    assert detector.detect(blank_nlp(with_))
    assert counting.scans >= 1


def test_an_address_window_without_a_number_is_not_scanned(monkeypatch):
    counting = _Counting(personal_data_address.ADDRESS)
    monkeypatch.setattr(personal_data_address, "ADDRESS", counting)
    find = personal_data_address.find_addresses
    assert list(find("Meet at Dostyk Plaza, on Abay Avenue, after class")) == []
    assert counting.scans == 0
    assert list(find("I live at 12 Abay Avenue, come by"))
    assert counting.scans >= 1


def test_a_text_without_name_is_not_scanned_for_name_fields(monkeypatch):
    counting = _Counting(NAME_FIELD)
    monkeypatch.setattr(third_party, "NAME_FIELD", counting)
    detector = third_party.ThirdPartyDetector()
    text = "Aigerim: see you at the lecture"
    assert list(detector._name_fields(text, fold(text))) == []
    assert counting.scans == 0
    text = "Name: Ana Dias"
    assert [m.pattern for m in detector._name_fields(text, fold(text))] == ["name_field"]
    assert counting.scans == 1
