"""CPU time read from ``/proc``: the machine's, with what the hypervisor gave to other machines
("steal"), and a process's own.

On a shared virtual machine a neighbour's load can take a fifth of our cores for minutes at a
time (seen here: 115 s of 900 during one ``make bench``), and neither the load average nor the
machine's own CPU accounting shows it elsewhere. Each section and each HTTP step records the
share of the machine's time stolen while it ran, so a figure taken under theft can be told from
one that was not.
"""

from __future__ import annotations

import os
from pathlib import Path


def ticks() -> list[int]:
    """Return the machine's cumulative CPU ticks: user, nice, system, idle, iowait, irq,
    softirq, steal (the first line of ``/proc/stat``; zeros where it cannot be read)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return [0] * 8
    return [int(v) for v in fields[1:9]] + [0] * (8 - len(fields[1:9]))


def stolen_pct(before: list[int], after: list[int]) -> float | None:
    """Return the share of the machine's time stolen between two :func:`ticks` readings, in
    per cent, or None when nothing was counted."""
    spent = [b - a for a, b in zip(before, after, strict=True)]
    total = sum(spent)
    return round(100 * spent[7] / total, 1) if total > 0 else None


def process_seconds(pid: int | None) -> float:
    """Return the user and system CPU seconds of process ``pid`` so far (0 when it is gone)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_seconds() -> float:
    """Return the CPU seconds of this process's finished children (each wrk run)."""
    times = os.times()
    return times.children_user + times.children_system
