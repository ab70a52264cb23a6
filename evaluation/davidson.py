"""Harassment on Davidson et al.'s labelled tweets: recall on hate and offensive, false alarms on neither.

The lexicons we ship were written by hand, not derived from this set, so scoring on it is fair.
"""

from __future__ import annotations

import csv
import html
from collections import Counter
from pathlib import Path
from typing import Any

from nlp.analyzer import Analyzer

DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "peer" / "davidson-labeled-tweets.csv"
CLASSES = {"0": "hate", "1": "offensive", "2": "neither"}


def load(path: Path = DATA) -> list[tuple[str, str]]:
    """Return (class name, tweet) pairs."""
    with path.open(encoding="utf-8", newline="") as fh:
        # The tweets keep Twitter's HTML escaping ("&amp;", "&#128514;"): unescape to what people wrote.
        return [(CLASSES[row["class"]], html.unescape(row["tweet"])) for row in csv.DictReader(fh)]


def score(analyzer: Analyzer, rows: list[tuple[str, str]]) -> dict[str, Any]:
    """Return the share of each class that the checker flags as harassment.

    Only the harassment detectors run: findings are merged per category, so the others cannot
    change what harassment reports, and 25k tweets through all of them would just take longer.
    """
    harassment = Analyzer(analyzer.nlp, [d for d in analyzer.detectors if d.category == "harassment"])
    total: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    analyses = harassment.analyze_many([tweet for _, tweet in rows], batch_size=256)
    for (label, _), analysis in zip(rows, analyses, strict=True):
        total[label] += 1
        flagged[label] += any(f.category == "harassment" for f in analysis.findings)
    return {
        "recall_hate": flagged["hate"] / total["hate"],
        "recall_offensive": flagged["offensive"] / total["offensive"],
        "false_alarm_neither": flagged["neither"] / total["neither"],
        "counts": dict(total),
    }
