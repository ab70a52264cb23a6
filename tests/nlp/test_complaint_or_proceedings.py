"""complaint_or_proceedings: processes, not plain uses of the words."""

import pytest

from nlp.detectors.complaint_or_proceedings import ComplaintOrProceedingsDetector

DETECTOR = ComplaintOrProceedingsDetector()


@pytest.mark.parametrize(
    ("text", "type_", "span", "severity"),
    [
        ("My complaint about the marking is with the appeals committee now", "complaint", "My complaint", "medium"),
        ("Going to court against the landlord next month, wish me luck", "legal", "Going to court", "medium"),
        ("Had my disciplinary interview today, can't believe they think I cheated", "disciplinary",
         "disciplinary interview", "medium"),
        ("Reported the incident to the police, statement done", "police",
         "Reported the incident to the police", "medium"),
        ("Filed a grievance against Dr Lee, the hearing is next week", "complaint", "Filed a grievance", "high"),
        ("Lodged a formal complaint against the university today", "complaint", "Lodged a formal complaint", "high"),
        ("Appealing the decision to expel me, wish me luck", "appeal", "Appealing the decision", "medium"),
        ("The misconduct panel meets on Monday about my essay", "disciplinary", "misconduct panel", "medium"),
        ("Thinking of suing the university over this", "legal", "suing the university", "high"),
        ("Я подала жалобу на декана", "complaint", "подала жалобу", "high"),
        ("Написала заявление в полицию на соседа", "police", "заявление в полицию", "medium"),
        ("Подали в суд на арендодателя", "legal", "Подали в суд", "medium"),
        ("The police are investigating what happened at the party", "police", "police are investigating", "medium"),
        ("Took my old flatmate to small claims court", "legal", "Took my old flatmate to small claims court", "medium"),
        ("Судимся с соседями из-за шума", "legal", "Судимся", "medium"),
        ("Подал complaint на куратора", "complaint", "Подал complaint", "medium"),
        ("Полицияға арыз жаздым", "police", "Полицияға арыз жаздым", "medium"),
    ],
)
def test_flags(nlp, text, type_, span, severity):
    findings = DETECTOR.detect(nlp(text))
    assert findings, text
    first = findings[0]
    assert (first.type, text[first.start : first.end], first.severity) == (type_, span, severity)
    assert "4.5.2" in first.clauses or "4.2" in first.clauses


@pytest.mark.parametrize(
    "text",
    [
        "Appealing to all night owls: the library is open 24/7 during exams",
        "Order in the court! Our mock trial society meets on Wednesdays",
        "Filed my tax return, adulting level 100",
        "The complaints about the wifi are endless lol",
        "Basketball court is finally open again",
        "Police academy marathon tonight, bring snacks",
        "This song has real sex appeal",
        "Our law society is hosting a talk on tribunals and the justice system",
    ],
)
def test_leaves_alone(nlp, text):
    assert DETECTOR.detect(nlp(text)) == []
