"""Pattern rules skip texts without the words they need: every match must hold one of them.

A rule of a ``.jsonl`` pattern file may list ``needs``: words of which each match of its
pattern holds one, so that a text with none of them is not scanned (``PatternRule.may_match``).
A word left out of ``needs`` would silently lose matches, so every match of every rule on our
labelled posts and on the detectors' own test cases is checked to hold one.
"""

import json
from pathlib import Path

import pytest

from nlp.detectors.base import fold, load_rules
from tests.nlp import test_complaint_or_proceedings, test_university_branding

FILES = ("complaint_or_proceedings", "university_branding")
POSTS = Path(__file__).resolve().parents[1] / "data" / "posts.jsonl"


def _cases(module) -> list[str]:
    texts = []
    for test in (module.test_flags, module.test_leaves_alone):
        for mark in test.pytestmark:
            for case in mark.args[1]:
                texts.append(case if isinstance(case, str) else case[0])
    return texts


def texts() -> list[str]:
    posts = [json.loads(line)["text"] for line in POSTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return posts + _cases(test_complaint_or_proceedings) + _cases(test_university_branding)


@pytest.mark.parametrize("name", FILES)
def test_every_rule_names_what_it_needs(name):
    for rule in load_rules(name):
        assert rule.needs, rule.id
        assert all(word == fold(word) and word.strip() == word for word in rule.needs), rule.id


@pytest.mark.parametrize("name", FILES)
def test_every_match_holds_a_needed_word(name):
    matched = 0
    for rule in load_rules(name):
        for text in texts():
            for match in rule.pattern.finditer(text):
                matched += 1
                assert rule.may_match(fold(match.group())), (rule.id, match.group())
    assert matched > 20  # the check saw real matches


def test_a_text_without_them_is_not_scanned():
    rule = next(r for r in load_rules("complaint_or_proceedings") if r.id == "complaint_against")
    assert rule.may_match(fold("A COMPLAINT against the landlord"))
    assert not rule.may_match(fold("Complained about the weather all day"))
