"""Flag recordings and material from Blackboard, Collaborate, Teams, lecture capture, online tests (4.5.7)."""

from __future__ import annotations

from nlp.detectors.cues import CueDetector, CueRules

#: Cue sets and rules live in ``nlp/patterns/learning_platform_content.json``; compiled once per process.
PATTERNS = CueRules.load("learning_platform_content")


class LearningPlatformContentDetector(CueDetector):
    """A platform or taught-session cue with a recording or material, shared or captured."""

    category = "learning_platform_content"
    name = "learning_platform_content"
    clauses = ("4.5.7",)
    patterns = PATTERNS
