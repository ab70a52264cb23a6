"""Flag leaked, internal, draft or unapproved documents, unpublished research, private matters (4.5.1)."""

from __future__ import annotations

from nlp.detectors.cues import CueDetector, CueRules

#: Cue sets and rules live in ``nlp/patterns/confidential.json``; compiled once per process.
PATTERNS = CueRules.load("confidential")


class ConfidentialDetector(CueDetector):
    """A secrecy or status cue next to a document or research result, or a private matter next to a person."""

    category = "confidential"
    name = "confidential"
    clauses = ("4.5.1",)
    #: A name the NER finds ("@PERSON") can be the person a private matter is about.
    needs_ner = True
    patterns = PATTERNS
