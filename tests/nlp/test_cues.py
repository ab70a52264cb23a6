"""The cue-rule engine shared by the category detectors: pattern language, windows, vetoes."""

from __future__ import annotations

import json

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.detectors import third_party
from nlp.detectors.cues import (
    PATTERNS_DIR,
    CueIndex,
    CueRules,
    CueSet,
    compile_cue_set,
    compile_phrase,
    longest_first,
)


@pytest.mark.parametrize(
    ("phrase", "text", "found"),
    [
        ("leaked", "it leaked today", "leaked"),
        ("leaked", "unleaked stuff", None),
        ("leak", "leaked", None),
        ("ответ*", "у кого ответы?", "ответы"),
        ("ответ*", "переответы", None),
        ("got the? exam paper", "got the exam paper", "got the exam paper"),
        ("{write|do} your essay", "I will do your essay", "do your essay"),
        ("{write your|do my} essay", "pls do my essay", "do my essay"),
        ("screen-record*", "screenrecorded it", "screenrecorded"),
        ("screen-record*", "screen-recording it", "screen-recording"),
        ("screen-record*", "screen recorded it", "screen recorded"),
        ("утёк", "документ утек вчера", "утек"),
        ("lecturer's", "the lecturer’s rant", "lecturer’s"),
        ("=Teams", "on Teams today", "Teams"),
        ("=Teams", "both teams won", None),
        ("prof <Name>", "as prof Smith said", "prof Smith"),
        ("prof <Name>", "as prof said", None),
        ("<num> minutes", "in 10 minutes", "10 minutes"),
        ("<Name>'s account", "from Dana's account", "Dana's account"),
        ("$", "for 20$ or $ 20", "$"),
        ("istanbul", "İSTANBUL trip", "İSTANBUL"),  # "İ" folds to two characters
        ("ёлк*", "ЁЛКА и елка", "ЁЛКА"),
        ("exam board", "EXAM   BOARD", "EXAM   BOARD"),
    ],
)
def test_pattern_language(phrase, text, found):
    match = compile_cue_set([phrase]).search(text)
    assert (match.group() if match else None) == found
    indexed = next(CueSet([phrase]).finditer(CueIndex(text)), None)
    assert (indexed.group() if indexed else None) == found


CUE_FILES = sorted(
    path for path in PATTERNS_DIR.glob("*.json") if "rules" in json.loads(path.read_text(encoding="utf-8"))
)
#: Every cue set of every category, compiled both ways, and third_party's cue words.
CUE_SETS = [
    (f"{path.stem}.{name}", CueSet(phrases))
    for path in CUE_FILES
    for name, phrases in json.loads(path.read_text(encoding="utf-8"))["cues"].items()
] + [("third_party.cues", third_party.CUES)]
THIRD_PARTY_WORDS = {w.strip("*") for group in third_party.lexicon()["cues"].values() for w in group}
#: Words of the cue phrases themselves, so random texts are dense with near-matches.
CUE_WORDS = sorted(
    {
        word.strip("{}?=*|").replace("<Name>", "Smith").replace("<num>", "10")
        for path in CUE_FILES
        for phrases in json.loads(path.read_text(encoding="utf-8"))["cues"].values()
        for phrase in phrases
        for word in regex.split(r"[\s|]+", phrase)
    }
    - {""}
) + sorted(THIRD_PARTY_WORDS)
#: Characters whose case folding is not one-for-one, look-alike letters, and joiners.
TRICKY = ["İ", "ß", "ẞ", "ё", "Ё", "ı", "K", "ſ", "’", "-", "'", "\u200b", "\u0301", "$", "£", "🤫"]
TRICKY += ["\n", ". ", "5"]


def _scan_both(text: str) -> None:
    index = CueIndex(text)
    for name, cue_set in CUE_SETS:
        expected = [m.span() for m in cue_set.pattern.finditer(text)]
        assert [m.span() for m in cue_set.finditer(index)] == expected, name


def test_indexed_scan_finds_what_a_full_scan_finds_on_the_labelled_posts():
    """The index only skips positions where no phrase can start: same matches on every post."""
    posts = (PATTERNS_DIR.parents[1] / "tests" / "data" / "posts.jsonl").read_text(encoding="utf-8")
    texts = [json.loads(line)["text"] for line in posts.splitlines() if line.strip()]
    assert len(texts) > 200
    for text in texts:
        _scan_both(text)


