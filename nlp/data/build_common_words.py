"""Write ``common_words.txt.gz``: ordinary English words that are not proper nouns.

Run once by hand (``apt-get install wamerican``, then ``python nlp/data/build_common_words.py``);
the output is committed, so neither the app nor the tests need the Debian package.

Source: the SCOWL American English word list (Debian's ``wamerican``, size 50), which spells
proper nouns with a capital ("Brown", "Young", "Rogers") and ordinary words in lower case. A
word is kept when its lower-case form is listed and its capitalised form is not: "wisdom",
"tales", "salesperson" are kept; "brown", "young", "rogers" (also surnames) and "grace",
"will", "frank" (also first names) are not. ``nlp.names.common_word`` reads the file.
"""

from __future__ import annotations

import gzip
from pathlib import Path

SOURCE = Path("/usr/share/dict/american-english")
OUTPUT = Path(__file__).resolve().parent / "common_words.txt.gz"


def main() -> None:
    words = set(SOURCE.read_text(encoding="utf-8").split())
    lower = (w for w in words if w.isascii() and w.isalpha() and w.islower())
    common = sorted(w for w in lower if w.capitalize() not in words)
    # mtime=0: the same list gives the same bytes, so a re-run changes nothing in git.
    with OUTPUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(("\n".join(common) + "\n").encode("ascii"))
    print(f"{len(common)} words -> {OUTPUT}")


if __name__ == "__main__":
    main()
