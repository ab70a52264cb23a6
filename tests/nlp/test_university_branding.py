"""university_branding: the logo in use, and speaking for DMUK; praise and mentions are fine."""

import pytest

from nlp.detectors.university_branding import UniversityBrandingDetector

DETECTOR = UniversityBrandingDetector()


@pytest.mark.parametrize(
    ("text", "type_", "span"),
    [
        ("Printed the DMUK logo on our club banner, looks legit", "logo", "DMUK logo"),
        ("Our society hoodies have the university crest on the back", "logo", "university crest"),
        ("Made stickers with the De Montfort logo for the fair", "logo", "De Montfort logo"),
        ("On behalf of De Montfort University Kazakhstan, we condemn this decision", "speaking_for_university",
         "On behalf of De Montfort University Kazakhstan"),
        ("The university's official view is that this strike is justified", "speaking_for_university",
         "The university's official view is"),
        ("The university’s official position is clear: we support the strike", "speaking_for_university",
         "The university’s official position is"),
        ("As an official DMUK account we endorse this product", "speaking_for_university",
         "As an official DMUK account"),
        ("This account represents DMUK and its students", "speaking_for_university", "This account represents DMUK"),
        ("DMUK officially endorses the new energy drink", "speaking_for_university", "DMUK officially endorses"),
        ("We at DMUK believe the election was stolen", "speaking_for_university", "We at DMUK believe"),
        ("От имени университета заявляем, что это неправда", "speaking_for_university", "От имени университета"),
        ("Напечатали логотип DMUK на футболках", "logo", "логотип DMUK"),
        ("Official announcement from DMUK: the library closes at noon", "speaking_for_university",
         "Official announcement from DMUK"),
        ("De Montfort University announces: all fees are waived", "speaking_for_university",
         "De Montfort University announces:"),
        ("DMUK логотипін стикерлерге басып шығардық", "logo", "DMUK логотипін"),
    ],
)
def test_flags(blank_nlp, text, type_, span):
    findings = DETECTOR.detect(blank_nlp(text))
    assert [(f.type, text[f.start : f.end]) for f in findings] == [(type_, span)]
    assert findings[0].clauses == ("4.9",)


@pytest.mark.parametrize(
    "text",
    [
        "Welcome week at DMUK was amazing, met so many people!",
        "Proud to be a DMUK student, best decision of my life",
        "Love the new DMUK logo!",
        "Official results day is Friday, fingers crossed everyone",
        "DMUK's official Instagram posted the exam timetable",
        "I think the university should extend library hours",
        "Our uni is the best, change my mind",
        "De Montfort University Kazakhstan open day is on Saturday",
        "The logo design workshop was fun",
        "In my own view, the strike is justified",
    ],
)
def test_leaves_alone(blank_nlp, text):
    assert DETECTOR.detect(blank_nlp(text)) == []
