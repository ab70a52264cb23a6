"""The harassment detector (4.5.5, 5.1–5.4) and the token-pattern language its rules use."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from nlp.detectors.harassment import LEXICON_FILES, RULE_SPECS, SEVERITY, HarassmentDetector
from nlp.detectors.harassment_patterns import Grammar, PatternError, RuleIndex, Sequence, load, tokenize
from nlp.policy import catalogue
from tests.nlp.cue_cases import MAX_SECONDS

DETECTOR = HarassmentDetector()

# (post, phrase a finding must cover, type)
POSITIVES = [
    # threats
    ("I swear I'll hurt whoever stole my bike", "I'll hurt whoever", "threat"),
    ("I'm going to beat you up", "beat you up", "threat"),
    ("you'll regret this", "you'll regret this", "threat"),
    ("I know where you live", "I know where you live", "threat"),
    ("If you come near me again I'll break your legs", "I'll break your legs", "threat"),
    ("I'm going to find you and beat the shit out of you", "beat the shit out of you", "threat"),
    ("someone should punch him", "someone should punch him", "threat"),
    ("we're gonna jump him after class", "gonna jump him", "threat"),
    ("I will literally end you", "end you", "threat"),
    ("I hope you die", "hope you die", "threat"),
    ("you're dead meat", "you're dead meat", "threat"),
    ("I'll kill Marat", "kill Marat", "threat"),
    ("imma slap you", "imma slap you", "threat"),
    ("im finna stab him", "stab him", "threat"),
    ("я тебя убью", "тебя убью", "threat"),
    ("Убью!", "Убью", "threat"),
    ("убью того кто украл мой велик", "убью того", "threat"),
    ("тебе не жить", "тебе не жить", "threat"),
    ("Я знаю, где ты живёшь", "знаю, где ты живёшь", "threat"),
    ("сені өлтіремін", "сені өлтіремін", "threat"),
    # insults
    ("he's a pathetic loser", "pathetic loser", "insult"),
    ("you're so stupid", "you're so stupid", "insult"),
    ("she is a fat cow", "fat cow", "insult"),
    ("ur so dumb lol", "ur so dumb", "insult"),
    ("your a idiot", "your a idiot", "insult"),
    ("you stupid bitch", "stupid bitch", "insult"),
    ("that bitch stole my seat", "that bitch", "insult"),
    ("what an idiot", "what an idiot", "insult"),
    ("Dias is a loser", "loser", "insult"),
    ("my roommate is a complete idiot", "complete idiot", "insult"),
    ("y'all are idiots", "idiots", "insult"),
    ("you're such a waste of space", "waste of space", "insult"),
    ("you are worthless", "worthless", "insult"),
    ("stop being such a pussy", "pussy", "insult"),
    ("stuuupid bitch", "stuuupid bitch", "insult"),
    ("fuck you", "fuck you", "insult"),
    ("nobody likes you", "nobody likes you", "insult"),
    ("you're a joke", "joke", "insult"),
    ("Aigerim is so stupid", "stupid", "insult"),
    ("@dias_k loser", "@dias_k loser", "insult"),
    ("shut up bitch", "shut up bitch", "insult"),
    ("them hoes are fake", "them hoes", "insult"),
    ("ты тупой", "ты тупой", "insult"),
    ("Дебил, верни зарядку", "Дебил", "insult"),
    ("урод", "урод", "insult"),
    ("она жирная корова", "жирная корова", "insult"),
    ("вы все дебилы", "дебилы", "insult"),
    ("пошёл нахуй", "пошёл нахуй", "insult"),
    ("эта сука опять опоздала", "эта сука", "insult"),
    ("ақымақ", "ақымақ", "insult"),
    ("сен ақымақсың", "ақымақсың", "insult"),
    # hate
    ("People like you shouldn't be allowed at this university, go home", "shouldn't be allowed", "hate"),
    ("all muslims are terrorists", "muslims are terrorists", "hate"),
    ("girls can't code", "girls can't code", "hate"),
    ("women belong in the kitchen", "women belong in the kitchen", "hate"),
    ("go back to your country", "go back to your country", "hate"),
    ("gays should die", "gays should die", "hate"),
    ("deport all immigrants", "deport all immigrants", "hate"),
    ("you faggot", "faggot", "hate"),
    ("that retarded kid", "retarded", "hate"),
    ("понаехали тут", "понаехали", "hate"),
    ("вали в свою страну", "вали в свою страну", "hate"),
    ("таким как ты здесь не место", "таким как ты здесь не место", "hate"),
    ("все мигранты — животные", "мигранты — животные", "hate"),
    ("еліңе қайт", "еліңе қайт", "hate"),
    # exclusion
    ("Nobody invite Kuanysh to anything", "invite Kuanysh", "exclusion"),
    ("everyone report her account", "report her account", "exclusion"),
    ("let's all unfollow him", "unfollow him", "exclusion"),
    ("mass report her account", "mass report her", "exclusion"),
    ("kick her out of the group chat", "kick her out of the group chat", "exclusion"),
    ("don't let her join", "let her join", "exclusion"),
    ("никто не зовите его", "никто не зовите его", "exclusion"),
    ("давайте все отпишемся от него", "отпишемся от него", "exclusion"),
    ("все кидайте жалобы на её аккаунт", "жалобы на её аккаунт", "exclusion"),
    ("оны шақырмаңдар", "оны шақырмаңдар", "exclusion"),
    # self-harm incitement
    ("kill yourself", "kill yourself", "self_harm_incitement"),
    ("kys", "kys", "self_harm_incitement"),
    ("just go die", "go die", "self_harm_incitement"),
    ("do everyone a favour and die", "do everyone a favour and die", "self_harm_incitement"),
    ("иди умри", "иди умри", "self_harm_incitement"),
    ("сдохни", "сдохни", "self_harm_incitement"),
    ("убей себя", "убей себя", "self_harm_incitement"),
    ("өзіңді өлтір", "өзіңді өлтір", "self_harm_incitement"),
]

NEGATIVES = [
    # rude words in a harmless sentence
    "this exam was f***ing hard",
    "holy shit that lecture was good",
    "Fuck, I missed the bus",
    "This fucking printer ate my essay",
    "Stupid printer",
    "That movie was so stupid but I loved it",
    # the writer about themselves
    "I'm so dumb, forgot my keys",
    "I'm such an idiot lol",
    "What an idiot I am, left my laptop at home",
    "I feel like an idiot for missing the bus",
    "He called me a loser and I cried",
    # hyperbole and idioms
    "killing it at the gym",
    "this assignment is killing me",
    "I could kill for a coffee",
    "the deadline is murder",
    "beat the traffic",
    "My mum will kill me if I fail",
    "I'm going to destroy this exam",
    "I'll destroy you at chess tonight",
    "I'm going to beat you at FIFA",
    "I'll shoot you a message later",
    "I'll hit you up later",
    "I'll get you a coffee",
    "I don't want to hurt her feelings",
    "let's kill time before the lecture",
    "How do I kill all python processes",
    "don't kill yourself over this essay",
    "I'm gonna go die in my bed now",
    "You'll regret it if you don't come to the party",
    "you're dead wrong",
    "You're killing me with these memes 😂",
    # negation and praise
    "you guys are the best",
    "you're not stupid, you're just tired",
    "I never said you're stupid",
    "He's not a loser",
    "You're a lifesaver, thanks for the notes!",
    "She's an absolute queen",
    "He's a beast on the court",
    # things, not people
    "life's a bitch",
    "that was a dick move",
    "the losers bracket starts at noon",
    "Physics is so stupid",
    "I'm going to kill Calculus tomorrow",
    "That dog is so fat and cute",
    "ugly sweater party tonight",
    "fat chance of that happening",
    "I had a fag break",
    "a chink in the armour",
    "the burgers? they're disgusting",
    # groups and calls that are fine
    "he's gay and proud",
    "Women in STEM are amazing",
    "Muslims are celebrating Eid this week",
    "International students should leave their documents at reception",
    "People like you make this uni better",
    "Go back to your room and sleep",
    "everyone report to room 101 at 9",
    "let's all meet at the library",
    "don't forget to invite Anna",
    "Nobody invited me to the party :(",
    "Let's ignore the noise and focus",
    # from the dev set: criticism and facts, not harassment
    "Asem and Dias never reply in the group chat, so frustrating",
    "Dr Michael Turner's lectures are impossible to follow",
    # Russian
    "Я дебил, забыл ключи",
    "Ну и дебил же я, опять проспал",
    "ты не дурак, просто устал",
    "экзамен тупой",
    "Этот экзамен меня убьёт",
    "Прибью полку на выходных",
    "Мама меня убьёт, если я опоздаю",
    "Иди домой и отдохни",
    "Не зовите меня на вечеринку, я занята",
    "Давайте все отпишемся от рассылки",
    "Сука, опять дождь",
    "Как подготовиться к экзамену по статистике?",
    # Kazakh
    "Мен ақымақпын, кілтімді ұмыттым",
    "Сәлем, қалайсың?",
    "Ол өте ақылды",
]


@pytest.mark.parametrize(("text", "phrase", "type_"), POSITIVES)
def test_flags_harassment(nlp, text, phrase, type_):
    findings = DETECTOR.detect(nlp(text))
    start = text.index(phrase)
    end = start + len(phrase)
    covering = [f for f in findings if f.start < end and start < f.end and f.type == type_]
    assert covering, f"no {type_} over {phrase!r}; got {[(f.type, text[f.start : f.end]) for f in findings]}"
    finding = covering[0]
    assert finding.category == "harassment"
    assert finding.severity == SEVERITY[type_]
    assert finding.clauses and finding.message and finding.suggestion


@pytest.mark.parametrize("text", NEGATIVES)
def test_leaves_look_alikes_alone(nlp, text):
    findings = DETECTOR.detect(nlp(text))
    assert not findings, f"false alarm: {[(f.type, f.pattern, text[f.start : f.end]) for f in findings]}"


@pytest.mark.parametrize(
    ("type_", "severity"),
    [
        ("threat", "high"),
        ("hate", "high"),
        ("self_harm_incitement", "high"),
        ("insult", "medium"),
        ("exclusion", "medium"),
    ],
)
def test_severity_by_type(type_, severity):
    assert SEVERITY[type_] == severity


def test_threat_cites_the_crime_clause(blank_nlp):
    (finding,) = DETECTOR.detect(blank_nlp("I know where you live"))
    assert finding.type == "threat"
    assert "5.4" in finding.clauses
    assert finding.pattern == "en.threat.phrase"


def test_flags_the_phrase_not_the_post(blank_nlp):
    before = "Long day at uni today. The canteen had plov. "
    text = before + "You're a pathetic loser." + " See everyone at the match on Saturday."
    findings = DETECTOR.detect(blank_nlp(text))
    assert findings
    assert all(
        len(before) <= f.start and f.end <= len(before) + len("You're a pathetic loser") for f in findings
    )


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("So… You’re a pathetic loser", "You’re a pathetic loser"),
        ("Ну всё, ты ещё пожалеешь", "ты ещё пожалеешь"),
    ],
)
def test_offsets_survive_typographic_apostrophes_and_yo(blank_nlp, text, span):
    findings = DETECTOR.detect(blank_nlp(text))
    assert [text[f.start : f.end] for f in findings] == [span]


def test_every_rule_type_is_in_the_policy_catalogue():
    types = set(catalogue().categories["harassment"]["types"])
    assert {spec.type for spec in RULE_SPECS} == types == set(SEVERITY)


def test_lexicons_load_and_every_language_has_rules():
    assert len(LEXICON_FILES) == 3
    assert {spec.lang for spec in RULE_SPECS} == {"en", "ru", "kk"}
    assert len({spec.id for spec in RULE_SPECS}) == len(RULE_SPECS)


ADVERSARIAL = [
    ("you're a " * 7_300)[:65_536],
    ("I'll " * 13_200)[:65_536],
    ("you stupid " * 6_000)[:65_536],
    ("ты " * 22_000)[:65_536],
    ("he's a " * 9_400)[:65_536],
    ("'s " * 21_900)[:65_536],
    "@" * 65_536,
    "'" * 65_536,
    "a" * 65_536,
    ("stuuupid " * 7_300)[:65_536],
    ("nobody invite everyone report let's all unfollow kill yourself fat cow people like you " * 800)[
        :65_536
    ],
    ("сен ақымақ никто не зовите иди умри " * 1_900)[:65_536],
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: repr(t[:12]))
def test_65k_adversarial_post_is_fast(blank_nlp, text):
    doc = blank_nlp.make_doc(text)
    # CPU time, not wall time: the detector's own work, whatever else the machine is running.
    # A backtracking or quadratic rule takes tens of seconds on 65k characters; a linear pass
    # took 0.2-0.6 s on the machines of November and 0.3-0.9 s on the slower one of 2026-12-07
    # (where a quadratic overlap check in detect() had pushed two posts past 1 s), so the
    # bound is the cue detectors' 2 s (tests/nlp/cue_cases.py).
    started = time.process_time()
    DETECTOR.detect(doc)
    assert time.process_time() - started < MAX_SECONDS


# --- the token-pattern language ----------------------------------------------------------------


def _grammar() -> Grammar:
    grammar = Grammar()
    grammar.add_terms("en:insult", ["loser", "idiot", "son of a bitch"], ["", "s"])
    grammar.add_terms("en:fill", ["a", "so", "total"], [""])
    return grammar


def _spans(pattern: str, text: str) -> list[str]:
    seq = Sequence(_grammar().parse(pattern, "en"))
    tokens = tokenize(text)
    out = []
    for pos in range(len(tokens)):
        found = seq.match_at(tokens, pos)
        if found is not None:
            out.append(text[found.start : found.end])
    return out


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("{you|u} {'re|are} <fill>{0,2} <insult>", "you're a total loser", ["you're a total loser"]),
        ("{you|u} {'re|are} <fill>{0,2} <insult>", "u are so idiots", ["u are so idiots"]),
        ("{you|u} {'re|are} <fill>{0,2} <insult>", "you're a so total loser", []),
        ("{you|u} {'re|are} <fill>{0,2} <insult>", "you're not a loser", []),
        ("you <insult>", "you son of a bitch", ["you son of a bitch"]),
        ("<insult> <END>", "loser!", ["loser"]),
        ("<insult> <END>", "loser bracket", []),
        ("<insult> !bracket", "loser bracket", []),
        ("[ <insult> ] <END>", "idiot.", ["idiot"]),
        ("<NAME> is <fill>? <insult>", "Dias is a loser", ["Dias is a loser"]),
        ("<NAME> is <fill>? <insult>", "The is a loser", []),
        ("<insult>", "looooser", ["looooser"]),
    ],
)
def test_pattern_language(pattern, text, expected):
    assert _spans(pattern, text) == expected


@pytest.mark.parametrize("pattern", ["<nope>", "{a|b", "a}", "<fill>{0,99}", "<fill>{3,1}"])
def test_bad_patterns_are_rejected(pattern):
    with pytest.raises(PatternError):
        _grammar().parse(pattern, "en")


def test_rule_that_could_start_anywhere_is_rejected(tmp_path: Path):
    lexicon = tmp_path / "x.jsonl"
    rule = {"rule": "x", "lang": "en", "type": "insult", "pattern": "<WORD>? <WORD>"}
    lexicon.write_text(json.dumps(rule) + "\n", encoding="utf-8")
    _, rules = load([lexicon])
    assert [rule.id for rule in rules] == ["x"]
    with pytest.raises(PatternError):
        RuleIndex(rules)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("You're", ["You", "'re"]),
        ("don't", ["don", "'t"]),
        ("@dias_k's page", ["@dias_k", "'s", "page"]),
        ("two-faced snake!", ["two-faced", "snake", "!"]),
        ("ақымақсың", ["ақымақсың"]),
    ],
)
def test_tokenizer(text, tokens):
    assert [t.text for t in tokenize(text)] == tokens


def test_a_slur_inside_an_insult_keeps_the_higher_severity(blank_nlp):
    text = "you retarded idiot"
    findings = DETECTOR.detect(blank_nlp(text))
    assert [(f.type, f.severity, text[f.start : f.end]) for f in findings] == [("hate", "high", "retarded")]
