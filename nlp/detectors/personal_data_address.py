"""Street addresses: a house number next to a street name, and the lines that follow it.

Shapes recognised (a house number is always required: "Baker Street" alone is a landmark):
- number first (UK/US/English): "48 Dostyk Avenue, flat 12", "221B Baker Street, London NW1 6XE",
  "1600 Pennsylvania Ave NW, Washington, DC 20500", French "12 rue de la Paix";
- street type first (Russian, Kazakh transliterated, continental Europe): "ул. Абая 10, кв. 5",
  "pr. Dostyk 48", "мкр. Самал-2, д. 5", "Via Roma 5";
- name then type then number (Kazakh/European habit): "Dostyk Avenue 48", "Абай даңғылы 10",
  "Hauptstraße 5", "Kerkstraat 12";
- a street without a street word when a flat number or a town and postcode follow it, as in a
  postal block ("Allika 46, Apt. 3, Tartu 50090"); P.O. boxes and US military addresses;
  street corners ("угол Абая и Достык", "corner of Abay and Dostyk");
- after an address phrase ("my address is", "lives at", "адрес:"), a number and a name.
Weak street types that are also ordinary words ("Park", "Hill", "View") only count with more
evidence: a flat number, a postcode or an address word nearby. The flat, town, postcode and
country that follow a street line are added to the span. Every quantifier is bounded, and the
full pattern only runs in windows around street words, so the scan stays linear and cheap.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex
from spacy.tokens import Doc

from nlp.detectors.base import finditer, memo, text_of
from nlp.detectors.personal_data_text import first, found

# USPS Publication 28 / Royal Mail street types. Strong ones are rarely anything but a street.
STRONG_TYPES = (
    "street|st|str|avenue|ave|av|road|rd|lane|ln|boulevard|blvd|drive|dr|court|ct|place|pl|"
    "square|sq|terrace|terr|way|close|crescent|cres|highway|hwy|parkway|pkwy|circle|cir|trail|"
    "trl|mews|gardens|gdns|grove|plaza|alley|expressway|expy|freeway|fwy|turnpike|tpke|pike|"
    "row|walk|parade|embankment|ulitsa|prospekt|prospect|microdistrict|stravenue|causeway|"
    "bypass|crossing|xing|junction|jct|motorway|wynd|broadway"
)
WEAK_TYPES = (
    "hill|hills|park|view|vista|green|point|port|ridge|run|path|loop|pass|lake|lakes|valley|"
    "heights|hts|meadow|meadows|manor|estate|estates|village|ville|station|center|centre|"
    "creek|brook|glen|harbor|harbour|haven|hollow|island|isle|key|knoll|landing|mall|mill|mills|"
    "mission|mount|mountain|orchard|oval|ranch|rest|river|shore|shores|spring|springs|square|"
    "summit|track|trace|tunnel|union|underpass|overpass|wall|well|wells|wood|woods|forest|"
    "fork|forks|ford|fort|field|fields|falls|ferry|dale|crest|cove|corner|corners|common|"
    "commons|cliff|cliffs|canyon|cape|camp|burg|bridge|branch|bluff|bend|beach|bay|extension|"
    "flat|flats|gateway|grove|light|lock|lodge|neck|plain|plains|prairie|rapid|rapids|"
    "shoal|skyway|stream|throughway|trafficway|viaduct|radial|ramp|spur|wharf|yard|yards|"
    "gate|rise|vale|end|side"
)
# Street words written before the name: Romance, Slavic, Kazakh/Russian and their
# transliterations.
PREFIX_TYPES_LATIN = (
    r"ul\.|ulitsa|ulica|pr\.|pr-t|prosp\.|prospekt|prospect|mkr\.?|mkrn\.?|microdistrict|"
    r"mikrorayon|md\.|rue|boulevard|bd\.?|blvd\.?|chemin|avenue|av\.|avda\.?|avenida|allée|"
    r"impasse|quai|via|viale|piazza|piazzale|corso|largo|calle|c/|carrer|rua|travessa|"
    r"aleja|al\.|plac|náměstí|ulice|strada|str\.|sokak|sk\.|cadde|caddesi|cd\."
)
PREFIX_TYPES_CYRILLIC = (
    r"ул\.|ул|улица|пр\.|пр-т|пр-кт|просп\.|проспект|мкр\.?|мкрн\.?|микрорайон|мкр-н|"
    r"бульвар|б-р|бул\.|пер\.|переулок|шоссе|ш\.|наб\.|набережная|пл\.|площадь|тупик|"
    r"проезд|пр-д|көшесі|к-сі|даңғылы|даңғ\.|шағын\s+аудан|ы\.а\.|ш\.а\."
)
SUFFIX_TYPES_CYRILLIC = r"көшесі|к-сі|даңғылы|даңғ\.|улица|ул\.|проспект|пр\.|бульвары|шағынауданы"
# Street types glued to the end of the name: German, Dutch, Nordic, Finnish, Hungarian, Polish.
GLUED_TYPES = (
    r"straße|strasse|str\.|straat|gracht|gatan|gata|gaten|gate|gade|vej|veien|vegen|vei|katu|"
    r"kuja|tie|polku|weg|laan|gasse|allee|platz|plein|utca|steeg|dreef|kade|singel|torget|"
    r"stræti|straeti|braut|vegur|gränd|stig|bakken|vænget|parken"
)
# Street words written after the name as a separate word (German, Nordic, Hungarian, Greek).
AFTER_TYPES = (
    r"straße|strasse|str\.|gasse|weg|allee|platz|gate|gata|gatan|vei|veien|vej|katu|tie|"
    r"terrasse|vænge|u\.|utca|út|útja|krt\.|körút|rkp\.|rakpart|tér|sor|köz|ulica|ul\.|"
    r"ulice|náměstí|cesta|οδός|street|avenue|road|ave\.?|rd\.|st\."
)

HOUSE = r"\d{1,5}[A-Za-zА-Яа-я]?(?:[-/]\d{1,4}[A-Za-zА-Яа-я]?)?(?![\d:])"
# Words are atomic groups: once a word is read it is never re-split, which keeps the scan fast.
# Determiners and pronouns are capitalised at a sentence start but never name a street, and
# "Supreme Court" is an institution ("the 2019 Supreme Court ruling").
_NOT_NAME = (
    r"(?:Every|Each|Any|Some|All|My|Your|His|Her|Our|Their|This|That|These|Those|No|Other|"
    r"Another|More|Most|Few|Many|Next|Last|First|Best|Top|Supreme|I|We|You|He|She|They|It)"
    r"(?![\p{L}'’])"
)
NAME_WORD = (
    rf"(?!{_NOT_NAME})"
    r"(?>\p{Lu}[\p{L}'’]{0,24}+(?:[.-]\p{L}{1,20}+)?\.?|\d{1,3}(?:st|nd|rd|th)|(?:St|Mt|Ft)\.)"
)
ANY_WORD = r"(?>[\p{L}][\p{L}'’]{0,24}+(?:[.-]\p{L}{1,20}+)?\.?)"
CYR_NAME = r"(?>[\p{Lu}\d][\p{L}\d'’]{0,24}+(?:-[\p{L}\d]{1,12}+)?)"
DIRECTION = r"(?:\s(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?(?![\p{L}\d]))"
UNIT_WORD = (
    r"(?i:flat|apt\.?|apartment|suite|ste\.?|unit|room|rm\.?|floor|fl\.?|"
    r"кв\.?|квартира|пәтер|оф\.?|офис|\#)"
)
UNIT_FIRST = (
    r"(?:(?i:flat|apt\.?|apartment|suite|unit|studio|room)[ \t]{0,3}\d{1,4}[A-Za-z]?"
    r"(?:,[ \t]{0,3}|[ \t]{1,3}|\n[ \t]{0,3}))"
)
UK_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?[ \t]{0,2}\d[A-Z]{2})(?![\p{L}\d])"
ZIP = r"(?:\d{5}(?:-\d{4})?|\d{6}|\d{4}|\d{3}[ ]\d{2})(?![\p{L}\d])"
# A place name in an address block: capitalised or all-caps words (Almaty, SAVONLINNA, Black Sea).
PLACE = (
    r"(?:[\p{Lu}][\p{L}'’.()-]{0,24}(?![\p{L}\d])"
    r"(?:[ \t][\p{Lu}(][\p{L}'’.()-]{0,24}(?![\p{L}\d])){0,3})"
)
_NOT_PLACE = (
    r"(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tonight|tomorrow|"
    r"yesterday|thanks|thank|please|see|call|text|bring|come|let|lol|ok|okay|hi|hello|and|or|"
    r"but|then|so|the|i|we|you|he|she|they|it|my|our|at|on|in|for|from|to|with|by|if|when)"
)

# What may start each line of an address block: e-mail quote marks ("> "), bullets and emoji
# ("• ", "📍 ", "- "), or the "?" that a lost emoji leaves behind; at most three.
LINE_MARK = r"(?:(?:[>?|•·*▪►→~-]|\p{So})\uFE0F?[ \t]{0,2}){0,3}"
# Between the lines of an address: a comma or a line break, not a mere space.
LINE_GAP = rf"(?:,[ \t]{{0,3}}\n?[ \t]{{0,3}}|[ \t]{{0,3}}\n[ \t]{{0,4}}{LINE_MARK},?[ \t]{{0,3}})"

ADDRESS = regex.compile(
    rf"""
    (?<![\w\#№/.,-])
    (?:
        (?P<numfirst>
            {UNIT_FIRST}?
            # A unit or building number may stand before the house number ("Unit 3 12 Smith
            # St" written without the word, as in Australia and New Zealand: "3 12 Smith St").
            (?:\d{{1,5}}[ \t]{{1,3}}(?=\d))?
            {HOUSE},?[ \t]{{1,3}}(?:{NAME_WORD}[ \t]{{1,3}}){{1,4}}
            (?:(?P<strong>(?i:{STRONG_TYPES}))|(?P<weak>(?i:{WEAK_TYPES})))\.?(?![\p{{L}}\d])
            {DIRECTION}?
        )
      | (?P<romance>
            {HOUSE},?[ \t]{{1,3}}(?i:rue|avenue|boulevard|bd|chemin|allée|impasse|place|quai|
            via|viale|piazza|piazzetta|corso|calle|rua|rúa|avenida|travessa|largo)
            [ \t]{{1,3}}(?:(?i:de[ \t]la|de[ \t]l['’]|du|des|de|del|della|di|da|do|dos)[ \t]{{1,3}})?
            {ANY_WORD}(?:[ \t]{{1,3}}{NAME_WORD}){{0,2}}
            (?:,?[ \t]{{1,3}}{HOUSE})?  # the number after the name: "Via Roma 5"
        )
      | (?P<prefix>
            (?i:{PREFIX_TYPES_LATIN}|{PREFIX_TYPES_CYRILLIC}|rúa|paseo|camino|carretera|praça|
            vicolo|λεωφόρος|λεωφ\.|οδός)
            [ \t]{{0,3}}(?:(?i:de|del|della|di|da|do|dos)[ \t]{{1,3}})?
            {CYR_NAME}(?:[ \t]{{1,3}}{CYR_NAME}){{0,2}}
            ,?[ \t]{{0,3}}(?:(?i:д\.|дом|үй|house|No\.?|nº|n\.|d\.)[ \t]{{0,3}})?{HOUSE}
        )
      | (?P<namefirst>
            (?:{NAME_WORD}[ \t]{{1,3}}){{1,3}}(?i:{STRONG_TYPES}|{AFTER_TYPES})\.?,?[ \t]{{1,3}}
            (?:(?i:No\.?|№)[ \t]{{0,2}})?{HOUSE}\.?
        )
      | (?P<cyrsuffix>
            {CYR_NAME}(?:[ \t]{{1,3}}[\p{{L}}'’-]{{2,20}})?[ \t]{{1,3}}(?i:{SUFFIX_TYPES_CYRILLIC})
            ,?[ \t]{{0,3}}(?:(?i:д\.|дом|үй)[ \t]{{0,3}})?{HOUSE}
        )
      | (?P<glued>
            (?:{HOUSE}[ \t]{{1,3}})?
            \p{{L}}\p{{Ll}}{{1,30}}+\.?(?<=\p{{L}}{{2}}(?:{GLUED_TYPES}))[ \t]{{1,3}}{HOUSE}
        )
      | (?P<pobox>
            (?i:p\.?[ ]?o\.?[ ]?box|post[ ]office[ ]box|postbox|postfach|а/я|абонентский[ ]ящик)
            [ \t]{{0,3}}\d{{1,6}}
        )
      | (?P<military>
            (?i:(?:PSC|CMR|Unit)[ ]\d{{3,5}},?[ ]Box[ ]\d{{3,5}}
            (?:,?[ \t]{{0,3}}\n?[ \t]{{0,3}}(?:APO|FPO|DPO)[ ](?:AA|AE|AP)[ ]\d{{5}})?)
            # A ship's address (USPS Publication 28): the ship's name, then FPO and the ZIP.
          | (?i:USS|USNS|USNV|USCGC)[ ]\p{{L}}[\p{{L}}'’-]{{1,24}}(?:[ ]\p{{L}}[\p{{L}}'’-]{{1,24}})?
            ,?[ \t]{{0,3}}\n?[ \t]{{0,3}}(?i:FPO[ ](?:AA|AE|AP))[ ]\d{{5}}
        )
      | (?P<block>
            (?:
                (?:{HOUSE}[ \t]{{1,3}})?(?:{NAME_WORD}[ \t]{{1,3}}){{1,4}}{HOUSE}\.?
              | {HOUSE}[ \t]{{1,3}}(?:{NAME_WORD}[ \t]{{1,3}}){{0,3}}{NAME_WORD}
            )
            # A street without a street word still counts when a flat or suite number follows
            # it, as on the first lines of a postal address ("Allika 46, Apt. 3").
            # So does one followed by a town and a postcode ("Allika 46, Tartu 50090").
            (?=(?:,[ \t]{{0,3}}|[ \t]{{1,3}}|[ \t]{{0,3}}\n[ \t]{{0,4}}{LINE_MARK})
               (?i:apt\.?|apartment|suite|ste\.?|flat|кв\.?|квартира)[ \t]{{0,3}}\#?\d
             | (?:{LINE_GAP}{PLACE}){{1,3}}(?:{LINE_GAP}|[ \t]{{1,3}})(?:\d{{5,6}}|{UK_POSTCODE})
               (?![\p{{L}}\d]))
        )
      | (?P<corner>
            (?i:corner[ ]of|угол|уг\.|на[ ]углу)[ \t]{{1,3}}
            {CYR_NAME}(?:[ \t]{{1,3}}{CYR_NAME}){{0,2}}(?:[ \t]{{1,3}}(?i:{STRONG_TYPES}))?\.?
            [ \t]{{1,3}}(?i:and|&|и|/)[ \t]{{1,3}}
            {CYR_NAME}(?:[ \t]{{1,3}}{CYR_NAME}){{0,2}}
        )
    )
    """,
    regex.VERBOSE,
)

#: What every match of ``ADDRESS`` holds: a digit (each shape but ``corner`` has a house number
#: or a box number), or the start of ``corner``'s words ("corner of", "угол", "уг.", "на углу").
#: A window without it is not scanned: in the bench corpus's long posts, half the windows
#: (street words such as "Avenue" in place names, with no number near).
WINDOW_NEEDS = regex.compile(r"\d|(?i:corner|уг)")

# After an address-intent phrase ("my address is", "lives at") a shorter shape is enough: a
# house number next to one to four words, at least one of them capitalised.
ANCHOR = regex.compile(
    r"(?i:\baddress(?:es)?(?:[ \t]+is|[ \t]*:|[ \t]*[-—–])|\blives?[ \t]+at|\bliving[ \t]+at|"
    r"\bstay(?:s|ing)?[ \t]+at|\blocated[ \t]+(?:at|on)|\bmoved[ \t]+to|\bdeliver(?:ed)?[ \t]+to|"
    r"\bship(?:ped)?[ \t]+to|\bsent[ \t]+to|\breturn(?:ed)?(?:[ \t]+it)?[ \t]+to|\barrived[ \t]+at|"
    r"\bmeet[ \t]+(?:me|you|us)[ \t]+at|\bdrop(?:s|ped)?(?:[ \t]+(?:me|you|us|them))?[ \t]+off"
    r"[ \t]+at|\bpick[ \t]+(?:me|you|us)[ \t]+up[ \t]+(?:at|from)|"
    r"(?<!\w)(?:адрес|мекенжай\w*)[ \t]*[:—–-]|(?<!\w)(?:живу|живём|живем|живёт|живет|проживает|"
    r"тұрамын|тұрады|приходите|приходи|встречаемся)[ \t]+(?:на|в|по|у)?)[ \t]*\n?[ \t]*"
)
ANCHORED = regex.compile(
    rf"""\A(?:
        {HOUSE},?[ \t]{{1,3}}{NAME_WORD}(?:[ \t]{{1,3}}{ANY_WORD}){{0,3}}
        (?:[ \t]{{1,3}}{HOUSE}(?![\p{{L}}]))?
      | (?=[^\n]{{0,60}}\d)(?:{NAME_WORD}[ \t]{{1,3}}){{1,3}}{HOUSE}(?![\p{{L}}])
    )""",
    regex.VERBOSE,
)

# What may follow a street line in the same address: flat/suite numbers, place names,
# postcodes, states and countries, on the same line after a comma or on the next lines.
CONTINUATION = regex.compile(
    rf"""\A
    # A line break may come with one blank line and with the marks that start each line of a
    # quoted or bulleted address block (LINE_MARK).
    (?P<sep>,[ \t]{{0,3}}\n?|[ \t]{{1,3}}
        |[ \t]{{0,3}}\n(?:[ \t]{{0,4}}\n)?[ \t]{{0,4}}{LINE_MARK},?[ \t]{{0,3}})
    (?:
        (?P<unit>{UNIT_WORD}[ \t]{{0,3}}(?:No\.?[ \t]?|№[ \t]?)?\#?\d{{1,5}}[A-Za-z]?(?!\w)
                 (?:[ \t]{{1,3}}(?i:box)[ \t]\d{{1,5}})?)
      | (?P<postcode>{UK_POSTCODE}|{ZIP}|(?:APO|FPO|DPO)[ ](?:AA|AE|AP)[ ]\d{{5}})
      | (?P<state>[A-Z]{{2,3}}(?![\p{{L}}\d])(?=[ \t]{{0,3}}(?:\d|,|\n|$)))
      | (?P<place>(?!{_NOT_PLACE}(?![\p{{L}}])){PLACE}
                  (?=[ \t]{{0,3}}(?:,|\n|$|\d{{4,6}}(?!\d)|{UK_POSTCODE}|[A-Z]{{2}}(?![\p{{L}}]))))
    )
    """,
    regex.VERBOSE | regex.MULTILINE,
)
#: At most this many continuation pieces are added to one address.
MAX_CONTINUATIONS = 8
#: How far past the street line a continuation is looked for.
CONTINUATION_LOOKAHEAD = 80

_ADDRESS_CONTEXT = regex.compile(
    r"(?i:\b(?:address|addr|lives?|living|live\s+at|stay(?:s|ing)?|located|located\s+at|"
    r"deliver(?:y|ed)?|ship(?:ping)?|send\s+it\s+to|come\s+to|moved\s+to|house|flat|home|"
    r"apartment|residence)\b|(?<!\w)(?:адрес\w*|мекенжай\w*|жив\w*|прожива\w*|тұрамын|тұрады|"
    r"дом\w*|квартир\w*|пәтер\w*|үй\w*)(?!\w))"
)


@dataclass(frozen=True, slots=True)
class AddressMatch:
    """A street address span and how sure we are."""

    start: int
    end: int
    score: float


def _extend(text: str, end: int) -> tuple[int, bool]:
    """Grow an address over the flat number, town, postcode and country that follow it."""
    grew = False
    after_postcode = False
    for _ in range(MAX_CONTINUATIONS):
        m = first(CONTINUATION, text[end : end + CONTINUATION_LOOKAHEAD])
        if m is None or m.end() == 0:
            break
        # A place name joins after a comma, a line break or a postcode ("10115 Berlin"), never
        # after a plain space ("12 Abay Street Saturday" is not a town).
        if m.group("place") and not after_postcode and not any(c in m.group("sep") for c in ",\n"):
            break
        after_postcode = m.group("postcode") is not None
        end += m.end()
        grew = True
    return end, grew


def _words(pattern: str) -> set[str]:
    """Return the literal words of an alternation, lower-cased and without regex escapes."""
    return {w.replace("\\", "").rstrip(".?").lower() for w in pattern.split("|")} - {""}


# A street address always contains one of these words (or ends a word with a glued street
# type); the full pattern only runs near them, so prose without them costs one cheap pass.
TRIGGER_WORDS = frozenset(
    _words(STRONG_TYPES)
    | _words(WEAK_TYPES)
    | _words(AFTER_TYPES)
    | _words(PREFIX_TYPES_LATIN)
    | _words(PREFIX_TYPES_CYRILLIC)
    | _words(SUFFIX_TYPES_CYRILLIC)
    | {"rue", "rúa", "paseo", "camino", "carretera", "praça", "vicolo", "λεωφόρος", "λεωφ", "οδός"}
    | {"box", "postbox", "postfach", "а/я", "ящик", "psc", "cmr", "unit", "corner", "угол", "уг"}
    | {"fpo", "apo", "dpo"}
    | {"углу", "p.o", "po", "шағын"}
    | {"apt", "apartment", "suite", "ste", "flat", "кв", "квартира"}
)
GLUED_SUFFIXES = tuple(w for w in _words(GLUED_TYPES))
ANCHOR_WORDS = frozenset(
    {"address", "addresses", "address:", "live", "lives", "living", "stay", "stays", "staying"}
    | {"located", "moved", "deliver", "delivered", "ship", "shipped", "адрес", "адрес:", "живу"}
    | {"живёт", "живет", "проживает", "тұрамын", "тұрады", "мекенжай", "мекенжайы", "мекенжайым"}
    | {"sent", "return", "returned", "arrived", "meet", "drop", "drops", "dropped", "pick"}
    | {"живём", "живем", "приходите", "приходи", "встречаемся"}
)
_TOKEN = regex.compile(r"\S+")
_PUNCTUATION = ".,;:!?()[]{}\"'«»“”"
#: How far before a trigger word an address may start, and after it end (before extension).
REACH_BEFORE = 110
REACH_AFTER = 60


def _trigger_windows(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """Return merged text windows around street words, and the positions of anchor words."""
    windows: list[tuple[int, int]] = []
    anchors: list[int] = []
    for tok in finditer(_TOKEN, text):
        word = tok.group().lower().strip(_PUNCTUATION)
        if word in ANCHOR_WORDS or word.rstrip(":") in ANCHOR_WORDS:
            anchors.append(tok.start())
        head = word.split(".", 1)[0]  # "ул.Абая", "pr.Dostyk": the street word is glued on
        if not (word in TRIGGER_WORDS or head in TRIGGER_WORDS or word.endswith(GLUED_SUFFIXES)):
            continue
        lo = max(0, tok.start() - REACH_BEFORE)
        hi = min(len(text), tok.end() + REACH_AFTER)
        # Cut windows on word boundaries so look-arounds see the real text (within reason:
        # a hostile post may have no spaces at all).
        lo = _word_boundary(text, lo, -1)
        hi = _word_boundary(text, hi, +1)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    return windows, anchors


def _word_boundary(text: str, pos: int, step: int) -> int:
    """Move ``pos`` by ``step`` until it sits next to whitespace or the text edge (at most 40)."""
    for _ in range(40):
        if pos <= 0 or pos >= len(text) or text[pos if step > 0 else pos - 1].isspace():
            break
        pos += step
    return pos


def find_addresses(text: str) -> Iterator[AddressMatch]:
    """Yield the street addresses in ``text``."""
    windows, anchors = _trigger_windows(text)
    taken_until = 0
    for lo, hi in windows:
        if WINDOW_NEEDS.search(text, lo, hi) is None:
            continue  # no house number and no "corner of": no shape of ``ADDRESS`` fits
        for m in finditer(ADDRESS, text[lo:hi]):
            start = lo + m.start()
            if start < taken_until:
                continue
            end, grew = _extend(text, lo + m.end())
            if m.group("weak") and not grew:
                if not found(_ADDRESS_CONTEXT, text[max(0, start - 60) : start]):
                    # A weak street word may be part of the name of a street written the
                    # other way round ("2224 Trenerys gate 232"): read on from the next word.
                    retry = _retry_after_weak(text, start, hi)
                    if retry is not None:
                        taken_until = retry.end
                        yield retry
                    continue
            strong = grew or bool(m.group("strong") or m.group("prefix") or m.group("military"))
            taken_until = end
            yield AddressMatch(start, _trim(text, start, end), 0.85 if strong else 0.75)
    for pos in anchors:
        a = first(ANCHOR, text[pos : pos + 40])
        if a is None or a.start() != 0:
            continue
        start = pos + a.end()
        m = first(ANCHORED, text[start : start + 120])
        if m is None:
            continue
        end, _ = _extend(text, start + m.end())
        yield AddressMatch(start, _trim(text, start, end), 0.6)


def run_on(text: str, end: int) -> int:
    """Return where an address that ends at ``end`` ends once the lines after it are added.

    For an address block whose lines a blank line parts ("12 Oak Street\n\nSpringfield 62704"):
    the analyzer checks paragraphs apart and joins them here.
    """
    grown, grew = _extend(text, end)
    return _trim(text, end, grown) if grew else end


def addresses_in(doc: Doc) -> tuple[AddressMatch, ...]:
    """Return the street addresses in ``doc``'s text, found once per Doc."""
    return memo(doc, "addresses", lambda d: tuple(find_addresses(text_of(d))))


def _retry_after_weak(text: str, start: int, hi: int) -> AddressMatch | None:
    """Return an address that starts after the first word at ``start``, unless it is weak too."""
    space = text.find(" ", start, hi)
    if space < 0:
        return None
    m = first(ADDRESS, text[space + 1 : hi])
    if m is None or m.group("weak"):
        return None
    begin = space + 1 + m.start()
    end, _ = _extend(text, space + 1 + m.end())
    return AddressMatch(begin, _trim(text, begin, end), 0.75)


def _trim(text: str, start: int, end: int) -> int:
    """Return ``end`` without trailing spaces, commas and line breaks."""
    while end > start and text[end - 1] in " \t\n,":
        end -= 1
    return end
