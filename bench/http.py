"""HTTP measurements: gunicorn as ``make serve`` runs it, under wrk, on loopback; worker memory.

Two set-ups, each its own server, both started first and loaded in turn, step by step:
``limits_on`` (Redis holds keys, limits and statistics; the load sends an API key whose limit is
far above the load) and ``limits_off`` (same Redis, ``RATELIMIT_ENABLED=false``, anonymous
requests). Each step records the CPU time the workers, Redis and wrk spent a request. After the
load steps the workers' memory is read, then ``limits_on`` checks 50,000 distinct posts more
(``/v1/check/batch``) and memory is read again. Nothing leaves 127.0.0.1; the server's output
goes to a temporary file, deleted after.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import cpu
from bench.corpus import distinct_post
from tests.processes import free_port
from tests.redis_process import RedisServer

ROOT = Path(__file__).resolve().parents[1]
LUA = Path(__file__).resolve().parent / "check.lua"
#: The wrk script adds " #" and a seven-letter tag: 271 + 9 = 280 characters.
POST_CHARS = 271
#: A limit no benchmark reaches: the point is to pay for counting, not to be refused.
KEY_LIMIT = "100000000/minute"
START_TIMEOUT_S = 300.0


def create_key(redis_url: str, instance: Path) -> str:
    """Create an API key with a very high limit in the server's store; return it."""
    from api import create_app
    from api.keys import get_keys

    app = create_app({"REDIS_URL": redis_url, "INSTANCE_PATH": str(instance), "LOG_LEVEL": "WARNING"})
    return get_keys(app).create("bench", ("check",), KEY_LIMIT)


def gunicorn_command(gunicorn: str, port: int) -> list[str]:
    """Return the ``make serve`` command line (gunicorn.conf.py), or its equivalent flags."""
    bind = ["--bind", f"127.0.0.1:{port}"]
    if (ROOT / "gunicorn.conf.py").exists():
        return [gunicorn, "--config", "gunicorn.conf.py", *bind, "wsgi:app"]
    return [gunicorn, "--workers", "2", "--preload", "--timeout", "60", *bind, "wsgi:app"]


