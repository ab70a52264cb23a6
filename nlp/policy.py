"""The policy catalogue: clauses, categories and the words we show students, read from data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

CATALOGUE_PATH = Path(__file__).with_name("policy.json")

CATEGORIES = (
    "third_party",
    "personal_data",
    "university_branding",
    "complaint_or_proceedings",
    "harassment",
    "confidential",
    "learning_platform_content",
    "academic_misconduct",
    "impersonation",
    "covert_recording",
)


@dataclass(frozen=True, slots=True)
class Explanation:
    """What a student is told about one kind of finding."""

    clauses: tuple[str, ...]
    message: str
    suggestion: str
    replacement: str | None


class PolicyCatalogue:
    """Clause texts and per-category guidance, the one source for messages and ``/v1/policy``."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.clauses: dict[str, dict[str, str]] = data["clauses"]
        self.categories: dict[str, dict[str, Any]] = data["categories"]
        missing = set(CATEGORIES) - set(self.categories)
        if missing:
            raise ValueError(f"policy catalogue lacks categories {sorted(missing)}")
        for cat in self.categories.values():
            for clause in cat["clauses"]:
                if clause not in self.clauses:
                    raise ValueError(f"unknown clause {clause}")

    def explain(self, category: str, type_: str) -> Explanation:
        """Return the clauses, message, suggestion and replacement for a category and type."""
        cat = self.categories[category]
        specific = cat.get("types", {}).get(type_, {})
        return Explanation(
            clauses=tuple(specific.get("clauses", cat["clauses"])),
            message=specific.get("message", cat["message"]),
            suggestion=specific.get("suggestion", cat["suggestion"]),
            replacement=specific.get("replacement"),
        )

    def describe(self) -> dict[str, Any]:
        """Return the catalogue as clients see it at ``/v1/policy``."""
        return {
            "policy": self.data["policy"],
            "clauses": [{"id": cid, **clause} for cid, clause in self.clauses.items()],
            "categories": [
                {
                    "id": cid,
                    "title": cat["title"],
                    "colour": cat["colour"],
                    "clauses": cat["clauses"],
                    "message": cat["message"],
                    "suggestion": cat["suggestion"],
                    "types": sorted(cat.get("types", {})),
                }
                for cid, cat in self.categories.items()
            ],
        }


@lru_cache(maxsize=1)
def catalogue() -> PolicyCatalogue:
    """Return the process-wide policy catalogue, read once."""
    return PolicyCatalogue(json.loads(CATALOGUE_PATH.read_text(encoding="utf-8")))
