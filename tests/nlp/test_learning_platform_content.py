"""The learning-platform detector (4.5.7): recordings and material from Blackboard, Teams and co."""

from __future__ import annotations

import pytest

from nlp.detectors.learning_platform_content import LearningPlatformContentDetector
from tests.nlp.cue_cases import ADVERSARIAL, assert_clean, assert_fast, assert_flags, assert_span_is_phrase

DETECTOR = LearningPlatformContentDetector()

# (post, phrase that must be covered, type, severity)
POSITIVES = [
    # English
    (
        "Posted the whole Blackboard lecture video on my Telegram channel",
        "Blackboard lecture video",
        "recording",
        "medium",
    ),
    ("Screen-recorded our Teams tutorial, link below", "Screen-recorded our Teams", "recording", "medium"),
    ("here are the slides from Collaborate", "slides from Collaborate", "content", "medium"),
    (
        "screenshot of the online quiz, question 3 is impossible",
        "screenshot of the online quiz",
        "content",
        "medium",
    ),
    (
        "Uploading the full lecture recording to YouTube for anyone who missed it",
        "full lecture recording",
        "recording",
        "medium",
    ),
    (
        "Downloaded all the Panopto videos, DM me for the drive link",
        "Downloaded all the Panopto",
        "recording",
        "medium",
    ),
    (
        "I'll share the Collaborate recording in the group chat tonight",
        "Collaborate recording",
        "recording",
        "medium",
    ),
    ("Put the Teams recording of the seminar on my TikTok lol", "Teams recording", "recording", "medium"),
    ("Recorded the lecture on my phone, here it is", "Recorded the lecture", "recording", "medium"),
    (
        "Anyone want the PDFs from the Blackboard module page? I can send them",
        "PDFs from the Blackboard",
        "content",
        "medium",
    ),
    (
        "Screenshots of the Blackboard test questions in my story",
        "Screenshots of the Blackboard test",
        "content",
        "medium",
    ),
    # Russian
    ("Записал лекцию в Teams, кому нужно — пишите", "Записал лекцию в Teams", "recording", "medium"),
    ("Выложил запись лекции по маркетингу в тг канал", "Выложил запись лекции", "recording", "medium"),
    ("Скинул слайды с Блэкборда в общий чат", "слайды с Блэкборда", "content", "medium"),
    ("Заскринил онлайн-тест по статистике, держите", "Заскринил онлайн-тест", "content", "medium"),
    (
        "Запись семинара из тимса на ютубе, ссылка в описании",
        "Запись семинара из тимса",
        "recording",
        "medium",
    ),
    # Kazakh
    ("Дәріс жазбасын телеграм каналға салдым", "Дәріс жазбасын", "recording", "medium"),
    (
        "Blackboard-тан слайдтарды жүктеп алдым, сілтеме төменде",
        "Blackboard-тан слайдтарды",
        "content",
        "medium",
    ),
    # more phrasings, written for these tests
    (
        "Anyone missed today's lecture? I recorded it, DM me",
        "lecture? I recorded it, DM me",
        "recording",
        "medium",
    ),
    (
        "Full Panopto recording of week 5 on my Google Drive 👇",
        "Panopto recording of week 5 on my Google Drive",
        "recording",
        "medium",
    ),
    (
        "Uploaded all the Blackboard quizzes with answers to Quizlet",
        "Uploaded all the Blackboard quizzes",
        "content",
        "medium",
    ),
    (
        "Leaking the lecture slides for the whole module on my Telegram",
        "lecture slides for the whole module on my Telegram",
        "content",
        "medium",
    ),
    (
        "Here's a screen recording of the Collaborate session",
        "Here's a screen recording of the Collaborate",
        "recording",
        "medium",
    ),
    (
        "Screenshotted the whole MCQ test before it closed 😎",
        "Screenshotted the whole MCQ test",
        "content",
        "medium",
    ),
    ("Photo of the online exam questions, good luck guys", "Photo of the online exam", "content", "medium"),
    (
        "Recording from the Teams class attached",
        "Recording from the Teams class attached",
        "recording",
        "medium",
    ),
    (
        "Who wants the recording of the guest lecture? I have it",
        "Who wants the recording of the guest lecture",
        "recording",
        "medium",
    ),
    ("Скинул в чат запись пары по эконометрике", "в чат запись пары", "recording", "medium"),
    ("Кому нужны слайды с лекций — пишите, скину", "слайды с лекций — пишите, скину", "content", "medium"),
    ("Выложил все лекции с Блэкборда на ютуб", "Выложил все лекции", "content", "medium"),
    ("Сабақтың жазбасын WhatsApp-қа салдым", "Сабақтың жазбасын WhatsApp-қа", "recording", "medium"),
    (
        "Teams recording from today's lecture 👇",
        "Teams recording from today's lecture 👇",
        "recording",
        "medium",
    ),
    (
        "I have all of last semester's lecture recordings, DM me",
        "lecture recordings, DM me",
        "recording",
        "medium",
    ),
    (
        "Downloaded the quiz from Blackboard before it closed, anyone want it?",
        "Downloaded the quiz from Blackboard before it closed, anyone want",
        "content",
        "medium",
    ),
    (
        "Posting the recording of the guest talk from our module",
        "Posting the recording of the guest talk",
        "recording",
        "medium",
    ),
    ("Запись вебинара по праву, ссылка в шапке", "Запись вебинара по праву, ссылка", "recording", "medium"),
    ("Скрины вопросов из онлайн-теста", "Скрины вопросов из онлайн-теста", "content", "medium"),
    ("Онлайн тест сұрақтарының скриншоттары", "Онлайн тест сұрақтарының скриншоттары", "content", "medium"),
    (
        "Can't make the lecture? I'll livestream it on Insta",
        "lecture? I'll livestream it on Insta",
        "recording",
        "medium",
    ),
    ("Quizlet set made from the Blackboard MCQs, enjoy 😁", "Blackboard MCQs, enjoy", "content", "medium"),
    (
        "Lecture capture from week 3 is on my YouTube now",
        "Lecture capture from week 3 is on my YouTube",
        "recording",
        "medium",
    ),
    (
        "Whole module's worth of Blackboard content, zipped, link 👇",
        "Blackboard content, zipped",
        "content",
        "medium",
    ),
    ("Стримлю пару в инсту, кому интересно", "Стримлю пару в инсту", "recording", "medium"),
    (
        "Вот ссылка на все записи лекций с Панопто",
        "ссылка на все записи лекций с Панопто",
        "recording",
        "medium",
    ),
    (
        "Скачала все материалы с Блэкборда, кому скинуть?",
        "Скачала все материалы с Блэкборда, кому скинуть",
        "content",
        "medium",
    ),
    (
        "Барлық дәріс жазбаларын Google Drive-қа жүктедім",
        "дәріс жазбаларын Google Drive-қа жүктедім",
        "recording",
        "medium",
    ),
    (
        "Here's the link to the recorded Collaborate session from Tuesday",
        "Here's the link to the recorded Collaborate",
        "content",
        "medium",
    ),
    (
        "Uploaded the lecture recordings to a shared Google Drive for the whole cohort",
        "Uploaded the lecture recordings",
        "recording",
        "medium",
    ),
    (
        "I screen-recorded the online phase test so we can revise",
        "screen-recorded the online phase test",
        "content",
        "medium",
    ),
    (
        "Posting the quiz questions from today's Blackboard test",
        "Posting the quiz questions from today's Blackboard",
        "content",
        "medium",
    ),
    (
        "Sharing the seminar slides from Teams since some of you can't log in",
        "Sharing the seminar slides from Teams",
        "content",
        "medium",
    ),
]

