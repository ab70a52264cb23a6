"""Summarise a post's findings into one risk level and score."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nlp.finding import SEVERITIES, Finding

#: Chance-like weight of one finding of each severity; combined as 1 - prod(1 - w).
SEVERITY_WEIGHT = {"low": 0.15, "medium": 0.4, "high": 0.7}


@dataclass(frozen=True, slots=True)
class Risk:
    """The post's overall risk: ``none`` when nothing was found, else the highest severity."""

    level: str
    score: float


def assess(findings: Sequence[Finding]) -> Risk:
    """Return the risk of a post with these findings."""
    if not findings:
        return Risk("none", 0.0)
    remaining = 1.0
    for finding in findings:
        remaining *= 1.0 - SEVERITY_WEIGHT[finding.severity]
    level = SEVERITIES[max(f.rank for f in findings) - 1]
    return Risk(level, round(1.0 - remaining, 3))
