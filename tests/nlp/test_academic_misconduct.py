"""The academic-misconduct detector (4.5.9, Annex A): answers, essay mills, exam questions, cheating."""

from __future__ import annotations

import pytest

from nlp.detectors.academic_misconduct import AcademicMisconductDetector
from tests.nlp.cue_cases import ADVERSARIAL, assert_clean, assert_fast, assert_flags, assert_span_is_phrase

DETECTOR = AcademicMisconductDetector()

# (post, phrase that must be covered, type, severity)
POSITIVES = [
    # English
    (
        "Anyone got the answers for the statistics phase test? Paying well",
        "answers for the statistics phase test",
        "solutions",
        "high",
    ),
    (
        "Selling completed coursework, any module, fast delivery",
        "Selling completed coursework",
        "contract_cheating",
        "high",
    ),
    (
        "Uploading my solutions to the algorithms assignment for everyone to copy",
        "solutions to the algorithms assignment",
        "solutions",
        "high",
    ),
    ("will write your essay for $50, any topic", "write your essay", "contract_cheating", "high"),
    ("who has the exam questions for tomorrow", "who has the exam questions", "exam_content", "high"),
    (
        "Does anyone have the answers for the homework? I'm so behind",
        "answers for the homework",
        "solutions",
        "high",
    ),
    (
        "Let's make a group chat and send answers during the online exam",
        "send answers during the online exam",
        "incitement",
        "medium",
    ),
    ("How to bypass Turnitin with paraphrasing tools, thread 🧵", "bypass Turnitin", "incitement", "medium"),
    (
        "Can someone do my accounting assignment for me? Will pay",
        "do my accounting assignment",
        "contract_cheating",
        "high",
    ),
    (
        "Need someone to take my online exam on Friday, $100",
        "take my online exam",
        "contract_cheating",
        "high",
    ),
    (
        "I'll pay someone to write my dissertation, serious offers only",
        "pay someone to write my dissertation",
        "contract_cheating",
        "high",
    ),
    (
        "Got the mark scheme for the economics coursework, DM me",
        "mark scheme for the economics coursework",
        "solutions",
        "high",
    ),
    (
        "Essay writing service, 100% original, plagiarism-free, any deadline",
        "Essay writing service",
        "contract_cheating",
        "high",
    ),
    ("Buying lab reports for chemistry, message me", "Buying lab reports", "contract_cheating", "high"),
    # Russian
    ("У кого есть ответы на экзамен по статистике? Заплачу", "ответы на экзамен", "solutions", "high"),
    (
        "Продаю готовые курсовые, любой предмет, недорого",
        "Продаю готовые курсовые",
        "contract_cheating",
        "high",
    ),
    ("Напишу курсовую или диплом на заказ, пишите в лс", "Напишу курсовую", "contract_cheating", "high"),
    ("Скиньте решения контрольной по матану пожалуйста", "Скиньте решения контрольной", "solutions", "high"),
    ("Слили вопросы к экзамену по праву, кому надо — в лс", "вопросы к экзамену", "exam_content", "high"),
    ("Как списать на экзамене и не спалиться?", "Как списать на экзамене", "incitement", "medium"),
    ("Сдам тест за вас, быстро и недорого", "Сдам тест за вас", "contract_cheating", "high"),
    # Kazakh
    ("Кімде емтихан жауаптары бар? Жіберіңдерші", "емтихан жауаптары", "solutions", "high"),
    ("Курстық жұмыс жазып беремін, арзан", "жазып беремін", "contract_cheating", "high"),
    ("Ертеңгі емтихан сұрақтары кімде бар?", "емтихан сұрақтары", "exam_content", "high"),
    # mixed
    (
        "Кто-нибудь, скиньте answers for the phase test плиз",
        "answers for the phase test",
        "solutions",
        "high",
    ),
    # more phrasings, written for these tests
    (
        "Anyone selling the answers to the accounting quiz?",
        "selling the answers to the accounting quiz",
        "contract_cheating",
        "high",
    ),
    (
        "DM me if you want my coursework from last year, got an A, you can copy it",
        "DM me if you want my coursework from last year, got an A, you can copy",
        "solutions",
        "high",
    ),
    (
        "Group chat for the online test tomorrow, we share answers as we go",
        "online test tomorrow, we share answers",
        "solutions",
        "high",
    ),
    ("Pay me 20k tenge and I'll do your coursework", "I'll do your coursework", "contract_cheating", "high"),
    ("Need a ghostwriter for my thesis, urgent", "ghostwriter", "contract_cheating", "high"),
    ("Leaked phase test 2 paper for CS, link in bio", "Leaked phase test 2 paper", "exam_content", "high"),
    ("I'll take the exam for you, same face lol", "take the exam for you", "contract_cheating", "high"),
    (
        "Anyone who sat the exam this morning, what were the questions?",
        "this morning, what were the questions",
        "exam_content",
        "high",
    ),
    ("Ребят, кто сдавал вчера, скиньте вопросы", "вчера, скиньте вопросы", "exam_content", "high"),
    ("Продам шпоры на сессию", "Продам шпоры на сессию", "contract_cheating", "high"),
    (
        "Кто может решить мне контрольную? Оплачу",
        "Кто может решить мне контрольную",
        "contract_cheating",
        "high",
    ),
    ("Сделаю СРС за вас недорого", "СРС за вас недорого", "contract_cheating", "high"),
    ("Ертеңгі тесттің жауаптарын кім жібереді?", "тесттің жауаптарын кім жібереді", "solutions", "high"),
    ("СӨЖ жазып беремін, бағасы 5000 теңге", "жазып беремін, бағасы", "contract_cheating", "high"),
    (
        "Who's done the Python assignment? Send it over so I can check mine 😅",
        "Who's done the Python assignment? Send it",
        "solutions",
        "high",
    ),
    (
        "Does anyone have last year's coursework for Marketing 101? Need inspiration 👀",
        "Does anyone have last year's coursework",
        "solutions",
        "high",
    ),
    ("Quiz answers for week 7 in my story 😉", "Quiz answers for week 7 in my story", "solutions", "high"),
    ("Paying 10k for someone to do my SRS", "someone to do my SRS", "contract_cheating", "high"),
    ("Need help with my essay, will pay 💸", "help with my essay, will pay", "contract_cheating", "high"),
    (
        "Exam in 2 hours, someone send answers during it pls 🙏",
        "Exam in 2 hours, someone send answers during",
        "solutions",
        "high",
    ),
    (
        "I'll be in the exam hall toilets with my phone, text me the answers",
        "in the exam hall toilets with my phone, text me the answers",
        "incitement",
        "medium",
    ),
    (
        "Can someone log into my Blackboard and do my quiz? I'll pay",
        "someone log into my Blackboard and do my quiz",
        "contract_cheating",
        "high",
    ),
    (
        "Selling notes + past exam answers for Macro, 5000 tg",
        "Selling notes + past exam answers",
        "contract_cheating",
        "high",
    ),
    (
        "Anyone have a Chegg account? Need to check some homework answers",
        "Anyone have a Chegg account",
        "solutions",
        "high",
    ),
    (
        "Proctoring software can be tricked, here's how to bypass the lockdown browser",
        "bypass the lockdown browser",
        "incitement",
        "medium",
    ),
    (
        "Use ChatGPT and then a paraphraser so Turnitin won't catch it",
        "so Turnitin won't",
        "incitement",
        "medium",
    ),
    ("Дайте списать домашку по матану 🙏", "Дайте списать домашку", "solutions", "high"),
    ("Кто решил лабу по физике? Скиньте фотку", "Кто решил лабу по физике? Скиньте", "solutions", "high"),
    ("ГДЗ по высшей математике, кому надо", "ГДЗ по высшей математике, кому надо", "solutions", "high"),
    ("Помогу сдать экзамен за деньги", "Помогу сдать экзамен за деньги", "contract_cheating", "high"),
    ("Есть ответы на тест в Moodle, пишите", "Есть ответы на тест", "solutions", "high"),
    ("Тест жауаптары керек, кімде бар?", "Тест жауаптары керек", "solutions", "high"),
    (
        "Курстық жұмысымды біреу жазып берсе, ақша төлеймін",
        "Курстық жұмысымды біреу жазып берсе",
        "contract_cheating",
        "high",
    ),
    ("Емтиханда көшіріп алудың жолдары", "Емтиханда көшіріп алудың", "incitement", "medium"),
    (
        "Жауаптарды топқа жіберемін, емтихан кезінде",
        "Жауаптарды топқа жіберемін, емтихан кезінде",
        "solutions",
        "high",
    ),
    ("How do I get someone to sit my exam for me lol", "someone to sit my exam", "contract_cheating", "high"),
    ("Anyone have the leaked econ midterm?", "leaked econ midterm", "exam_content", "high"),
    (
        "Doing people's Python homework for 5k tenge each, DM",
        "Doing people's Python homework for 5k tenge",
        "contract_cheating",
        "high",
    ),
    (
        "Best AI tool to write essays that Turnitin can't detect?",
        "Turnitin can't detect",
        "incitement",
        "medium",
    ),
    (
        "Who's in the 9am exam group? Tell the 2pm group what came up 😉",
        "exam group? Tell the 2pm group what came up",
        "exam_content",
        "high",
    ),
    (
        "Who wants to split the online quiz, I'll do half, you do half",
        "split the online quiz",
        "incitement",
        "medium",
    ),
    (
        "Сдам за тебя любой тест в Moodle, недорого",
        "Сдам за тебя любой тест в Moodle, недорого",
        "contract_cheating",
        "high",
    ),
    ("Кто продаст ответы на рубежку?", "Кто продаст ответы на рубежку", "contract_cheating", "high"),
    ("Есть слитые билеты на экзамен по праву", "Есть слитые билеты на экзамен", "exam_content", "high"),
    (
        "Давайте во время экзамена скидывать ответы в беседу",
        "во время экзамена скидывать ответы",
        "incitement",
        "medium",
    ),
    (
        "Емтихан кезінде жауаптарды чатқа жіберіп отырамыз",
        "Емтихан кезінде жауаптарды чатқа жіберіп",
        "solutions",
        "high",
    ),
    (
        "Can someone send me their finished lab report so I can see how it's done?",
        "Can someone send me their finished lab report",
        "solutions",
        "high",
    ),
    (
        "Anyone want to split the answers for the online quiz? I'll do Q1-10",
        "Anyone want to split the answers for the online quiz",
        "solutions",
        "high",
    ),
    (
        "Happy to share my graded essay from last year if anyone wants to use it 😉",
        "share my graded essay",
        "solutions",
        "high",
    ),
    (
        "Paying someone to do my stats coursework, DM me",
        "someone to do my stats coursework",
        "contract_cheating",
        "high",
    ),
    (
        "Exam tomorrow, anyone know what questions are coming up?",
        "Exam tomorrow, anyone know what questions are coming up",
        "exam_content",
        "high",
    ),
    (
        "I have the phase test paper from the morning group",
        "I have the phase test paper",
        "exam_content",
        "high",
    ),
    (
        "Saw the exam paper on the lecturer's desk and took a photo",
        "exam paper on the lecturer's desk and took a photo",
        "exam_content",
        "high",
    ),
]

