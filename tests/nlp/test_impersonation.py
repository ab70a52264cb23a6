"""The impersonation detector (4.5.4): fake accounts, posing as someone, other people's accounts."""

from __future__ import annotations

import pytest

from nlp.detectors.impersonation import ImpersonationDetector
from tests.nlp.cue_cases import ADVERSARIAL, assert_clean, assert_fast, assert_flags, assert_span_is_phrase

DETECTOR = ImpersonationDetector()

# (post, phrase that must be covered, type, severity)
POSITIVES = [
    # English
    ("Set up a fake profile as the dean to prank everyone", "fake profile", "fake_account", "high"),
    (
        "Posting as my roommate from her account while she's asleep haha",
        "from her account",
        "other_persons_account",
        "high",
    ),
    (
        "Posting as my roommate while she's asleep haha",
        "Posting as my roommate",
        "other_persons_account",
        "high",
    ),
    ("made a parody account pretending to be our lecturer", "parody account", "fake_account", "high"),
    ("Created a fake Instagram to check on my ex", "fake Instagram", "fake_account", "high"),
    ("Logged into his account and changed his bio lol", "Logged into his", "other_persons_account", "high"),
    (
        "Commenting as Dr Smith on the uni page, nobody will know",
        "Commenting as Dr Smith",
        "other_persons_account",
        "high",
    ),
    (
        "Running a fake account of the vice-rector, it has 300 followers already",
        "fake account",
        "fake_account",
        "high",
    ),
    (
        "Using my friend's account to vote twice in the DSU poll",
        "Using my friend's account",
        "other_persons_account",
        "high",
    ),
    (
        "I'll message her pretending to be her boyfriend lol",
        "pretending to be her",
        "other_persons_account",
        "high",
    ),
    # Russian
    ("Сделал фейковый аккаунт декана, ахаха", "фейковый аккаунт", "fake_account", "high"),
    (
        "Пишу от имени преподавателя в общий чат, пусть думают что пара отменена",
        "от имени преподавателя",
        "other_persons_account",
        "high",
    ),
    ("Зашёл в её инсту и выложил пост, пока она спала", "Зашёл в её", "other_persons_account", "high"),
    ("Завёл фейк-аккаунт, чтобы писать гадости одногруппнице", "фейк-аккаунт", "fake_account", "high"),
    ("Взломал страницу старосты и поменял аватарку", "Взломал", "other_persons_account", "high"),
    # Kazakh
    ("Деканның атынан жалған аккаунт аштым", "жалған аккаунт", "fake_account", "high"),
    (
        "Досымның аккаунтынан пост жаздым, ол білмейді",
        "Досымның аккаунтынан",
        "other_persons_account",
        "high",
    ),
    # more phrasings, written for these tests
    (
        "Made a second insta pretending to be a first year to see who's talking about me",
        "Made a second insta pretending to be a first year",
        "fake_account",
        "high",
    ),
    (
        "Messaged him from my friend's number pretending to be her",
        "from my friend's number",
        "other_persons_account",
        "high",
    ),
    (
        "Signed the petition using my roommate's name, she won't mind",
        "using my roommate's name",
        "other_persons_account",
        "high",
    ),
    (
        "Catfishing my roommate with a fake Tinder profile lol",
        "Catfishing my roommate with a fake Tinder profile",
        "fake_account",
        "high",
    ),
    (
        "Создала фейк и пишу бывшему от имени его новой девушки",
        "Создала фейк и пишу бывшему от имени",
        "fake_account",
        "high",
    ),
    (
        "Написал в чат группы от лица куратора",
        "Написал в чат группы от лица куратора",
        "other_persons_account",
        "high",
    ),
    ("Залогинилась в его телегу и прочитала всё", "Залогинилась в его", "other_persons_account", "high"),
    (
        "Жалған парақша ашып, мұғалімнің атынан жаздым",
        "Жалған парақша ашып, мұғалімнің атынан жаздым",
        "fake_account",
        "high",
    ),
    (
        "Pretending to be the uni's official account on TikTok, got 2k followers lol",
        "Pretending to be the uni's official account",
        "other_persons_account",
        "high",
    ),
    (
        "Changed my name on Facebook to my lecturer's name to troll the group",
        "Changed my name on Facebook to my lecturer",
        "other_persons_account",
        "high",
    ),
    (
        "Made a fake email pretending to be the registry to tell people exams were cancelled",
        "Made a fake email pretending to be the registry",
        "fake_account",
        "high",
    ),
    (
        "Texted her from an unknown number pretending to be her ex",
        "pretending to be her ex",
        "other_persons_account",
        "high",
    ),
    (
        "Accidentally posted that from my girlfriend's account lmao",
        "from my girlfriend's account",
        "other_persons_account",
        "high",
    ),
    (
        "Веду страницу от имени нашего декана, никто не догадался",
        "Веду страницу от имени нашего декана",
        "other_persons_account",
        "high",
    ),
    (
        "Создал аккаунт как будто я преподаватель",
        "как будто я преподаватель",
        "other_persons_account",
        "high",
    ),
    (
        "Сидела с телефона подруги в её телеге и писала парню",
        "с телефона подруги",
        "other_persons_account",
        "high",
    ),
    (
        "Оқытушы болып аккаунт ашып, студенттерге жаздым",
        "Оқытушы болып аккаунт",
        "other_persons_account",
        "high",
    ),
    (
        "Made an account with the rector's photo and name lol",
        "Made an account with the rector's photo",
        "fake_account",
        "high",
    ),
    (
        "Logged in as my groupmate on Blackboard and submitted her work",
        "Logged in as my groupmate",
        "other_persons_account",
        "high",
    ),
    (
        "Using my brother's student ID to get into the library lol",
        "Using my brother's student ID",
        "other_persons_account",
        "high",
    ),
    (
        "Ran an anonymous account trashing our lecturers all semester",
        "Ran an anonymous account",
        "fake_account",
        "high",
    ),
    (
        "Зарегистрировался в тиндере под фотками одногруппника",
        "Зарегистрировался в тиндере под фотками одногруппника",
        "fake_account",
        "high",
    ),
    ("Отвечаю в чате вместо старосты с её телефона", "с её телефона", "other_persons_account", "high"),
    (
        "Курсасымның атынан телеграмда жаздым",
        "Курсасымның атынан телеграмда жаздым",
        "other_persons_account",
        "high",
    ),
    (
        "Made a Tinder with my roommate's pics as a joke",
        "Made a Tinder with my roommate's pics",
        "fake_account",
        "high",
    ),
    (
        "Posting on my brother's insta while he's at work lol",
        "on my brother's insta while",
        "other_persons_account",
        "high",
    ),
    (
        "Created a parody account of the university, DMUK Official 😂",
        "Created a parody account of the university",
        "fake_account",
        "high",
    ),
    (
        "Pretended to be my tutor in the class group chat",
        "Pretended to be my tutor",
        "other_persons_account",
        "high",
    ),
]

