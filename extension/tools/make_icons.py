"""Draw the extension's toolbar icons (a rounded blue square with a white tick) as PNG files.

Run once with any Python 3: ``python3 extension/tools/make_icons.py``; the PNGs are committed.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "icons"
BLUE = (29, 78, 216)
AMBER = (245, 158, 11)


def _seg_dist(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _pixel(x: float, y: float) -> tuple[int, int, int, int]:
    """Return the colour at unit-square coordinates (0..1)."""
    r = 0.22
    cx, cy = min(max(x, r), 1 - r), min(max(y, r), 1 - r)
    if math.hypot(x - cx, y - cy) > r:
        return (0, 0, 0, 0)
    if _seg_dist(x, y, 0.24, 0.52, 0.43, 0.70) < 0.075 or _seg_dist(x, y, 0.43, 0.70, 0.78, 0.30) < 0.075:
        return (255, 255, 255, 255)
    if math.hypot(x - 0.80, y - 0.80) < 0.12:
        return (*AMBER, 255)
    return (*BLUE, 255)


def png(size: int) -> bytes:
    """Return a PNG of the icon at ``size`` pixels, 4x4 supersampled."""
    rows = []
    for j in range(size):
        row = bytearray([0])
        for i in range(size):
            acc = [0, 0, 0, 0]
            for sj in range(4):
                for si in range(4):
                    c = _pixel((i + (si + 0.5) / 4) / size, (j + (sj + 0.5) / 4) / size)
                    acc = [
                        a + b * (c[3] / 255 if k < 3 else 1)
                        for k, (a, b) in enumerate(zip(acc, c, strict=True))
                    ]
            alpha = acc[3] / 16
            rgb = [round(v / (acc[3] / 255)) if acc[3] else 0 for v in acc[:3]]
            row += bytes([*rgb, round(alpha)])
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (16, 32, 48, 128):
        (OUT / f"icon-{size}.png").write_bytes(png(size))
