"""Placeholder: the complaint_or_proceedings detector is being written."""

from spacy.tokens import Doc

from nlp.detectors.base import Detector
from nlp.finding import Finding


class ComplaintOrProceedingsDetector(Detector):
    category = "complaint_or_proceedings"
    name = "complaint_or_proceedings"

    def detect(self, doc: Doc) -> list[Finding]:
        return []
