"""Findings: what a detector saw, where, and why it matters under the policy."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("low", "medium", "high")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES, start=1)}


@dataclass(frozen=True, slots=True)
class Finding:
    """One flagged span of a post, carrying its own explanation.

    Offsets are Python character offsets into the analysed text; the API adds the UTF-16
    offsets browsers need. A finding never holds a reference to the spaCy ``Doc``.
    """

    category: str
    type: str
    start: int
    end: int
    severity: str
    clauses: tuple[str, ...]
    message: str
    suggestion: str
    detector: str
    pattern: str
    score: float = 0.85
    replacement: str | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITY_RANK:
            raise ValueError(f"unknown severity {self.severity!r}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span {self.start}:{self.end}")

    @property
    def rank(self) -> int:
        """Return the severity as a number (low=1 … high=3) for ordering."""
        return SEVERITY_RANK[self.severity]

    def overlaps(self, other: Finding) -> bool:
        """Return True when the two spans share at least one character."""
        return self.start < other.end and other.start < self.end

    def within(self, other: Finding) -> bool:
        """Return True when this span lies entirely inside ``other``."""
        return other.start <= self.start and self.end <= other.end