class Server:
    """One gunicorn master with its workers, started for one set-up and stopped after it."""

    def __init__(self, gunicorn: str, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - fixed argument list
            gunicorn_command(gunicorn, self.port),
            cwd=ROOT,
            env={**os.environ, "WEB_CONCURRENCY": "2", **env},
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log_file.close()
                tail = log.read_text(errors="replace")[-2000:]  # start-up messages: no post text
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{tail}")
            try:
                # /healthz is enough: the app is preloaded (model and all) before gunicorn listens.
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:  # noqa: S310 - loopback
                    if response.status == 200 and len(self.workers()) == 2:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError("gunicorn did not become ready")

    def workers(self) -> list[int]:
        """Return the worker pids (the master's children)."""
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        except OSError:
            return []
        return sorted(int(pid) for pid in children)

    def memory(self) -> list[dict[str, Any]]:
        """Return each worker's RSS and PSS (its fair share of pages shared with the master), in MB."""
        rows = []
        for pid in self.workers():
            row: dict[str, Any] = {"pid": pid}
            for name, path, field in (("rss_mb", "status", "VmRSS:"), ("pss_mb", "smaps_rollup", "Pss:")):
                for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
                    if line.startswith(field):
                        row[name] = round(int(line.split()[1]) / 1024, 1)
            rows.append(row)
        return rows

    def stop(self) -> None:
        """Stop gunicorn gracefully (SIGTERM to the master), then close its log."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log_file.close()


def wrk(url: str, connections: int, seconds: int, env: dict[str, str]) -> dict[str, Any]:
    """Run wrk for ``seconds`` at ``connections`` open connections; return its figures."""
    command = ["wrk", "-t", "1" if connections < 4 else "2", "-c", str(connections), "-d", f"{seconds}s",
               "--timeout", "10s", "--latency", "-s", str(LUA), url]
    before = cpu.ticks()
    done = subprocess.run(  # noqa: S603 - fixed argument list
        command, env={**os.environ, **env}, capture_output=True, text=True, timeout=seconds + 60, check=True
    )
    line = next(line for line in done.stdout.splitlines() if line.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    errors = sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    return {
        "connections": connections,
        "seconds": seconds,
        "requests": raw["requests"],
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p90_ms": round(raw["p90_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "errors": errors,
        "status_errors": raw["status_errors"],
        "steal_pct": cpu.stolen_pct(before, cpu.ticks()),
    }


def post_json(url: str, body: dict[str, Any], key: str | None) -> int:
    """POST ``body`` as JSON; return the status."""
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - loopback
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def long_run(server: Server, key: str | None, posts: int, samples: int = 5) -> dict[str, Any]:
    """Check ``posts`` distinct posts in batches of 100 on two connections; sample memory as it goes.

    Two growths per worker, the larger worker's reported: over the whole run, and from the first
    sample (a fifth of the way, once the batch path has made its one-off allocations) to the end.
    """
    batch = 100
    step = max(batch, posts // samples // batch * batch)
    readings = [{"posts": 0, "workers": server.memory()}]
    failures = 0
    started = time.monotonic()
    for first in range(0, posts, step):
        end = min(first + step, posts)
        batches = [list(range(n, min(n + batch, end))) for n in range(first, end, batch)]
        lock = threading.Lock()

        def worker(queue: list[list[int]]) -> None:
            nonlocal failures
            while True:
                with lock:
                    if not queue:
                        return
                    numbers = queue.pop()
                items = [{"id": str(n), "text": distinct_post(10_000_000 + n, 280)} for n in numbers]
                if post_json(server.url + "/v1/check/batch", {"items": items}, key) != 200:
                    with lock:
                        failures += 1

        threads = [threading.Thread(target=worker, args=(batches,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        readings.append({"posts": end, "workers": server.memory()})
    rss = [{w["pid"]: w["rss_mb"] for w in r["workers"]} for r in readings]

    def growth(first: dict[int, float]) -> float:
        return round(max(rss[-1][pid] - first.get(pid, rss[-1][pid]) for pid in rss[-1]), 1)

    return {
        "posts": posts,
        "seconds": round(time.monotonic() - started, 1),
        "failed_batches": failures,
        "readings": readings,
        "rss_growth_mb": growth(rss[0]),
        "rss_growth_after_first_sample_mb": growth(rss[1]) if len(rss) > 2 else None,
    }


def run(gunicorn: str, seconds: int, steps: Sequence[int], long_run_posts: int) -> dict[str, Any]:
    """Run both set-ups under ``steps`` of load, ``seconds`` each; return the figures.

    Both servers run from the start, and each step loads one set-up and then the other (which
    goes first alternates), so drifts in the machine's speed fall on both alike: on this shared
    machine the same work cost the workers 5.7 ms of CPU a request in one 15 s window and 8.8 ms
    in another, with no steal time to show for it.
    """
    missing = [tool for tool in ("wrk", "redis-server") if shutil.which(tool) is None]
    if missing:
        return {"skipped": f"{' and '.join(missing)} not installed (`make bench-deps` installs them)"}
    result: dict[str, Any] = {"seconds_per_step": seconds, "post_chars": POST_CHARS + 9, "workers": 2}
    posts_file_dir = Path(tempfile.mkdtemp(prefix="bench-http-"))
    try:
        posts_file = posts_file_dir / "posts.txt"
        posts_file.write_text(
            "\n".join(json.dumps(distinct_post(n, POST_CHARS))[1:-1] for n in range(500)) + "\n", encoding="ascii"
        )
        redis_server = RedisServer(posts_file_dir).start()
        servers: dict[str, tuple[Server, dict[str, str]]] = {}
        try:
            redis_url = redis_server.url
            key = create_key(redis_url, posts_file_dir)
            setups = {
                "limits_on": ({"REDIS_URL": redis_url, "RATELIMIT_ENABLED": "true"}, key),
                "limits_off": ({"REDIS_URL": redis_url, "RATELIMIT_ENABLED": "false"}, None),
            }
            for name, (env, api_key) in setups.items():
                env = {**env, "INSTANCE_PATH": str(posts_file_dir)}
                server = Server(gunicorn, env, posts_file_dir / f"gunicorn-{name}.log")
                servers[name] = (server, {"BENCH_POSTS": str(posts_file), "BENCH_KEY": api_key or ""})
            load = Load(redis_server.process.pid if redis_server.process else None)
            for name, (server, load_env) in servers.items():
                load.step(server, load_env, 4, min(5, seconds))  # warm-up
            rows: dict[str, list[dict[str, Any]]] = {name: [] for name in servers}
            for i, connections in enumerate(steps):
                for name in list(servers)[:: 1 if i % 2 == 0 else -1]:
                    server, load_env = servers[name]
                    row = load.step(server, load_env, connections, seconds)
                    rows[name].append(row)
                    print(f"  http {name} c={connections}: {row['rps']} req/s, p99 {row['p99_ms']} ms, "
                          f"{row['errors']} errors, {row['cpu_ms_per_request']['workers']} ms of worker CPU "
                          f"a request, {row['steal_pct']} % stolen", file=sys.stderr)
            for name, (server, _) in servers.items():
                result[name] = {"steps": rows[name], "memory_after_load": server.memory()}
            server, _ = servers["limits_on"]
            result["limits_on"]["long_run"] = long_run(server, key, long_run_posts)
        finally:
            for server, _ in servers.values():
                server.stop()
            redis_server.stop()
    finally:
        shutil.rmtree(posts_file_dir, ignore_errors=True)
    return result


class Load:
    """wrk runs of distinct posts, each with the CPU time the workers, Redis and wrk spent on it."""

    def __init__(self, redis_pid: int | None) -> None:
        self.redis_pid = redis_pid
        self.offset = 0

    def step(self, server: Server, env: dict[str, str], connections: int, seconds: int) -> dict[str, Any]:
        """Load ``server`` with wrk; return wrk's figures and CPU milliseconds a request by process."""
        self.offset += 10_000_000  # every request of the whole run a different post
        workers = server.workers()
        before = self._cpu(workers)
        row = wrk(server.url, connections, seconds, {**env, "BENCH_OFFSET": str(self.offset)})
        after = self._cpu(workers)
        per_request = 1000 / max(row["requests"], 1)
        row["cpu_ms_per_request"] = {
            "workers": round((after[0] - before[0]) * per_request, 2),
            "redis": round((after[1] - before[1]) * per_request, 3),
            "wrk": round((after[2] - before[2]) * per_request, 2),
        }
        return row

    def _cpu(self, workers: list[int]) -> tuple[float, float, float]:
        """Return the CPU seconds so far of the workers (together), Redis and wrk's runs."""
        workers_seconds = sum(map(cpu.process_seconds, workers))
        return workers_seconds, cpu.process_seconds(self.redis_pid), cpu.children_seconds()

