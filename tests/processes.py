"""Child processes for the tests and ``make bench``: a free loopback port, and stopping a child.

Needs no pytest, so ``.venv-peer`` (``make bench``) can import it.
"""

from __future__ import annotations

import socket
import subprocess


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop_process(process: subprocess.Popen[bytes], grace: float) -> None:
    """Stop ``process`` with SIGTERM; SIGKILL it if it has not exited within ``grace`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
