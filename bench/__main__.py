"""``python -m bench`` (``make bench``): measure the checker, side by side with Presidio; one report.

Writes ``bench/results/<UTC timestamp>.json`` and ``bench/results/latest.json`` and prints a table.
``BENCH_QUICK=1`` (or ``--quick``) shortens every run for a smoke test; its figures mean little.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import cpu, http, inprocess
from bench.corpus import corpus
from bench.report import table, targets

RESULTS = Path(__file__).resolve().parent / "results"
#: The sections, in the order they run, with the title printed as each starts.
TITLES = {"latency": "in-process latency", "scaling": "length scaling", "edits": "editing session",
          "http": "HTTP under wrk"}
SECTIONS = tuple(TITLES)


def machine() -> dict[str, Any]:
    """Return what the figures were measured on."""
    cpuinfo: dict[str, str] = {}
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        name, _, value = line.partition(":")
        cpuinfo.setdefault(name.strip(), value.strip())
    memory_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:")
    )

    def version(package: str) -> str | None:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return None

    return {
        "nproc": os.cpu_count(),
        "cpu": cpuinfo.get("model name", platform.processor()),
        "cpu_family": cpuinfo.get("cpu family"),
        "cpu_mhz": cpuinfo.get("cpu MHz"),
        "virtualised": "hypervisor" in cpuinfo.get("flags", "").split(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "spacy": version("spacy"),
        "model": inprocess.MODEL,
        "presidio_analyzer": version("presidio-analyzer"),
        "gunicorn": version("gunicorn"),
        "blas": blas(),
    }


def blas() -> dict[str, Any] | None:
    """Return numpy's BLAS and the kernels it chose: on some machines OPENBLAS_CORETYPE is set
    to an older CPU's (a safety setting for old OpenBLAS builds), which halves the speed of
    NER's larger matrix products. The figures are only comparable with the same kernels."""
    from threadpoolctl import threadpool_info

    for info in threadpool_info():
        if info["user_api"] == "blas":
            return {
                "library": info["internal_api"],
                "version": info["version"],
                "kernels": info.get("architecture"),
                "threads": info["num_threads"],
                "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
            }
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the chosen sections, write the JSON files and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", default=os.environ.get("BENCH_QUICK", "") not in ("", "0"))
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated, of {', '.join(SECTIONS)}")
    parser.add_argument("--posts", type=int, default=None, help="corpus size for latency (default 600; quick 60)")
    parser.add_argument("--sizes", default="1000,8000,65536", help="post lengths for length scaling")
    parser.add_argument("--http-seconds", type=int, default=None, help="seconds per load step (default 30; quick 3)")
    parser.add_argument("--http-steps", default=None, help="connections per step (default 1,2,4,8,16,32; quick 2,8)")
    parser.add_argument("--long-run", type=int, default=None, help="distinct posts for memory (default 50000; quick 2000)")
    parser.add_argument("--gunicorn", default=str(Path(sys.executable).with_name("gunicorn")))
    parser.add_argument("--results-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown sections {unknown}")

    started = datetime.now(UTC)
    report: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": machine(),
        # Other work on the machine skews every figure: the load averages say how much there was.
        "load_average": {"start": list(os.getloadavg())},
    }
    peer = inprocess.presidio() if {"latency", "scaling"} & set(sections) else None
    clock = time.monotonic()
    runs: dict[str, Callable[[], dict[str, Any]]] = {
        "latency": lambda: inprocess.latency(
            corpus(args.posts or (60 if args.quick else 600)), rounds=1 if args.quick else 2, peer=peer
        ),
        "scaling": lambda: inprocess.scaling(
            [int(n) for n in args.sizes.split(",")], repeats=1 if args.quick else 3, peer=peer
        ),
        "edits": lambda: inprocess.edits(1500, 30),
        "http": lambda: http.run(
            args.gunicorn,
            seconds=args.http_seconds or (3 if args.quick else 30),
            steps=[int(c) for c in args.http_steps.split(",")] if args.http_steps else
            ([2, 8] if args.quick else [1, 2, 4, 8, 16, 32]),
            long_run_posts=args.long_run or (2000 if args.quick else 50_000),
        ),
    }
    report["steal_pct"] = {}
    for name in SECTIONS:
        if name in sections:
            print(f"{TITLES[name]}…", file=sys.stderr)
            before = cpu.ticks()
            report[name] = runs[name]()
            report["steal_pct"][name] = cpu.stolen_pct(before, cpu.ticks())
    report["load_average"]["end"] = list(os.getloadavg())
    report["seconds"] = round(time.monotonic() - clock, 1)
    report["targets"] = targets(report)

    args.results_dir.mkdir(parents=True, exist_ok=True)
    body = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    (args.results_dir / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json").write_text(body, encoding="utf-8")
    (args.results_dir / "latest.json").write_text(body, encoding="utf-8")
    print(table(report))
    print(f"\nwritten: {args.results_dir / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