def test_phrases_are_tried_longest_first_in_one_order_for_any_subset():
    """A key's own pattern tries its phrases in the order the whole set's pattern does, ties
    included (they were once ordered by string hashes, which change from process to process)."""
    phrases = ["ab c", "cab", "abc", "a", "ba", "ab", "bca"]
    ordered = longest_first(phrases + ["ab"])
    assert ordered == ["ab c", "abc", "bca", "cab", "ab", "ba", "a"]
    subset = {"ba", "abc", "cab", "a"}
    assert longest_first(subset) == [p for p in ordered if p in subset]


def test_a_check_compiles_no_pattern(nlp, monkeypatch):
    """Every cue pattern is compiled when its set is: the first post with a rare word pays no
    compilation (which once took up to 26 ms), and nothing else compiles on a check either."""
    from regex import _main

    from nlp.analyzer import Analyzer
    from nlp.registry import build_detectors

    analyzer = Analyzer(nlp, build_detectors(), cache_size=0)
    posts = (PATTERNS_DIR.parents[1] / "tests" / "data" / "posts.jsonl").read_text(encoding="utf-8")
    texts = [json.loads(line)["text"] for line in posts.splitlines() if line.strip()]
    analyzer.analyze(texts[0])  # first use: whatever is loaded lazily by design
    compiled: list[str] = []
    real = _main._compile

    def compile_(pattern, *args):
        compiled.append(pattern)
        return real(pattern, *args)

    monkeypatch.setattr(_main, "_compile", compile_)
    found = [analyzer.analyze(text).findings for text in texts + CUE_WORDS]
    assert sum(map(len, found)) > 100  # the checks ran and found things
    assert compiled == []


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(CUE_WORDS) | st.sampled_from(TRICKY),
            st.sampled_from(["lower", "upper", "title", "same"]),
            st.sampled_from([" ", "", "  ", ", ", "\n", "-"]),
        ),
        max_size=40,
    )
)
def test_indexed_scan_finds_what_a_full_scan_finds_on_random_cue_text(parts):
    text = "".join((w if case == "same" else getattr(w, case)()) + sep for w, case, sep in parts)
    _scan_both(text)


@pytest.mark.parametrize("phrase", ["the? exam", "{a|b", "a*b", ""])
def test_bad_phrases_are_refused(phrase):
    with pytest.raises(ValueError):
        compile_phrase(phrase)


@pytest.mark.parametrize("category", sorted(p.stem for p in PATTERNS_DIR.glob("*.json")))
def test_pattern_files_compile_without_nested_quantifiers(category):
    data = json.loads((PATTERNS_DIR / f"{category}.json").read_text(encoding="utf-8"))
    if "rules" not in data:
        pytest.skip("not a cue-rule file")
    rules = CueRules(data)
    assert rules.rules
    for phrases in data["cues"].values():
        for phrase in phrases:
            source = compile_phrase(phrase)
            # A quantified group is how backtracking blows up; the only groups are (?:...)? and alternations.
            assert not regex.search(r"\)[*+]|\)\{", source), (category, phrase)


def _rules(rule: dict, **cues: list[str]) -> CueRules:
    base = {"id": "r", "type": "t", "severity": "high"}
    return CueRules({"cues": cues, "rules": [{**base, **rule}]})


@pytest.mark.parametrize(
    ("rule", "text", "flagged"),
    [
        ({"all": ["a", "b"], "window": 3}, "leaked the report", "leaked the report"),
        ({"all": ["a", "b"], "window": 3}, "leaked the big old report", None),
        ({"all": ["a", "b"], "window": 3}, "report leaked", "report leaked"),
        ({"all": ["a", "b"], "window": 3, "ordered": True}, "report leaked", None),
        ({"all": ["a", "b"], "window": 6}, "it leaked. The report is fine", None),
        (
            {"all": ["a", "b"], "window": 6, "same_sentence": False},
            "it leaked. The report",
            "leaked. The report",
        ),
        ({"all": ["a", "b"], "window": 6, "unless": ["c"]}, "my leaked report", None),
        (
            {"all": ["a", "b"], "window": 6, "unless": [{"cue": "c", "before": 0, "after": 0}]},
            "my leaked report",
            "leaked report",
        ),
        (
            {"all": ["a", "b"], "window": 6, "unless": [{"cue": "c", "before": 1, "after": 0}]},
            "my leaked report",
            None,
        ),
        (
            {"all": ["a", "b"], "window": 6, "unless": [{"cue": "c", "before": 1, "after": 0}]},
            "leaked report, my word",
            "leaked report",
        ),
    ],
)
def test_rule_windows_order_sentences_and_vetoes(blank_nlp, rule, text, flagged):
    rules = _rules(rule, a=["leaked"], b=["report"], c=["my"])
    found = rules.matches(blank_nlp(text))
    assert [text[s:e] for _, s, e in found] == ([flagged] if flagged else [])