NEGATIVES = [
    "My fake plant is the only plant I haven't killed",
    "fake it till you make it",
    "Someone made a fake account of me, please report it",
    "There's a fake DMUK account messaging students, don't reply",
    "Posting this from my sister's account because mine is locked, she knows",
    "I'm pretending to be asleep so nobody asks me to cook",
    "In the play I'm posing as a detective",
    "The dean's account posted about the new library",
    "Got a weird DM from a fake account offering me a job",
    "She posted the photos on her account, go like them",
    "Fake news about the exam timetable is going round, check the official page",
    "Beware of fake accounts pretending to be the scholarship office",
    "His account of the trip was hilarious",
    "Осторожно, кто-то создал фейк от имени ректора",
    "Фейковые новости про отмену сессии — не верьте",
    "Меня взломали, не отвечайте на сообщения с моей страницы",
    "Абай болыңдар, менің атымнан жалған аккаунт ашылды",
    # more phrasings, written for these tests
    "Booked the table under her name, see you at 7",
    "Got a necklace with her name on it for her birthday",
    "Our drama society is doing a play where I'm pretending to be a ghost",
    "Оқытушы болып жұмыс істеймін",
    "My mum showed me how to use Instagram lol",
    "There's an anonymous account posting memes about the canteen, so funny",
    "Made an account on the library website, finally",
]


@pytest.mark.parametrize(("text", "phrase", "type_", "severity"), POSITIVES)
def test_flags_impersonation(blank_nlp, text, phrase, type_, severity):
    assert_flags(DETECTOR, blank_nlp, text, phrase, type_, severity)


@pytest.mark.parametrize("text", NEGATIVES)
def test_leaves_look_alikes_alone(blank_nlp, text):
    assert_clean(DETECTOR, blank_nlp, text)


@pytest.mark.parametrize("phrase", ["made a fake profile of the rector", "Сделал фейковый аккаунт декана"])
def test_flags_the_phrase_not_the_post(blank_nlp, phrase):
    assert_span_is_phrase(DETECTOR, blank_nlp, phrase)


def test_consent_cancels_posting_from_another_account(blank_nlp):
    assert DETECTOR.detect(blank_nlp("Posting from my sister's account tonight"))
    assert not DETECTOR.detect(blank_nlp("Posting from my sister's account tonight, she asked me to"))


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_hostile_text_is_linear(blank_nlp, text):
    assert_fast(DETECTOR, blank_nlp, text)
