"""The API as ``make serve`` runs it (gunicorn, ``gunicorn.conf.py``) on loopback, for faults and load."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.processes import free_port, stop_process
from tests.reliability.load import call

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 180.0


@dataclass
class Gunicorn:
    """One gunicorn master with its workers; its log (JSON access lines and app logs) in a file."""

    workdir: Path
    settings: dict[str, str]
    workers: int = 2
    host: str = "127.0.0.1"
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def log(self) -> Path:
        """Return the file this server's output goes to (one per start)."""
        return self.workdir / f"gunicorn-{self.port}-{self.starts}.log"

    def start(self) -> Gunicorn:
        """Start the master and wait until /readyz answers 200."""
        self.starts += 1
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(self.workdir),
            "INSTANCE_PATH": str(self.workdir / "instance"),
            "WEB_CONCURRENCY": str(self.workers),
            "LOG_LEVEL": "INFO",
            "REDIS_URL": "",
            **self.settings,
        }
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--config",
                    "gunicorn.conf.py",
                    "--bind",
                    f"{self.host}:{self.port}",
                    "--no-control-socket",
                    "wsgi:app",
                ],
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.log_text()[-3000:]}")
            try:
                if call(self.host, self.port, "GET", "/readyz", timeout=2).status == 200:
                    if len(self.worker_pids()) == self.workers:
                        return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not become ready:\n{self.log_text()[-3000:]}")

    def worker_pids(self) -> list[int]:
        """Return the pids of the master's workers."""
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def terminate(self, timeout: float = 60.0) -> tuple[int, float]:
        """Send SIGTERM to the master (a graceful stop); return its exit code and how long it took."""
        assert self.process is not None
        began = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=timeout)
        self.process = None
        return code, time.monotonic() - began

    def stop(self) -> None:
        """Stop the server if it still runs (SIGTERM, then SIGKILL)."""
        if self.process is None:
            return
        stop_process(self.process, grace=40)
        self.process = None

    def log_text(self) -> str:
        """Return everything this server has logged, over all its starts."""
        parts = []
        for start in range(1, self.starts + 1):
            path = self.workdir / f"gunicorn-{self.port}-{start}.log"
            if path.exists():
                parts.append(path.read_text(errors="replace"))
        return "\n".join(parts)

    def wait_for_log(self, line: str, timeout: float = 10.0) -> str:
        """Return the log once it holds ``line``, or as it is after ``timeout`` seconds.

        gunicorn writes a request's access line after the response has gone out, so a client can
        see the answer before the line is in the file.
        """
        deadline = time.monotonic() + timeout
        text = self.log_text()
        while line not in text and time.monotonic() < deadline:
            time.sleep(0.05)
            text = self.log_text()
        return text


def rss_mib(pid: int) -> float | None:
    """Return the resident set size of a process in MiB (None once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
