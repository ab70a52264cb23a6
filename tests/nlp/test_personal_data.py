"""The personal_data detector: what it flags, what it leaves alone, how severe, how fast."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from nlp.detectors import personal_data_address
from nlp.detectors.kz_iin import check_digit, is_valid_iin
from nlp.detectors.personal_data import PersonalDataDetector
from nlp.detectors.personal_data_financial import is_card_number, is_iban, luhn_ok


def _iin(prefix: str) -> str:
    digit = check_digit(prefix)
    assert digit is not None
    return prefix + str(digit)


def _luhn(prefix: str) -> str:
    return next(prefix + str(d) for d in range(10) if luhn_ok(prefix + str(d)))


IIN = _iin("02071955123")
CARD = _luhn("510510510510510")
VISA = _luhn("411111111111111")
AMEX = _luhn("37828224631000")
BAD_CARD = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
KZ_IBAN = "KZ86125KZT5004100100"
GB_IBAN = "GB82 WEST 1234 5698 7654 32"
BAD_IBAN = "KZ87125KZT5004100100"


@pytest.fixture(scope="module")
def detect(blank_nlp):
    detector = PersonalDataDetector()

    def run(text: str) -> list[tuple[str, str, str]]:
        return [(f.type, text[f.start : f.end], f.severity) for f in detector.detect(blank_nlp(text))]

    return run


@pytest.mark.parametrize(
    ("text", "type_", "span"),
    [
        # email
        ("Found a wallet, email finder.student@gmail.com to claim it", "email", "finder.student@gmail.com"),
        ("почта: aigerim_k@mail.ru", "email", "aigerim_k@mail.ru"),
        # phones: Kazakh mobile and city numbers, UK, US, international
        ("Text me on +7 700 123 45 67 for the ticket", "phone", "+7 700 123 45 67"),
        ("You can reach me on 8 701 765 43 21 after 5pm", "phone", "8 701 765 43 21"),
        ("Звоните +7 (727) 250-11-22, это номер общежития", "phone", "+7 (727) 250-11-22"),
        ("мой номер 87017654321", "phone", "87017654321"),
        ("UK mobile 07911 123456 if you're in Leicester", "phone", "07911 123456"),
        ("Office line 020 7946 0958", "phone", "020 7946 0958"),
        ("Call me at (415) 555-2671", "phone", "(415) 555-2671"),
        ("WhatsApp +44 20 7946 0958 ext. 12", "phone", "+44 20 7946 0958 ext. 12"),
        ("number in Berlin: +49 30 901820", "phone", "+49 30 901820"),
        # addresses: Kazakh, Cyrillic, UK, US, continental
        ("Housewarming at 48 Dostyk Avenue, flat 12, Saturday 8pm!", "address", "48 Dostyk Avenue, flat 12"),
        ("Marat lives at 7 Zheltoksan Street, go and ask him", "address", "7 Zheltoksan Street"),
        ("Приходите: ул. Абая 10, кв. 5", "address", "ул. Абая 10, кв. 5"),
        ("мы живём в мкр. Самал-2, д. 5", "address", "мкр. Самал-2, д. 5"),
        ("Party at pr. Dostyk 48 tonight", "address", "pr. Dostyk 48"),
        ("Meet at Abay ave 150 at six", "address", "Abay ave 150"),
        ("Абай даңғылы 10 үйде кездесейік", "address", "Абай даңғылы 10"),
        ("Send it to 221B Baker Street, London NW1 6XE", "address", "221B Baker Street, London NW1 6XE"),
        (
            "Protest at 1600 Pennsylvania Ave NW, Washington, DC 20500 tomorrow",
            "address",
            "1600 Pennsylvania Ave NW, Washington, DC 20500",
        ),
        ("New flat: 12 rue de la Paix, Paris", "address", "12 rue de la Paix, Paris"),
        ("Meine Adresse: Hauptstraße 5, 10115 Berlin", "address", "Hauptstraße 5, 10115 Berlin"),
        ("Write to P.O. Box 1043", "address", "P.O. Box 1043"),
        ("PSC 1234, Box 5678, APO AE 09012", "address", "PSC 1234, Box 5678, APO AE 09012"),
        ("Allika 46, Apt. 3, Tartu 50090", "address", "Allika 46, Apt. 3, Tartu 50090"),
        ("My new address: Kerey 25, Almaty 050000", "address", "Kerey 25, Almaty 050000"),
        ("my address is 12 Oak Lane", "address", "12 Oak Lane"),
        ("I live at 5 Green Hill", "address", "5 Green Hill"),
        (
            "Flat 3, 12 High Street, Leicester LE1 9BH",
            "address",
            "Flat 3, 12 High Street, Leicester LE1 9BH",
        ),
        ("адрес: Жандосова 58, кв 12", "address", "Жандосова 58, кв 12"),
        ("встречаемся: угол Абая и Достык", "address", "угол Абая и Достык"),
        # dates of birth, only with a birthday word
        ("Born on 05/09/2003, finally old enough for the club lol", "date_of_birth", "05/09/2003"),
        ("DOB: 1999-03-04", "date_of_birth", "1999-03-04"),
        ("My birthday is 12 May", "date_of_birth", "12 May"),
        ("родился 5 сентября 2001 г.", "date_of_birth", "5 сентября 2001 г."),
        ("Туған күнім: 14.02.2004", "date_of_birth", "14.02.2004"),
        # numbers with checksums
        (f"Send the money to my card {CARD} please", "payment_card", CARD),
        (
            f"card {VISA[:4]} {VISA[4:8]} {VISA[8:12]} {VISA[12:]}",
            "payment_card",
            f"{VISA[:4]} {VISA[4:8]} {VISA[8:12]} {VISA[12:]}",
        ),
        (f"amex {AMEX[:4]}-{AMEX[4:10]}-{AMEX[10:]}", "payment_card", f"{AMEX[:4]}-{AMEX[4:10]}-{AMEX[10:]}"),
        (f"Transfer details: {KZ_IBAN}", "iban", KZ_IBAN),
        (f"Pay rent to {GB_IBAN} by Friday", "iban", GB_IBAN),
        (f"Registration form asked for my IIN, it's {IIN}, is that safe?", "national_id", IIN),
        (f"ИИН {IIN}", "national_id", IIN),
        # passports need a passport word
        ("мой паспорт N12345678", "passport", "N12345678"),
        ("passport number: 533380006 (UK)", "passport", "533380006"),
        ("AB1234567 is my passport no", "passport", "AB1234567"),
        # DMU student number
        ("IT asked for my student ID so here it is: P2591834", "student_id", "P2591834"),
        # credentials: the secret value is flagged
        ("my netflix password is almaty123, share it with the flat", "credential", "almaty123"),
        ("login: marat password: Qwerty!23", "credential", "Qwerty!23"),
        ("wifi pw: kaskelen2024", "credential", "kaskelen2024"),
        ("пароль: алматы2024", "credential", "алматы2024"),
        ("the password for the flat wifi is sunflower", "credential", "sunflower"),
        ("my PIN is 4821", "credential", "4821"),
        ("door code: 1379#", "credential", "1379#"),
        # addresses: a ship's FPO address, a lower-case military box, a quoted block, a unit
        # number before the house number, a reversed street after a weak street word, a
        # Romance street with its number
        ("Ship it to USS Nimitz\nFPO AP 96620", "address", "USS Nimitz\nFPO AP 96620"),
        ("psc 1234, box 5678\napo ae 09012", "address", "psc 1234, box 5678\napo ae 09012"),
        (
            "> Jane Doe\n> 12 Oak Street\n> Apt. 4\n> Springfield",
            "address",
            "12 Oak Street\n> Apt. 4\n> Springfield",
        ),
        # bulleted or emoji-marked lines, and the "?" a lost emoji leaves
        ("📍 48 Dostyk Avenue\n📍 flat 12\n📍 Almaty 050000", "address", "48 Dostyk Avenue\n📍 flat 12\n📍 Almaty 050000"),
        ("• 78321 Ombù 9091\n• Suite 967\n• Montevideo", "address", "78321 Ombù 9091\n• Suite 967\n• Montevideo"),
        ("?? 5 Kerey St\n?? Apt. 4\n?? Astana 010000", "address", "5 Kerey St\n?? Apt. 4\n?? Astana 010000"),
        ("12 Oak Street\n\nSpringfield 62704", "address", "12 Oak Street\n\nSpringfield 62704"),
        ("Send it to 3 12 Smith St, Carlton", "address", "3 12 Smith St, Carlton"),
        ("See you at 7 Kongens gate 12", "address", "Kongens gate 12"),
        ("Ufficio: 864 Via delle Coste 41, Apt. 3", "address", "864 Via delle Coste 41, Apt. 3"),
    ],
)
def test_flags_personal_data(detect, text: str, type_: str, span: str) -> None:
    found = detect(text)
    assert (type_, span) in [(t, s) for t, s, _ in found], found


@pytest.mark.parametrize(
    "text",
    [
        "Born to procrastinate, forced to study",
        "exam on 05/09/2025, wish me luck",
        "Deadline 12.05.2025 at 23:59",
        "Tickets cost 5000 tenge, 15 000 ₸ for two",
        "I studied there 2019-2023",
        "Lecture 10:30-12:00 in room 214",
        "Order #123456789 still hasn't arrived",
        "order number 4155552671 is late",
        "ISBN 978-3-16-148410-0 is the textbook",
        "Random digits 123456789012 and 987654321098",
        f"Luhn-invalid card {BAD_CARD}",
        f"Bad IBAN {BAD_IBAN}",
        "Updated to version 10.0.19041.1234",
        "Server at 192.168.100.254 is down",
        "Phone died halfway through the lecture, classic",
        "Call me 55-12-34",
        "Call me back in 1 000 000 years",
        "My password is wrong again, forgot it",
        "Password reset link never arrives",
        "Top 10 Drive tips for new students",
        "We walked 5 miles down the road",
        "Baker Street is my favourite station",
        "Dostyk Avenue was closed for the parade",
        "My passport photo looks terrible",
        "Room P201 is free",
        "Results day 2024: 85 out of 100",
        "Email me later, I'm busy",
        "Reach 1 000 000 followers by 2030",
        "ул. Абая перекрыта сегодня",
        "Score was 3-1 at 90 minutes",
        "Дедлайн 05.09.2025 в 10:00",
        "My birthday was great. Exam on 05/09/2025 though",
        "exam on 05/09/2024, then a birthday party",
        "Экзамен 05.09.2024 и др. предметы",
        "Born in the wrong decade, graduating 01.07.2031",
        "meet me at 5 near Starbucks",
        "Lecture 5, London 2019",
        "Room 214, Building 5, then lunch",
        "The 2019 Supreme Court ruling",
        "He has 3 Golden Retrievers",
        "3 Every place I go is packed",
        "change your password http://t.co/abc123",
        "USS Enterprise was a great ship",
        "unit 12 of the course, box 3",
        "> 12 apples\n> and pears",
        "Scored 3 12 times",
    ],
)
def test_leaves_look_alikes_alone(detect, text: str) -> None:
    assert detect(text) == []


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("Dana's email is dana.s@inbox.kz if you want the notes", "high"),
        ("his number is +7 701 765 43 21", "high"),
        ("call Marat on +7 701 765 43 21", "high"),
        ("Marat lives at 7 Zheltoksan Street", "high"),
        ("её номер 8 701 765 43 21", "high"),
        ("Aliya was born on 12/03/2004, say happy birthday", "high"),
        ("text me on +7 701 765 43 21", "medium"),
        ("my email is me.student@gmail.com", "medium"),
        ("мой номер +7 701 765 43 21", "medium"),
        ("I was born on 12/03/2004", "medium"),
        ("Found a wallet, email finder.student@gmail.com", "medium"),
        ("IT asked for my student ID: P2591834", "medium"),
        (f"my card {CARD}", "high"),
        (f"my IIN {IIN}", "high"),
        ("my password is almaty123", "high"),
    ],
)
def test_severity_reflects_whose_data(detect, text: str, severity: str) -> None:
    found = detect(text)
    assert len(found) == 1, found
    assert found[0][2] == severity


@pytest.mark.parametrize(
    ("type_", "replacement"),
    [
        ("phone", "[phone number]"),
        ("email", "[email]"),
        ("payment_card", "[card number]"),
        ("credential", "[password]"),
    ],
)
def test_findings_carry_replacement_and_clauses(blank_nlp, type_: str, replacement: str) -> None:
    text = f"call +7 701 765 43 21, mail a.b@c.kz, card {CARD}, password: hunter22"
    findings = {f.type: f for f in PersonalDataDetector().detect(blank_nlp(text))}
    assert findings[type_].replacement == replacement
    assert "4.5.3" in findings[type_].clauses
    assert findings[type_].category == "personal_data"


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (IIN, True),
        (_iin("99123140001"), True),  # 7th digit 4: a woman born in 1999
        (IIN[:-1] + str((int(IIN[-1]) + 1) % 10), False),  # wrong check digit
        (_iin("02133155123"), False),  # month 13
        (_iin("02071975123"), False),  # 7th digit 7: no such century code
        (_iin("30010155123"), False),  # born in 2030
        ("12345678901", False),
        ("1234567890123", False),
    ],
)
def test_iin_validation(value: str, valid: bool) -> None:
    assert is_valid_iin(value, today=dt.date(2026, 1, 1)) is valid


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        (CARD, True),
        (VISA, True),
        (AMEX, True),
        (BAD_CARD, False),
        ("0000000000000000", False),  # passes Luhn, but no card starts like that
        (_luhn("999999999999999"), False),  # unknown issuer
        (_luhn("41111111111"), False),  # too short
    ],
)
def test_card_validation(digits: str, valid: bool) -> None:
    assert is_card_number(digits) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [(KZ_IBAN, True), (GB_IBAN.replace(" ", ""), True), (BAD_IBAN, False), ("KZ86125KZT500410010", False)],
)
def test_iban_validation(value: str, valid: bool) -> None:
    assert is_iban(value) is valid


@pytest.mark.parametrize(
    "hostile",
    [
        "1" * 65536,
        ("1 " * 32768),
        ("+7 700 123 45 67 " * 4000)[:65536],
        ("a@" * 32768),
        ("a@a." * 16384),
        ("-" * 65536),
        ("1-" * 32768),
        ("12 Main Street, " * 4096),
        ("Abc " * 16384),
        ("password is " * 6000)[:65536],
        ("born 05/09/2003 " * 4096),
        ("ул. Абая 10, кв. 5 " * 3449)[:65536],
    ],
)
def test_hostile_input_is_fast(blank_nlp, hostile: str) -> None:
    # CPU time, not wall time: the test machine is shared and wall time measures the neighbours.
    doc = blank_nlp.make_doc(hostile)
    started = time.process_time()
    PersonalDataDetector().detect(doc)
    assert time.process_time() - started < 1.0


def test_long_ordinary_post_is_fast(blank_nlp) -> None:
    sentence = "Lectures on Monday 10:30-12:00 in room 214, then lunch with Dana near the library. "
    doc = blank_nlp.make_doc((sentence * 800)[:65536] + " text me on +7 700 123 45 67")
    started = time.process_time()
    found = PersonalDataDetector().detect(doc)
    assert time.process_time() - started < 0.25
    assert [f.type for f in found] == ["phone"]


def test_addresses_are_found_once_per_post(analyzer, monkeypatch):
    """personal_data and third_party both read the post's addresses; the Doc keeps them."""
    calls: list[int] = []
    real = personal_data_address.find_addresses

    def counted(text):
        calls.append(len(text))
        return real(text)

    monkeypatch.setattr(personal_data_address, "find_addresses", counted)
    analyzer.cache.clear()
    findings = analyzer.analyze("Ask Dana Bekova, she lives at 24 Kenneth Street, Leicester").findings
    assert {f.category for f in findings} == {"third_party", "personal_data"}
    assert len(calls) == 1
