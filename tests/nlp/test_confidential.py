"""The confidential detector (4.5.1): leaked, internal, draft and unpublished material."""

from __future__ import annotations

import pytest

from nlp.detectors.confidential import ConfidentialDetector
from tests.nlp.cue_cases import ADVERSARIAL, assert_clean, assert_fast, assert_flags, assert_span_is_phrase

DETECTOR = ConfidentialDetector()

# (post, phrase that must be covered, type, severity)
POSITIVES = [
    # English
    (
        "Here's the confidential report on the campus merger, leaked to me by a friend",
        "confidential report",
        "document",
        "high",
    ),
    (
        "internal memo from the dean's office says they're cutting the library hours",
        "internal memo",
        "document",
        "high",
    ),
    ("Got the exam board minutes from last week, wow", "exam board minutes", "document", "high"),
    (
        "The not yet approved budget for next year cuts three programmes",
        "not yet approved budget",
        "unapproved",
        "medium",
    ),
    (
        "Sharing the draft research findings before publication, don't tell my supervisor",
        "draft research findings",
        "research",
        "medium",
    ),
    (
        "Leaked: the new fee increase for next year, screenshot below",
        "Leaked: the new fee increase",
        "document",
        "high",
    ),
    ("The draft budget shows cuts to every society", "draft budget", "unapproved", "medium"),
    (
        "My prof's unpublished data on air quality is wild, look at these graphs",
        "unpublished data",
        "research",
        "medium",
    ),
    (
        "Results of the lab's study before publication: the drug doesn't work",
        "study before publication",
        "research",
        "medium",
    ),
    ("The staff salary list was leaked by someone in HR", "salary list was leaked", "document", "high"),
    (
        "Photo of the document marked confidential on the printer in the library",
        "marked confidential",
        "document",
        "high",
    ),
    (
        "This email is for internal use only but you all need to see it",
        "for internal use only",
        "document",
        "high",
    ),
    (
        "The restructuring plan hasn't been announced yet but here it is",
        "restructuring plan",
        "unapproved",
        "medium",
    ),
    (
        "Minutes of the ethics committee meeting, not for circulation",
        "not for circulation",
        "document",
        "high",
    ),
    # Russian
    ("Вот конфиденциальный отчёт о слиянии кампусов", "конфиденциальный отчёт", "document", "high"),
    ("Слили протокол заседания учёного совета, читайте", "Слили протокол", "document", "high"),
    (
        "Проект приказа о повышении стоимости обучения, ещё не утвердили",
        "Проект приказа",
        "unapproved",
        "medium",
    ),
    ("Внутренний документ деканата: сессию переносят", "Внутренний документ", "document", "high"),
    (
        "Неопубликованные результаты исследования нашей лаборатории, только никому",
        "Неопубликованные результаты",
        "research",
        "medium",
    ),
    (
        "Бюджет на следующий год ещё не утверждён, но вот он",
        "Бюджет на следующий год ещё не утверждён",
        "unapproved",
        "medium",
    ),
    ("Документ для служебного пользования, но вам можно", "для служебного пользования", "document", "high"),
    # Kazakh
    ("Зерттеудің жарияланбаған нәтижелері осында", "Зерттеудің жарияланбаған", "research", "medium"),
    ("Деканаттың құпия құжаты, қараңдар", "құпия құжаты", "document", "high"),
    ("Әлі бекітілмеген бюджет: стипендия қысқарады", "бекітілмеген бюджет", "unapproved", "medium"),
    # mixed
    ("Слили internal memo от ректората, wow", "internal memo", "document", "high"),
    # more phrasings, written for these tests
    (
        "Just saw the new tuition fees before they're announced: 20% up",
        "tuition fees before they're announced",
        "unapproved",
        "medium",
    ),
    (
        "Here's a screenshot of the email the dean sent to staff only",
        "email the dean sent to staff",
        "document",
        "high",
    ),
    ("Leaked grades of the whole cohort lol", "Leaked grades", "document", "high"),
    (
        "My mate in the registry sent me everyone's exam results before release",
        "exam results before release",
        "unapproved",
        "medium",
    ),
    (
        "Research data from Prof K's lab, not published yet, DM if you want it",
        "Research data from Prof K's lab, not published yet",
        "research",
        "medium",
    ),
    (
        "The accreditation report is brutal, leaked copy attached",
        "accreditation report is brutal, leaked copy",
        "document",
        "high",
    ),
    (
        "Here's the agenda for tomorrow's closed board meeting",
        "agenda for tomorrow's closed board meeting",
        "document",
        "high",
    ),
    (
        "The disciplinary panel's decision letter about Arman, sent to me by mistake",
        "letter about Arman, sent to me by mistake",
        "document",
        "high",
    ),
    ("Сливаю бюджет универа на следующий год", "Сливаю бюджет", "document", "high"),
    (
        "Мне по секрету скинули приказ об отчислении",
        "по секрету скинули приказ об отчислении",
        "document",
        "high",
    ),
    ("Внутреннее письмо ректора сотрудникам, читайте", "Внутреннее письмо", "document", "high"),
    ("Утёк список на отчисление", "Утёк список на отчисление", "document", "high"),
    (
        "Пока не объявили, но стипендию урежут, вот документ",
        "Пока не объявили, но стипендию",
        "unapproved",
        "medium",
    ),
    ("Черновик нового положения об общежитиях", "Черновик нового положения", "unapproved", "medium"),
    ("Ректордың ішкі хаты, оқыңдар", "ішкі хаты", "document", "high"),
    ("Құпия құжат: жатақхана ақысы көтеріледі", "Құпия құжат", "document", "high"),
    (
        "Someone in finance accidentally shared the uni's budget spreadsheet with all students 😳 here it is",
        "accidentally shared the uni's budget spreadsheet",
        "document",
        "high",
    ),
    (
        "My friend works in the dean's office, she showed me the list of students getting expelled",
        "showed me the list of students getting expelled",
        "document",
        "high",
    ),
    (
        "Staff email about the strike accidentally forwarded to students lol",
        "email about the strike accidentally forwarded",
        "document",
        "high",
    ),
    (
        "Here's what the new (not yet public) grading policy says",
        "not yet public) grading policy",
        "unapproved",
        "medium",
    ),
    (
        "Preprint of my supervisor's paper before it's published, don't share",
        "paper before it's published",
        "research",
        "medium",
    ),
    (
        "Случайно увидела в деканате список отчисляемых, вот фото",
        "список отчисляемых, вот",
        "document",
        "high",
    ),
    ("Деканаттағы жабық құжаттарды көрдім, мінеки", "жабық құжаттарды", "document", "high"),
    (
        "Not meant to share but HR's restructuring doc says 40 staff are going",
        "Not meant to share but HR's restructuring doc",
        "document",
        "high",
    ),
    (
        "Got my hands on the uni's 5-year strategy before it goes public 👀",
        "strategy before it goes public",
        "unapproved",
        "medium",
    ),
    (
        "My supervisor's grant proposal, which isn't public yet, is genius",
        "proposal, which isn't public yet",
        "unapproved",
        "medium",
    ),
    (
        "Insider info: the dean is resigning, the email went to staff this morning",
        "Insider info: the dean is resigning, the email",
        "document",
        "high",
    ),
    (
        "screenshot of the staff group chat about the exam marking",
        "screenshot of the staff group chat",
        "document",
        "high",
    ),
    ("Unreleased exam results for CS leaked in the groupchat", "Unreleased exam results", "document", "high"),
    (
        "My friend in admin sent me the list of scholarship winners before the announcement",
        "scholarship winners before the announcement",
        "unapproved",
        "medium",
    ),
    (
        "Инсайд: со следующего года обучение подорожает на 30%, приказ уже готов",
        "Инсайд: со следующего года обучение подорожает на 30%, приказ",
        "document",
        "high",
    ),
    ("Скрин из чата преподавателей про пересдачу", "Скрин из чата преподавателей", "document", "high"),
    ("Вот внутренняя переписка кафедры", "Вот внутренняя переписка кафедры", "document", "high"),
    (
        "Нам случайно прислали ведомость всего потока с оценками",
        "случайно прислали ведомость",
        "document",
        "high",
    ),
    (
        "Инсайд: келесі жылы оқу ақысы өседі, бұйрық дайын",
        "Инсайд: келесі жылы оқу ақысы өседі, бұйрық",
        "document",
        "high",
    ),
    ("Оқытушылар чатынан скрин, қараңдар", "Оқытушылар чатынан скрин", "document", "high"),
    (
        "Sneak peek at the new campus plans, not officially announced yet",
        "campus plans, not officially announced yet",
        "unapproved",
        "medium",
    ),
    (
        "Our lab's results aren't published yet but look at this graph 📈",
        "results aren't published yet",
        "research",
        "medium",
    ),
    (
        "The committee hasn't signed off the new grading policy yet, but here it is",
        "hasn't signed off the new grading policy",
        "unapproved",
        "medium",
    ),
    (
        "Exclusive: leaked minutes from the senate meeting",
        "leaked minutes from the senate",
        "document",
        "high",
    ),
    (
        "Here are the draft minutes from yesterday's staff meeting",
        "draft minutes from yesterday's staff meeting",
        "document",
        "high",
    ),
    (
        "My friend on the student council shared the uni's proposed budget with me",
        "proposed budget",
        "unapproved",
        "medium",
    ),
    (
        "PhD student here – sharing my unpublished thesis chapter, please don't circulate",
        "unpublished thesis",
        "research",
        "medium",
    ),
    ("Internal audit findings: the uni overspent by 2 million", "Internal audit", "document", "high"),
    (
        "This is confidential but the Dean told us the business school is merging",
        "This is confidential but the Dean",
        "document",
        "high",
    ),
    (
        "My flatmate is pregnant and doesn't want anyone to know 🤫",
        "My flatmate is pregnant",
        "personal",
        "high",
    ),
    (
        "Apparently our lecturer is getting divorced, that's why he's been so moody",
        "our lecturer is getting divorced, that's why he's",
        "personal",
        "high",
    ),
    (
        "Don't tell anyone but my roommate got kicked out of uni for plagiarism",
        "my roommate got kicked out",
        "personal",
        "high",
    ),
    (
        "She failed all her exams and is on academic probation, her parents don't know",
        "She failed all her exams and is on academic probation, her",
        "personal",
        "high",
    ),
    ("Моя соседка беременна, только никому не говорите", "Моя соседка беременна", "personal", "high"),
    ("Говорят, нашего препода уволили за взятки", "нашего препода уволили", "personal", "high"),
    ("Курстасым оқудан шығарылды, ешкімге айтпаңдар", "Курстасым оқудан шығарылды", "personal", "high"),
    (
        "Heard that my groupmate is in hospital after a breakdown, between us",
        "Heard that my groupmate is in hospital",
        "personal",
        "high",
    ),
]