NEGATIVES = [
    "The answers to last week's pub quiz were brutal",
    "the answers are in chapter 4 of the textbook",
    "Cheat day at the gym canteen: double dessert",
    "I wrote my essay in one night lol",
    "Had my disciplinary interview today, can't believe they think I cheated",
    "Any tips for first-year accounting? The workload feels huge",
    "Selling my old textbooks for first-year economics, cheap",
    "The lecturer posted the solutions to the tutorial sheet on Blackboard",
    "Reminder: buying essays is an academic offence, don't pay scammers",
    "I need help understanding the exam questions from last year's past paper",
    "Here are the answers to your questions about the exam timetable",
    "Made a cheat sheet of formulas for revision, so satisfying",
    "Finally finished my coursework, time to sleep for a week",
    "Does anyone know the answers to the crossword in the student paper?",
    "The exam questions were so hard, I'm not okay",
    "Can you proofread my essay before I submit it? Happy to return the favour",
    "Great solutions to climate change were pitched at the hackathon",
    "Как подготовиться к экзамену по статистике? Поделитесь советами",
    "Ответы на пробный тест преподаватель выложил на блэкборде",
    "Купила новый рюкзак к сессии",
    "Емтиханға қалай дайындалу керек? Кеңес беріңдер",
    # more phrasings, written for these tests
    "Good luck to all of you on the exam, rooting for you",
    "I will be praying for you during the exam week",
    "Past papers with answers are on the library website, super useful",
    "The exam was fine, the questions were fair",
    "Who wants to form a study group for the stats exam?",
    "I copy my notes into Notion before every exam",
    "Can anyone help me with my essay structure? Struggling with the intro",
    "Who did the stats homework? Was it hard?",
    "Есть вопросы по экзамену? Пишите куратору",
    "Ответы на частые вопросы об экзаменах есть на сайте",
    "The leak in the exam hall ceiling is back, bring umbrellas lol",
    "Split the bill for the exam-night pizza, 2k each",
]


@pytest.mark.parametrize(("text", "phrase", "type_", "severity"), POSITIVES)
def test_flags_misconduct(blank_nlp, text, phrase, type_, severity):
    assert_flags(DETECTOR, blank_nlp, text, phrase, type_, severity)


@pytest.mark.parametrize("text", NEGATIVES)
def test_leaves_look_alikes_alone(blank_nlp, text):
    assert_clean(DETECTOR, blank_nlp, text)


@pytest.mark.parametrize(
    "phrase", ["anyone got the answers for the phase test", "Продаю готовые курсовые недорого"]
)
def test_flags_the_phrase_not_the_post(blank_nlp, phrase):
    assert_span_is_phrase(DETECTOR, blank_nlp, phrase)


def test_finding_cites_annex_a(blank_nlp):
    (finding,) = DETECTOR.detect(blank_nlp("will write your essay for $50"))
    assert finding.clauses == ("4.5.9", "A.assignments")
    assert finding.pattern == "writing_service_offer"


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_hostile_text_is_linear(blank_nlp, text):
    assert_fast(DETECTOR, blank_nlp, text)
