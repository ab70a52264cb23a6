"""Speaking for DMUK or using its logo (clause 4.9).

Mentioning or praising the university is encouraged (1.1) and never flagged. Two things are:
the logo, crest or emblem named together with a use of it in the same sentence ("printed the
DMUK logo on our banner"), and stating or implying that a view is the university's ("on behalf
of DMUK", "the university's official position is", "this account represents DMUK").
"""

from __future__ import annotations

import regex
from spacy.tokens import Doc

from nlp.detectors.base import Detector, finditer, folded_of, load_rules, sentences, text_of
from nlp.finding import Finding

#: A use of the logo: printing it, putting it on something, a thing it is put on.
LOGO_USE = regex.compile(
    r"\b(?:print\w*|put|putting|use[ds]?|using|add(?:ed|ing)?|stick\w*|stuck|slap\w*|feature[sd]?"
    r"|design\w*|made|make|making|merch\w*|banners?|t-?shirts?|hoodies?|posters?|flyers?|stickers?"
    r"|mugs?|caps?|badges?|profile\s+pic\w*|avatar|logo\s+on|crest\s+on|on\s+(?:our|my|the)\s+\w+"
    r"|напечата\w*|использ\w*|постав\w*|размест\w*|на\s+(?:футболк|мерч|баннер)\w*"
    r"|салды\w*|салып\w*|басып\w*|басты\w*|қолдан\w*|футболка\w*)",
    regex.IGNORECASE,
)


class UniversityBrandingDetector(Detector):
    """Flag use of the DMUK logo and posts that speak for the university."""

    category = "university_branding"
    name = "university_branding"

    def __init__(self) -> None:
        self.rules = load_rules("university_branding")

    def detect(self, doc: Doc) -> list[Finding]:
        """Return branding findings in ``doc``."""
        text, folded = text_of(doc), folded_of(doc)
        rules = [rule for rule in self.rules if rule.may_match(folded)]
        if not rules:
            return []
        bounds = sentences(text)
        findings = []
        for rule in rules:
            for match in finditer(rule.pattern, text):
                if rule.type == "logo" and not self._used(text, bounds, match.start(), match.end()):
                    continue
                findings.append(self.finding(match.start(), match.end(), rule.type, "medium", rule.id))
        return findings

    @staticmethod
    def _used(text: str, bounds: list[tuple[int, int]], start: int, end: int) -> bool:
        """Return True when the sentence naming the logo also says it is being used."""
        for s_start, s_end in bounds:
            if s_start <= start < s_end:
                window = text[s_start:s_end]
                rest = window[: start - s_start] + " " + window[end - s_start :]
                return LOGO_USE.search(rest) is not None
        return False
