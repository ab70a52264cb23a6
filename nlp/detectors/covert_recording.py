"""Flag photos, audio or video of people taken without their consent (4.5.6)."""

from __future__ import annotations

from nlp.detectors.cues import CueDetector, CueRules

#: Cue sets and rules live in ``nlp/patterns/covert_recording.json``; compiled once per process.
PATTERNS = CueRules.load("covert_recording")


class CovertRecordingDetector(CueDetector):
    """A capture cue with secrecy, a person caught unawares or a mocked stranger, without consent."""

    category = "covert_recording"
    name = "covert_recording"
    clauses = ("4.5.6",)
    patterns = PATTERNS
