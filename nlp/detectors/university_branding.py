"""Placeholder: the university_branding detector is being written."""

from spacy.tokens import Doc

from nlp.detectors.base import Detector
from nlp.finding import Finding


class UniversityBrandingDetector(Detector):
    category = "university_branding"
    name = "university_branding"

    def detect(self, doc: Doc) -> list[Finding]:
        return []
