"""Placeholder: the personal_data detector is being written."""

from spacy.tokens import Doc

from nlp.detectors.base import Detector
from nlp.finding import Finding


class PersonalDataDetector(Detector):
    category = "personal_data"
    name = "personal_data"

    def detect(self, doc: Doc) -> list[Finding]:
        return []