NEGATIVES = [
    "Confidential tip: the canteen does free refills after 3pm 🤫",
    "my draft essay is finally done",
    "the published results are out",
    "Official results day is Friday, fingers crossed everyone",
    "The exam board meets in 10 minutes, wish me luck",
    "Your survey answers are confidential and the results will be anonymised",
    "Our society budget is not approved yet so no trip this month",
    "The counselling service is free and confidential, book through the portal",
    "First draft of my dissertation proposal done, time for sleep",
    "Internal transfer to the business school went through!",
    "Submitted my draft report for the group project, finally",
    "Sophie was crying in the toilets after the results came out",
    "The paper we wrote last year was just published in a journal 🎉",
    "The secret to surviving finals is coffee and naps",
    "NFL draft tonight, who's watching?",
    "The tap in the kitchen leaked all night, reported it to facilities",
    "Research results are now public on the university website",
    "Мой черновик эссе наконец готов",
    "Результаты экзамена уже опубликованы на сайте",
    "Анкета анонимная, ваши данные конфиденциальны",
    "Наш клубный бюджет ещё не утвердили, поездка отменяется",
    "Эссемнің жобасы дайын, енді ұйықтаймын",
    "Нәтижелер сайтта жарияланды",
    # more phrasings, written for these tests
    "The library is open 24/7, not a secret",
    "Spoiler alert: the finale leaked online",
    "Leaked photos of the new iPhone look sick",
    "Check the internal regulations on plagiarism on Blackboard",
    "Our internal hackathon results are out!",
    "Draft day for the uni football team tomorrow",
    "I just published my first blog post about student life",
    "Правила внутреннего распорядка общежития висят на двери",
    "The list of clubs is on the DSU website",
    "She showed me the list of clubs at the fair",
    "The library is closed so I can't print my report",
    "Insider tip: the canteen has free refills before noon",
    "The marking criteria are on Blackboard, read them before you start",
    "Not meant to brag but I got a first 😎",
    "My proposed dissertation topic got approved!",
    "Upcoming events: quiz night, football, karaoke",
    "Between us, the canteen plov is the best in Almaty",
    "I'm pregnant!! Baby due in May 💕",
    "My friend is in hospital, get well soon Dana 💐",
    "Our lecturer talked about depression in adolescents today, fascinating",
    "She failed her driving test lol",
    "The lecture on divorce law was long",
    "Proud of my friend for raising money for depression awareness",
]


@pytest.mark.parametrize(("text", "phrase", "type_", "severity"), POSITIVES)
def test_flags_confidential_material(blank_nlp, text, phrase, type_, severity):
    assert_flags(DETECTOR, blank_nlp, text, phrase, type_, severity)


@pytest.mark.parametrize("text", NEGATIVES)
def test_leaves_look_alikes_alone(blank_nlp, text):
    assert_clean(DETECTOR, blank_nlp, text)


@pytest.mark.parametrize(
    "phrase", ["the confidential report on the merger", "Слили протокол заседания ректората"]
)
def test_flags_the_phrase_not_the_post(blank_nlp, phrase):
    assert_span_is_phrase(DETECTOR, blank_nlp, phrase)


def test_finding_cites_clause_4_5_1(blank_nlp):
    (finding,) = DETECTOR.detect(blank_nlp("internal memo from the rector"))
    assert finding.clauses == ("4.5.1",)
    assert finding.detector == "confidential"
    assert finding.pattern == "internal_document"


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_hostile_text_is_linear(blank_nlp, text):
    assert_fast(DETECTOR, blank_nlp, text)
