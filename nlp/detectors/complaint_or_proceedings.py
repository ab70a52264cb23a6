"""Complaints, appeals, disciplinary processes, police reports and court cases (4.2, 4.5.2, 4.8).

Posting about a live complaint or proceedings can undermine it and expose the author to a civil
claim, so the suggestion points to the Student Complaints Procedure. Plain uses of the words
("Appealing to all night owls", "Order in the court!", "filed my tax return") do not match: every
pattern needs the process itself (a complaint filed, an appeals committee, a court case).
Severity is high when the post names a person or the university as a party, medium otherwise.
"""

from __future__ import annotations

import regex
from spacy.tokens import Doc

from nlp.detectors.base import Detector, finditer, folded_of, load_rules, sentences, text_of
from nlp.finding import Finding

#: A party that makes it worse (4.5.2, 4.6): the university or its staff in the same sentence.
PARTY = regex.compile(
    r"\b(?:DMUK|DMU|De\s+Montfort|universit(?:y|ies)|uni|dean|Dr|Prof|Professor|Mr|Mrs|Ms|lecturer|tutor"
    r"|supervisor|университет\w*|универ\w*|декан\w*|преподавател\w*|ректор\w*)\b",
    regex.IGNORECASE,
)


class ComplaintOrProceedingsDetector(Detector):
    """Flag references to complaints and proceedings."""

    category = "complaint_or_proceedings"
    name = "complaint_or_proceedings"
    needs_ner = True

    def __init__(self) -> None:
        self.rules = load_rules("complaint_or_proceedings")

    def detect(self, doc: Doc) -> list[Finding]:
        """Return complaint and proceedings findings in ``doc``."""
        text, folded = text_of(doc), folded_of(doc)
        matches = [
            (m.start(), m.end(), rule)
            for rule in self.rules
            if rule.may_match(folded)
            for m in finditer(rule.pattern, text)
        ]
        if not matches:
            return []
        bounds = sentences(text)
        people = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
        findings = []
        for start, end, rule in matches:
            s_start, s_end = next(((a, b) for a, b in bounds if a <= start < b), (0, len(text)))
            named = any(s_start <= p < s_end for p, _ in people) or PARTY.search(text, s_start, s_end)
            severity = "high" if named else "medium"
            findings.append(self.finding(start, end, rule.type, severity, rule.id))
        return findings
