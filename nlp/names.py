"""First names for the third_party detector: a Latin gazetteer and a reading of Cyrillic words.

Why these sources:

* **Latin script: gender-guesser's ``nam_dict.txt``** (Jörg Michael's first-name dictionary,
  GFDL, shipped inside the 380 kB ``gender-guesser`` wheel). It lists 45k first names with a
  frequency per country, including columns for Russia, Belarus, Ukraine and
  "Kazakhstan/Uzbekistan, etc.". We keep the names used in those countries (the ones the small
  English spaCy model misses or calls places) as the *local* tier, and other names of four or
  more letters that are not rare somewhere as the *international* tier, scored lower. The
  dictionary dates from 2008, so ``data/first_names_extra.txt`` adds Kazakh names of today's
  students it lacks. Names that are also ordinary English words or place names ("May",
  "Will", "Sultan", "Altay") are left out through ``data/third_party.json`` and
  ``data/name_word_collisions.txt``.
* **Cyrillic script: pymorphy3** with ``pymorphy3-dicts-ru`` (OpenCorpora). Its tags mark first
  names, surnames and patronymics (``Name``/``Surn``/``Patr``) and places (``Geox``), with a
  probability per reading, so "Вера" (faith or a name) and "Наталья Петрова" can be told apart
  from context; it knows many Kazakh names ("Айдана", "Аружан"), loads in ~0.1 s and is pure
  Python. natasha was rejected: a 34 MB wheel built on pymorphy2, which breaks on Python 3.11.
  Kazakh letters (ә ғ қ ң ө ұ ү һ і) are folded to their Russian neighbours before the lookup,
  and every Cyrillic word is also transliterated and looked up in the Latin gazetteer, which
  catches names pymorphy does not know as names ("Ерлан").

Both are loaded lazily, once per process (the gazetteer takes ~0.2 s to build; a server can
call ``gazetteer()`` at start-up to keep that off the first request).
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import regex

DATA_DIR = Path(__file__).resolve().parent / "data"
LEXICON_PATH = DATA_DIR / "third_party.json"
EXTRA_NAMES_PATH = DATA_DIR / "first_names_extra.txt"
COLLISIONS_PATH = DATA_DIR / "name_word_collisions.txt"
ENGLISH_WORDS_PATH = DATA_DIR / "english_words.txt.gz"

#: Gazetteer tiers: local names are trusted more than names merely common somewhere.
LOCAL = 1
INTERNATIONAL = 2

# Column order of nam_dict.txt (see its header); frequencies are hex digits 1 (rare) .. D.
_COUNTRIES = (
    "great_britain ireland usa italy malta portugal spain france belgium luxembourg the_netherlands"
    " east_frisia germany austria swiss iceland denmark norway sweden finland estonia latvia lithuania"
    " poland czech_republic slovakia hungary romania bulgaria bosnia croatia kosovo macedonia"
    " montenegro serbia slovenia albania greece russia belarus moldova ukraine armenia azerbaijan"
    " georgia the_stans turkey arabia israel china india japan korea vietnam other_countries"
).split()
_COLUMN = {name: i for i, name in enumerate(_COUNTRIES)}
_FIRST_VALUE_COLUMN = 30
_EXPANDED_UMLAUT_FLAG = 29

#: (countries, minimum frequency) pairs that make a name local. Central Asia's column is
#: sparse, so any listing counts; the Slavic and Caucasus columns need a common name.
LOCAL_RULES: tuple[tuple[tuple[str, ...], int], ...] = (
    (("the_stans",), 1),
    (("russia", "belarus", "ukraine"), 3),
    (("azerbaijan", "armenia", "georgia", "turkey", "moldova"), 5),
)
#: Minimum frequency in any one country for an international name, and its minimum length
#: (the dictionary lists Chinese and Korean syllables such as "Ee" or "Bo" as names).
INTERNATIONAL_MIN = 2
INTERNATIONAL_MIN_LENGTH = 4

_CYRILLIC_TO_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh",
        "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
        "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    }
)  # fmt: skip
#: Kazakh letters folded to the Russian letters pymorphy knows.
_KAZAKH_TO_RUSSIAN = str.maketrans(
    {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и",
     "Ә": "А", "Ғ": "Г", "Қ": "К", "Ң": "Н", "Ө": "О", "Ұ": "У", "Ү": "У", "Һ": "Х", "І": "И"}
)  # fmt: skip
_LATIN_FOLD = str.maketrans({"ı": "i", "y": "i", "j": "i", "x": "ks", "q": "k", "w": "v"})


_CYRILLIC = regex.compile("[\u0400-\u04ff]")


def is_cyrillic(word: str) -> bool:
    """Return True when the word contains a Cyrillic letter."""
    return _CYRILLIC.search(word) is not None


def name_key(word: str) -> str:
    """Fold a first name in either script to a spelling-neutral key ("Yerlan", "Ерлан" -> "erlan")."""
    low = word.lower()
    if is_cyrillic(low):
        low = low.translate(_CYRILLIC_TO_LATIN)
    if not low.isascii():  # ASCII has nothing to decompose and no combining marks
        low = "".join(ch for ch in unicodedata.normalize("NFKD", low) if not unicodedata.combining(ch))
    low = low.replace("kh", "h").translate(_LATIN_FOLD)
    if low.startswith("ie"):  # Ye-/Je-/Е- at the start: Yelena, Jelena, Елена
        low = low[1:]
    out: list[str] = []
    for ch in low:
        if not out or out[-1] != ch:  # Assel/Asel, Zhanna/Zhana
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """Return the third_party word lists (``data/third_party.json``), read once."""
    data: dict[str, Any] = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    return data


def word_set(key: str) -> frozenset[str]:
    """Return one lexicon list as a set of lower-case words."""
    return _word_sets()[key]


@lru_cache(maxsize=1)
def _word_sets() -> dict[str, frozenset[str]]:
    lex = lexicon()
    return {k: frozenset(w.lower() for w in v) for k, v in lex.items() if isinstance(v, list)}


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """First-name keys with their tier, and the surface words that are never taken as names."""

    tiers: dict[str, int]
    excluded: frozenset[str]

    def tier(self, word: str) -> int | None:
        """Return LOCAL or INTERNATIONAL when ``word`` is a known first name, else None."""
        low = word.lower()
        if low in self.excluded or _elongated(low):
            return None  # "Sooo", "Yesss" would fold onto short names
        return self.tiers.get(name_key(word))


_TRIPLE = regex.compile(r"(.)\1\1", regex.DOTALL)


def _elongated(word: str) -> bool:
    """Return True when some character comes three times in a row ("sooo")."""
    return _TRIPLE.search(word) is not None


def _frequency(ch: str) -> int:
    """Return the frequency a column character stands for: blank is 0, hex 1..D otherwise."""
    return int(ch, 16) if ch.strip() else 0


def _read_nam_dict(lines: Iterable[str]) -> dict[str, int]:
    # Frequency characters sort like their values (" " < "1" < ... < "9" < "A" < ... < "D"),
    # so max() over the raw characters finds the highest frequency without parsing each one.
    local_columns = [([_COLUMN[c] for c in countries], minimum) for countries, minimum in LOCAL_RULES]
    tiers: dict[str, int] = {}
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line or line[0] in "#=" or line[_EXPANDED_UMLAUT_FLAG : _EXPANDED_UMLAUT_FLAG + 1] == "+":
            continue
        values = line[_FIRST_VALUE_COLUMN : _FIRST_VALUE_COLUMN + len(_COUNTRIES)].ljust(len(_COUNTRIES))
        name = line.split()[1].replace("+", "")
        local = any(_frequency(max(values[i] for i in cols)) >= minimum for cols, minimum in local_columns)
        common = _frequency(max(values)) >= INTERNATIONAL_MIN and len(name) >= INTERNATIONAL_MIN_LENGTH
        tier = LOCAL if local else INTERNATIONAL if common else None
        if tier is not None:
            key = name_key(name)
            tiers[key] = min(tier, tiers.get(key, tier))
    return tiers


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Return the first-name gazetteer, built once from gender-guesser's dictionary and our extras."""
    source = resources.files("gender_guesser").joinpath("data/nam_dict.txt")
    with source.open(encoding="utf-8") as fh:
        tiers = _read_nam_dict(fh)
    for name in _read_list(EXTRA_NAMES_PATH):
        tiers[name_key(name)] = LOCAL
    excluded = word_set("gazetteer_exclusions") | word_set("not_names") | set(_read_list(COLLISIONS_PATH))
    return Gazetteer(tiers=tiers, excluded=frozenset(w.lower() for w in excluded))


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    with gzip.open(ENGLISH_WORDS_PATH, "rt", encoding="ascii") as fh:
        return frozenset(fh.read().split())


