"""Write ``english_words.txt.gz``: the SCOWL American English word list, as it is spelled.

Run once by hand (``apt-get install wamerican``, then ``python nlp/data/build_english_words.py``);
the output is committed, so neither the app nor the tests need the Debian package.

Source: SCOWL (Debian's ``wamerican``, size 50), which spells proper nouns with a capital
("Brown", "Young", "Rogers", "Gothic") and ordinary words in lower case. ``nlp.names`` reads it
for two questions: is a word an ordinary English word and no proper noun ("wisdom", "tales":
``common_word``), and is it an English word at all ("gothic", "brown": ``english_word``).
Possessives and words with letters outside ASCII are left out.
"""

from __future__ import annotations

import gzip
from pathlib import Path

SOURCE = Path("/usr/share/dict/american-english")
OUTPUT = Path(__file__).resolve().parent / "english_words.txt.gz"


def main() -> None:
    words = sorted({w for w in SOURCE.read_text(encoding="utf-8").split() if w.isascii() and w.isalpha()})
    # mtime=0: the same list gives the same bytes, so a re-run changes nothing in git.
    with OUTPUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
        fh.write(("\n".join(words) + "\n").encode("ascii"))
    print(f"{len(words)} words -> {OUTPUT}")


if __name__ == "__main__":
    main()
