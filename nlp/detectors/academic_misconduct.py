"""Flag asking for or sharing answers, essay mills, exam questions, incitement to cheat (4.5.9, Annex A)."""

from __future__ import annotations

from nlp.detectors.cues import CueDetector, CueRules

#: Cue sets and rules live in ``nlp/patterns/academic_misconduct.json``; compiled once per process.
PATTERNS = CueRules.load("academic_misconduct")


class AcademicMisconductDetector(CueDetector):
    """Answers or assessed work asked for, offered or paid for; writing services; exam questions; cheating."""

    category = "academic_misconduct"
    name = "academic_misconduct"
    clauses = ("4.5.9", "A.assignments")
    patterns = PATTERNS