def common_word(word: str) -> bool:
    """Return True for an ordinary English word that is no proper noun and no known first name.

    "Wisdom", "Tales", "Salesperson" are; "Brown" and "Young" (surnames too), "Grace" and
    "Destiny" (first names) are not. The list is SCOWL's (``data/build_english_words.py``).
    """
    return ordinary_word(word) and not proper_noun(word) and gazetteer().tier(word) is None


def ordinary_word(word: str) -> bool:
    """Return True when the word is in the English word list in lower case ("later", "brown"),
    whatever else it may be; proper nouns the list spells only with a capital ("Ryan") are not."""
    return word.lower() in _english_words()


def english_word(word: str) -> bool:
    """Return True for any word of the English word list, ordinary or proper ("Gothic", "Brown")."""
    return ordinary_word(word) or proper_noun(word)


def proper_noun(word: str) -> bool:
    """Return True when the English word list spells the word with a capital ("Chad", "Grace"),
    so it may be a name; "others" and "cookies" are not."""
    return word.lower().capitalize() in _english_words()


def _read_list(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@dataclass(frozen=True, slots=True)
class CyrillicReading:
    """How likely a Cyrillic word is a personal name, from pymorphy3 and the gazetteer."""

    name: float  # probability mass of first-name, surname and patronymic readings
    place: float  # places and organisations
    other: float  # ordinary words
    known: bool  # the word is in the dictionary (not guessed from its ending)
    in_gazetteer: bool

    def is_name(self, sentence_start: bool, context: bool = False) -> bool:
        """Return True when the word should be read as a name here.

        ``context`` is a relation word or title just before it ("мой друг ..."), which makes any
        reading that is not a place enough.
        """
        if self.place > max(self.name, 0.0) and not self.in_gazetteer:
            return False
        if context:
            return self.name > 0 or self.in_gazetteer or not self.known
        if sentence_start and not self.known and not self.in_gazetteer:
            # Only guessed from its ending: at a sentence start that is most often a Kazakh word
            # ("Менің", "Бүгін", "Жаңа") that the Russian dictionary reads as a surname.
            return False
        if self.name >= 0.5:
            return True
        if self.in_gazetteer and (not self.known or self.name >= self.other / 2):
            return True
        # A capital in mid-sentence marks a name where the word can be one ("Слава", "Надежда").
        return not sentence_start and self.name > 0


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3  # imported here: only posts with Cyrillic pay for the dictionary

    return pymorphy3.MorphAnalyzer(lang="ru")


_NAME_TAGS = ("Name", "Surn", "Patr")
_PLACE_TAGS = ("Geox", "Orgn", "Trad")
#: Kazakh patronymic endings (-ұлы "son of", -қызы "daughter of"), folded to Russian letters.
_KAZAKH_PATRONYMIC = ("улы", "уулы", "кызы")


@lru_cache(maxsize=4096)
def cyrillic_reading(word: str) -> CyrillicReading:
    """Read one capitalised Cyrillic word: how much of it is a name, a place, an ordinary word."""
    folded = word.translate(_KAZAKH_TO_RUSSIAN)
    name = place = other = 0.0
    known = False
    # A word spelled with Kazakh letters is not Russian, whatever its folded form reads as.
    kazakh = folded != word
    for parse in _morph().parse(folded):
        tag = parse.tag
        if not kazakh and type(parse.methods_stack[0][0]).__name__ == "DictionaryAnalyzer":
            known = True
        if any(t in tag for t in _NAME_TAGS):
            name += parse.score
        elif any(t in tag for t in _PLACE_TAGS):
            place += parse.score
        else:
            other += parse.score
    lower = folded.lower()
    if len(lower) > 5 and lower.endswith(_KAZAKH_PATRONYMIC):
        name, place, other = 1.0, 0.0, 0.0
    in_gazetteer = gazetteer().tier(word) is not None
    return CyrillicReading(name=name, place=place, other=other, known=known, in_gazetteer=in_gazetteer)


def initials(words: Iterable[str]) -> str:
    """Return the initials of the given name words: ("Sophie", "Clarke") -> "S. C."."""
    return " ".join(f"{w[0].upper()}." for w in words if w and w[0].isalpha())
