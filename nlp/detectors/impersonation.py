"""Flag fake accounts, posting as someone else and using another person's account (4.5.4)."""

from __future__ import annotations

from nlp.detectors.cues import CueDetector, CueRules

#: Cue sets and rules live in ``nlp/patterns/impersonation.json``; compiled once per process.
PATTERNS = CueRules.load("impersonation")


class ImpersonationDetector(CueDetector):
    """A fake account the writer makes or uses, posing as someone, or using their account, without consent."""

    category = "impersonation"
    name = "impersonation"
    clauses = ("4.5.4",)
    patterns = PATTERNS
