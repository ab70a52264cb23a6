"""Judge the figures against the targets of issue 7 and print them as one table."""

from __future__ import annotations

from typing import Any

#: Targets on a 2-core machine (issue 7).
RATIO_MIN = 2.0
P99_MAX_MS = 15.0
LONG_POST_MAX_MS = 1000.0
#: Growth exponent of time against length allowed for "linear" (1.0 = exactly linear).
EXPONENT_MAX = 1.1
HTTP_RPS_MIN = 250.0
HTTP_P99_MAX_MS = 50.0
RSS_MAX_MB = 250.0
RSS_GROWTH_MAX_MB = 5.0
#: An unchanged draft re-checked from the cache, as a share of checking it from scratch.
UNCHANGED_SHARE_MAX = 0.05


def best_rps(steps: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Return the busiest step whose p99 is within target and that had no errors."""
    good = [s for s in steps if s["p99_ms"] <= HTTP_P99_MAX_MS and s["errors"] == 0]
    return max(good, key=lambda s: s["rps"]) if good else None


def _target(name: str, goal: str, measured: Any, met: bool | None) -> dict[str, Any]:
    return {"target": name, "goal": goal, "measured": measured, "met": met}


def targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Return one row per target: what was asked, what was measured, and whether it was met."""
    rows = []
    latency = report.get("latency")
    if latency:
        ratio = latency.get("ratio_median")
        rows.append(_target("median vs Presidio", f"ratio >= {RATIO_MIN}", ratio,
                            None if ratio is None else ratio >= RATIO_MIN))
        p99 = latency["ours"]["p99_ms"]
        rows.append(_target("p99, posts <= 2,000 chars", f"<= {P99_MAX_MS} ms", p99, p99 <= P99_MAX_MS))
    scaling = report.get("scaling")
    if scaling:
        longest = scaling["posts"][-1]
        rows.append(_target(f"{longest['chars']}-char post", f"< {LONG_POST_MAX_MS:.0f} ms", longest["ours_ms"],
                            longest["ours_ms"] < LONG_POST_MAX_MS))
        rows.append(_target("time vs length", f"exponent <= {EXPONENT_MAX}", scaling["exponent"],
                            scaling["exponent"] <= EXPONENT_MAX))
    http = report.get("http")
    if http and "skipped" not in http:
        for setup in ("limits_on", "limits_off"):
            best = best_rps(http[setup]["steps"])
            rows.append(_target(f"HTTP {setup}", f">= {HTTP_RPS_MIN:.0f} req/s at p99 <= {HTTP_P99_MAX_MS:.0f} ms",
                                None if best is None else best["rps"],
                                best is not None and best["rps"] >= HTTP_RPS_MIN))
        readings = [http[s]["memory_after_load"] for s in ("limits_on", "limits_off")]
        readings += [r["workers"] for r in http["limits_on"]["long_run"]["readings"]]
        rss = max(w["rss_mb"] for workers in readings for w in workers)
        rows.append(_target("RSS per worker", f"<= {RSS_MAX_MB:.0f} MB", rss, rss <= RSS_MAX_MB))
        long_run = http["limits_on"]["long_run"]
        for label, growth in ((f"RSS growth, {long_run['posts']} posts", long_run["rss_growth_mb"]),
                              ("RSS growth after first fifth", long_run["rss_growth_after_first_sample_mb"])):
            if growth is not None:
                rows.append(_target(label, f"<= {RSS_GROWTH_MAX_MB:.0f} MB", growth, growth <= RSS_GROWTH_MAX_MB))
    edits = report.get("edits")
    if edits:
        share = round(edits["cache_on"]["unchanged_ms"] / edits["cache_off"]["first_check_ms"], 3)
        rows.append(_target("unchanged draft re-check", f"<= {UNCHANGED_SHARE_MAX:.0%} of a full check", share,
                            share <= UNCHANGED_SHARE_MAX))
    return rows


def _row(cells: list[Any], widths: list[int]) -> str:
    return "  ".join(str(c if c is not None else "-").ljust(w) for c, w in zip(cells, widths, strict=True))


def _block(title: str, header: list[str], rows: list[list[Any]]) -> list[str]:
    widths = [max(len(str(c if c is not None else "-")) for c in column) for column in zip(header, *rows, strict=True)]
    return ["", title, _row(header, widths), _row(["-" * w for w in widths], widths)] + [_row(r, widths) for r in rows]


def table(report: dict[str, Any]) -> str:
    """Return the report as plain-text tables."""
    m = report["machine"]
    lines = [f"bench {report['started']}{' (quick)' if report['quick'] else ''}: {m['nproc']} cores, {m['cpu']}, "
             f"{m['memory_gb']} GB; load average {report['load_average']['start'][0]:.2f} -> "
             f"{report['load_average']['end'][0]:.2f}"]
    steal = report.get("steal_pct")
    if steal:
        lines.append("CPU time stolen by other virtual machines: "
                     + ", ".join(f"{name} {pct} %" for name, pct in steal.items()))
    blas = m.get("blas")
    if blas:
        forced = f" (OPENBLAS_CORETYPE={blas['OPENBLAS_CORETYPE']})" if blas["OPENBLAS_CORETYPE"] else ""
        lines.append(f"BLAS: {blas['library']} {blas['version']}, {blas['kernels']} kernels, "
                     f"{blas['threads']} thread(s){forced}")
    latency = report.get("latency")
    if latency:
        rows = []
        for label, ours, peer in [("all", latency["ours"], latency["presidio"])] + [
            (b["chars"], b["ours"], b.get("presidio")) for b in latency["by_length"]
        ]:
            rows.append([label, ours["n"], ours["median_ms"], ours["p99_ms"],
                         peer and peer["median_ms"], peer and peer["p99_ms"],
                         peer and round(peer["median_ms"] / ours["median_ms"], 2)])
        lines += _block(f"In-process latency, {latency['posts']} posts x {latency['rounds']} rounds (ms)",
                        ["chars", "n", "ours p50", "ours p99", "presidio p50", "presidio p99", "ratio p50"], rows)
    scaling = report.get("scaling")
    if scaling:
        rows = [[r["chars"], r["ours_ms"], r["ours_one_paragraph_ms"], r["ours_us_per_char"], r.get("presidio_ms")]
                for r in scaling["posts"]]
        lines += _block(f"Length scaling (ms, best of runs; growth exponent {scaling['exponent']})",
                        ["chars", "ours", "ours, 1 paragraph", "us/char", "presidio"], rows)
    edits = report.get("edits")
    if edits:
        rows = [[label, edits[label]["first_check_ms"], edits[label]["recheck"]["median_ms"],
                 edits[label]["recheck"]["p99_ms"], edits[label]["unchanged_ms"], edits[label]["session_total_ms"]]
                for label in ("cache_on", "cache_off")]
        lines += _block(f"Editing session: {edits['edits']} edits of a {edits['chars']}-char, {edits['paragraphs']}-paragraph "
                        f"draft (ms; cache hit rate {edits['cache_hit_rate']:.0%})",
                        ["", "first check", "re-check p50", "re-check p99", "unchanged", "session total"], rows)
    http = report.get("http")
    if http and "skipped" in http:
        lines += ["", f"HTTP: skipped ({http['skipped']})"]
    elif http:
        rows = [[setup, s["connections"], s["rps"], s["p50_ms"], s["p99_ms"], s["errors"],
                 s.get("cpu_ms_per_request", {}).get("workers"), s.get("cpu_ms_per_request", {}).get("redis"),
                 s.get("steal_pct")]
                for setup in ("limits_on", "limits_off") for s in http[setup]["steps"]]
        lines += _block(f"HTTP: gunicorn, {http['workers']} workers, {http['post_chars']}-char posts, "
                        f"{http['seconds_per_step']} s a step (wrk, loopback; set-ups in turn at each step)",
                        ["set-up", "connections", "req/s", "p50 ms", "p99 ms", "errors", "workers' CPU ms/req",
                         "Redis CPU ms/req", "stolen %"], rows)
        long_run = http["limits_on"]["long_run"]
        rows = [[setup, ", ".join(f"{w['rss_mb']}/{w['pss_mb']}" for w in http[setup]["memory_after_load"])]
                for setup in ("limits_on", "limits_off")]
        rows += [[f"+{r['posts']} posts", ", ".join(f"{w['rss_mb']}/{w['pss_mb']}" for w in r["workers"])]
                 for r in long_run["readings"][1:]]
        lines += _block(f"Worker memory, RSS/PSS MB per worker (long run: {long_run['posts']} distinct posts in "
                        f"{long_run['seconds']} s, {long_run['failed_batches']} failed batches)",
                        ["after", "workers"], rows)
    rows = [[t["target"], t["goal"], t["measured"], {True: "yes", False: "NO", None: "-"}[t["met"]]]
            for t in report["targets"]]
    lines += _block("Targets", ["target", "goal", "measured", "met"], rows)
    return "\n".join(lines)
