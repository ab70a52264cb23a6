"""The explicit list of detectors the checker runs, in order."""

from __future__ import annotations

from collections.abc import Collection

from nlp.detectors.academic_misconduct import AcademicMisconductDetector
from nlp.detectors.base import Detector
from nlp.detectors.complaint_or_proceedings import ComplaintOrProceedingsDetector
from nlp.detectors.confidential import ConfidentialDetector
from nlp.detectors.covert_recording import CovertRecordingDetector
from nlp.detectors.harassment import HarassmentDetector
from nlp.detectors.impersonation import ImpersonationDetector
from nlp.detectors.learning_platform_content import LearningPlatformContentDetector
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
        HarassmentDetector(),
        ConfidentialDetector(),
        LearningPlatformContentDetector(),
        AcademicMisconductDetector(),
        ImpersonationDetector(),
        CovertRecordingDetector(),
    ]
    return [d for d in detectors if d.name not in disabled and d.category not in disabled]