def test_punctuation_does_not_count_towards_the_window(blank_nlp):
    rules = _rules({"all": ["a", "b"], "window": 2}, a=["leaked"], b=["report"], c=["x"])
    assert rules.matches(blank_nlp("leaked -- , report"))


def test_a_word_cannot_be_two_cues_at_once(blank_nlp):
    rules = _rules({"all": ["a", "b"], "window": 6}, a=["leaked report"], b=["report"], c=["x"])
    assert not rules.matches(blank_nlp("the leaked report"))
    assert rules.matches(blank_nlp("the leaked report and the report"))


def _scans(rules: CueRules, monkeypatch) -> list[str]:
    """Return the list that the names of the cue sets ``rules`` scans will be added to."""
    scanned: list[str] = []
    real = CueSet.finditer

    def spy(self, index):
        scanned.append(next(name for name, cue in rules.cues.items() if cue is self))
        return real(self, index)

    monkeypatch.setattr(CueSet, "finditer", spy)
    return scanned


def test_a_rule_whose_later_group_cannot_match_scans_nothing(blank_nlp, monkeypatch):
    rules = _rules({"all": ["a", "b"], "window": 6}, a=["leaked"], b=["report"], c=["x"])
    scanned = _scans(rules, monkeypatch)
    assert not rules.matches(blank_nlp("it leaked yesterday"))  # no word of "b" in the text
    assert scanned == []
    assert rules.matches(blank_nlp("it leaked, the report"))
    assert scanned == ["a", "b"]


def test_a_group_of_an_entity_opens_only_when_the_doc_has_one(nlp, blank_nlp, monkeypatch):
    rules = _rules({"all": ["@PERSON", "b"], "window": 6}, b=["report"], c=["x"])
    scanned = _scans(rules, monkeypatch)
    text = "Sarah Johnson leaked the report"
    assert not rules.matches(blank_nlp(text))  # no entities on a blank pipeline
    assert scanned == []
    assert rules.matches(nlp(text))
    assert scanned == ["b"]


def test_may_match_is_false_only_when_no_key_is_in_the_text():
    cue = CueSet(["leak*", "prof <Name>", "$"])
    assert not cue.may_match(CueIndex("nothing to see here"))
    for text in ("a leakage", "Prof X", "for 20$"):
        assert cue.may_match(CueIndex(text)), text


def test_unknown_cue_sets_are_refused():
    with pytest.raises(ValueError, match="unknown cue sets"):
        _rules({"all": ["a", "nope"]}, a=["x"], b=["y"], c=["z"])


def test_unknown_severity_is_refused():
    with pytest.raises(ValueError, match="severity"):
        _rules({"all": ["a"], "severity": "extreme"}, a=["x"], b=["y"], c=["z"])


MY_CATEGORIES = (
    "confidential",
    "learning_platform_content",
    "academic_misconduct",
    "impersonation",
    "covert_recording",
)


@pytest.mark.parametrize("category", MY_CATEGORIES)
def test_registry_runs_each_cue_detector_and_can_switch_it_off(category):
    from nlp.registry import build_detectors

    assert category in {d.category for d in build_detectors()}
    assert category not in {d.category for d in build_detectors(disabled={category})}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Here's the confidential report on the merger, leaked to me", "confidential"),
        ("Posted the whole Blackboard lecture video on my Telegram channel", "learning_platform_content"),
        ("Anyone got the answers for the statistics phase test? Paying well", "academic_misconduct"),
        ("Set up a fake profile as the dean to prank everyone", "impersonation"),
        ("Тайком снял препода, как он орёт на студентов", "covert_recording"),
    ],
)
def test_the_full_checker_reports_them(analyzer, text, category):
    assert category in {f.category for f in analyzer.analyze(text).findings}


def test_a_name_from_ner_is_a_person_cue(nlp, blank_nlp):
    from nlp.detectors.confidential import ConfidentialDetector

    text = "Apparently Sarah Johnson got kicked out of uni for plagiarism"
    assert not ConfidentialDetector().detect(blank_nlp(text))
    doc = nlp(text)
    assert any(e.label_ == "PERSON" for e in doc.ents)
    (finding,) = ConfidentialDetector().detect(doc)
    assert (finding.type, finding.pattern) == ("personal", "personal_matter")