NEGATIVES = [
    "Our Teams channel for the robotics club is finally set up",
    "Blackboard is down again",
    "the lecture today was great",
    "Phone died halfway through the lecture, classic",
    "The lecture on behavioural economics today blew my mind",
    "Recorded a cover of my favourite song, feedback welcome 🎸",
    "Can't find the lecture recording on Blackboard, where is it?",
    "The lecture recording is on Blackboard now if you missed it",
    "Our basketball teams played well today, posted the video on insta",
    "Recorded our team meeting on Teams for the club",
    "Let's collaborate on the slides, sharing the doc now",
    "The lecturer posted the slides on Blackboard, check it out",
    "Is there a recording of Monday's seminar? Asking for a friend",
    "I recorded my own podcast about student life, link in bio",
    "Shared my revision notes for the history exam on my blog",
    "Blackboard keeps crashing whenever I try to submit",
    "Teams notifications at 2am should be illegal",
    "Лекция сегодня была огонь",
    "Блэкборд опять не работает",
    "Где найти запись лекции? На блэкборде пусто",
    "Записался на лекцию по маркетингу в Teams",
    "Бүгінгі дәріс керемет болды",
    # more phrasings, written for these tests
    "Lecture on Teams today at 10, join link below",
    "Sharing my lecture notes for revision, hope they help",
    "The guest lecture was recorded and will be on Blackboard tomorrow",
    "Teams meeting for the debate society at 6pm, link below",
    "The online quiz was so easy today",
    "Filmed our society's guest lecture with the lecturer's permission",
    "Lecture capture is available on Blackboard for everyone enrolled",
]


@pytest.mark.parametrize(("text", "phrase", "type_", "severity"), POSITIVES)
def test_flags_platform_material(blank_nlp, text, phrase, type_, severity):
    assert_flags(DETECTOR, blank_nlp, text, phrase, type_, severity)


@pytest.mark.parametrize("text", NEGATIVES)
def test_leaves_look_alikes_alone(blank_nlp, text):
    assert_clean(DETECTOR, blank_nlp, text)


@pytest.mark.parametrize("phrase", ["uploaded the Panopto recording", "Скинул слайды с Блэкборда"])
def test_flags_the_phrase_not_the_post(blank_nlp, phrase):
    assert_span_is_phrase(DETECTOR, blank_nlp, phrase)


def test_teams_the_app_is_case_sensitive(blank_nlp):
    assert DETECTOR.detect(blank_nlp("Screen-recorded the Teams call"))
    assert not DETECTOR.detect(blank_nlp("Screen-recorded the teams warming up"))


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_hostile_text_is_linear(blank_nlp, text):
    assert_fast(DETECTOR, blank_nlp, text)
