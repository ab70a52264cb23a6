"""The explicit list of detectors the checker runs, in order."""

from __future__ import annotations

from collections.abc import Collection

from nlp.detectors.base import Detector
from nlp.detectors.complaint_or_proceedings import ComplaintOrProceedingsDetector
from nlp.detectors.personal_data import PersonalDataDetector
from nlp.detectors.third_party import ThirdPartyDetector
from nlp.detectors.university_branding import UniversityBrandingDetector


def build_detectors(disabled: Collection[str] = ()) -> list[Detector]:
    """Return one instance of every detector, except those whose name or category is disabled."""
    detectors: list[Detector] = [
        PersonalDataDetector(),
        ThirdPartyDetector(),
        UniversityBrandingDetector(),
        ComplaintOrProceedingsDetector(),
    ]
    return [d for d in detectors if d.name not in disabled and d.category not in disabled]
