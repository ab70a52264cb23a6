"""Placeholder: the third_party detector is being written."""

from spacy.tokens import Doc

from nlp.detectors.base import Detector
from nlp.finding import Finding


class ThirdPartyDetector(Detector):
    category = "third_party"
    name = "third_party"

    def detect(self, doc: Doc) -> list[Finding]:
        return []
