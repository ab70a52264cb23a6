"""The benchmark harness runs end to end and writes well-formed JSON (speed is measured by ``make bench``)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from bench import cpu
from bench.__main__ import main
from bench.corpus import corpus, distinct_post, edit_session, long_post


def run(tmp_path: Path, *args: str) -> dict[str, Any]:
    """Run the harness into ``tmp_path`` and return latest.json, checking the timestamped copy."""
    assert main(["--quick", "--results-dir", str(tmp_path), *args]) == 0
    latest = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    stamped = [p for p in tmp_path.glob("*.json") if p.name != "latest.json"]
    assert len(stamped) == 1
    assert json.loads(stamped[0].read_text(encoding="utf-8")) == latest
    return latest


def timing(summary: dict[str, Any]) -> None:
    assert summary["n"] > 0
    assert 0 < summary["median_ms"] <= summary["p99_ms"] <= summary["max_ms"]


def test_in_process_sections_write_their_figures(tmp_path: Path) -> None:
    report = run(tmp_path, "--sections", "latency,scaling,edits", "--posts", "12", "--sizes", "400,1600")
    assert report["quick"] is True
    assert report["machine"]["nproc"] >= 1 and report["machine"]["cpu"]
    blas = report["machine"]["blas"]  # which kernels numpy's BLAS runs: figures depend on them
    assert blas["library"] == "openblas" and blas["kernels"] and blas["threads"] == 1
    assert len(report["load_average"]["start"]) == 3 and len(report["load_average"]["end"]) == 3
    # The share of each section's time the hypervisor gave to other machines (/proc/stat).
    assert set(report["steal_pct"]) == {"latency", "scaling", "edits"}
    assert all(0 <= pct <= 100 for pct in report["steal_pct"].values())
    latency = report["latency"]
    assert latency["posts"] == 12
    timing(latency["ours"])
    assert latency["by_length"] and all(band["ours"]["n"] > 0 for band in latency["by_length"])
    if latency["presidio"] is not None:  # only in .venv-peer
        timing(latency["presidio"])
        assert latency["ratio_median"] > 0
    assert [row["chars"] for row in report["scaling"]["posts"]] == [400, 1600]
    assert all(row["ours_ms"] > 0 and row["ours_one_paragraph_ms"] > 0 for row in report["scaling"]["posts"])
    edits = report["edits"]
    assert edits["edits"] == 30 and edits["paragraphs"] >= 4
    assert 0 < edits["cache_hit_rate"] < 1
    for label in ("cache_on", "cache_off"):
        timing(edits[label]["recheck"])
    assert {t["target"] for t in report["targets"]} >= {"p99, posts <= 2,000 chars", "unchanged draft re-check"}
    assert all(t["met"] in (True, False, None) for t in report["targets"])
    assert "http" not in report


@pytest.mark.redis
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk comes from `make system-deps`")
def test_http_section_writes_its_figures(tmp_path: Path) -> None:
    report = run(tmp_path, "--sections", "http", "--http-seconds", "1", "--http-steps", "2", "--long-run", "200")
    http = report["http"]
    assert http["post_chars"] == 280 and http["workers"] == 2
    for setup in ("limits_on", "limits_off"):
        (step,) = http[setup]["steps"]
        assert step["connections"] == 2 and step["requests"] > 0 and step["errors"] == 0
        assert 0 < step["p50_ms"] <= step["p99_ms"]
        assert 0 <= step["steal_pct"] <= 100
        # CPU a request by process: the workers analyse, Redis counts only with limits on.
        assert step["cpu_ms_per_request"]["workers"] > 0 and step["cpu_ms_per_request"]["wrk"] >= 0
        assert [set(w) for w in http[setup]["memory_after_load"]] == [{"pid", "rss_mb", "pss_mb"}] * 2
    long_run = http["limits_on"]["long_run"]
    assert long_run["posts"] == 200 and long_run["failed_batches"] == 0
    assert [r["posts"] for r in long_run["readings"]] == [0, 100, 200]
    assert any(t["target"] == "RSS per worker" and t["met"] for t in report["targets"])


@pytest.mark.parametrize(
    ("make", "check"),
    [
        (lambda: corpus(50), lambda posts: len(set(posts)) == 50 and all(20 <= len(p) <= 2000 for p in posts)),
        (lambda: [distinct_post(n, 271) for n in range(200)], lambda posts: len(set(posts)) == 200
         and {len(p) for p in posts} == {271}),
        (lambda: [long_post(n) for n in (1000, 65_536)], lambda posts: [len(p) for p in posts] == [1000, 65_536]),
        (lambda: edit_session(1500, 30), lambda versions: len(versions) == 31 and len(set(versions)) > 25),
    ],
    ids=["corpus", "distinct", "long", "edits"],
)
def test_corpus_is_deterministic_and_shaped(make, check) -> None:
    first = make()
    assert first == make()  # the same seed gives the same posts
    assert check(first)


def test_stolen_share_is_the_steal_column_of_proc_stat() -> None:
    # user nice system idle iowait irq softirq steal: 40 of 200 ticks stolen
    assert cpu.stolen_pct([0] * 8, [100, 0, 20, 40, 0, 0, 0, 40]) == 20.0
    assert cpu.stolen_pct([5] * 8, [5] * 8) is None  # no time passed
    reading = cpu.ticks()
    assert len(reading) == 8 and sum(reading) > 0


def test_a_process_cpu_time_is_read_from_proc() -> None:
    spent = cpu.process_seconds(os.getpid())
    sum(i * i for i in range(300_000))  # some CPU of this process
    assert cpu.process_seconds(os.getpid()) > spent
    assert cpu.process_seconds(None) == 0.0
