"""A fixed, seeded corpus of realistic student posts for the benchmarks (never the labelled sets).

Posts mix English, Russian and Kazakh the way DMUK students write: mostly harmless news and
complaints about deadlines, with the occasional lecturer's name, phone number, e-mail address,
leaked exam, covert recording or insult that the checker exists to catch. The same seed gives the
same posts on every machine, so two runs of ``make bench`` measure the same work.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from functools import lru_cache

SEED = 20_250_601

FIRST = ["Aigerim", "Daniyar", "Arman", "Madina", "Sarah", "James", "Dinara", "Yerlan", "Olivia", "Timur",
         "Zhanna", "Michael", "Assel", "Nursultan", "Emily", "Ruslan", "Kamila", "David", "Aruzhan", "Alikhan"]
SURNAME = ["Bekova", "Omarov", "Smith", "Turner", "Seitkali", "Zhumabaev", "Brown", "Nurlanova", "Karimov",
           "Wilson", "Abenova", "Iskakov", "Taylor", "Sultanova", "Mukanov"]
FIRST_RU = ["Анна", "Дмитрий", "Айгерим", "Нурлан", "Елена", "Сергей", "Динара", "Ерлан", "Мария", "Тимур"]
SURNAME_RU = ["Иванова", "Омарова", "Петров", "Сейткали", "Ахметов", "Смирнова", "Жумабаев", "Каримова"]
TITLE = ["Dr", "Prof.", "Mr", "Ms", "Professor"]
TITLE_RU = ["профессор", "доктор", "преподаватель", "куратор"]
PLACE = ["Almaty", "Astana", "Abay Avenue", "Dostyk Plaza", "Kok-Tobe", "Medeu", "Shymkent", "Al-Farabi"]
COURSE = ["econometrics", "marketing", "Business Law", "CS2001", "financial accounting", "academic English",
          "data structures", "microeconomics", "the research methods module"]
EMOJI = ["😂", "🙄", "🎉", "💪", "🔥", "❤️", "😭", "🙏", "✨", "😴", "📚", "☕"]
HASHTAG = ["#studentlife", "#Almaty", "#exams", "#DMUK", "#deadline", "#uni", "#coffee", "#weekend"]
DOMAIN = ["gmail.com", "mail.ru", "yandex.kz", "outlook.com", "inbox.kz"]
SYLLABLES = ["ka", "zha", "ri", "mon", "te", "sul", "an", "dar", "be", "ko", "lin", "mar", "nu", "sa",
             "tay", "yer", "gul", "bol", "ta", "vin", "ra", "sen", "zhu", "mi"]

EN = [
    "Finally finished my dissertation draft, time to sleep for three days {emoji}",
    "Who else is still in the library at midnight revising {course}?",
    "The canteen plov is actually good this week, no complaints.",
    "Group project update: we meet at {place} on Thursday at 6, bring laptops.",
    "{title} {first} {last} moved the {course} deadline again and nobody told us.",
    "Honestly {title} {last} is the worst lecturer I have had, the seminars are a waste of time.",
    "Text me on {phone} if you want to join the study group for {course}.",
    "My email is {email}, send me the slides from today please.",
    "Someone leaked the {course} exam paper in the group chat, answers are going round already.",
    "I recorded the whole lecture on my phone without asking, will share it tonight.",
    "Uploaded the Moodle quiz answers for {course} to our drive, don't tell anyone.",
    "Need someone to write my {course} essay for money, paying well, DM me.",
    "{first} is such an idiot, can't believe he said that in class.",
    "Proud to be at DMUK, first in my family to go to uni {emoji}",
    "Official announcement from De Montfort University Kazakhstan: all classes are cancelled tomorrow.",
    "I filed a formal complaint against my supervisor, the appeal hearing is next week.",
    "Congrats to {first} {last} for winning the hackathon {emoji}",
    "Meet me at the coffee place near {place} after the 2pm lecture.",
    "Traffic on Al-Farabi is killing me, 50 minutes to campus again.",
    "Tagging {handle} because you still owe me the notes from Monday.",
    "The internship fair was great, got three interviews lined up {emoji}",
    "Anyone selling a used {course} textbook? Mine fell apart.",
    "Rainy day in {place}, perfect weather for coursework and tea.",
    "My flatmate {first} keeps eating my food, any advice?",
    "Check out our society page {url} for the spring events.",
]
RU = [
    "Сегодня наконец сдала курсовую, можно выдохнуть {emoji}",
    "Кто идёт завтра на пару по {course}? Я опоздаю минут на десять.",
    "{title_ru} {first_ru} {last_ru} опять перенёс дедлайн, это уже третий раз.",
    "Пишите мне на {phone}, скину конспекты за неделю.",
    "Моя почта {email}, отправьте презентацию пожалуйста.",
    "Кто-то слил билеты к экзамену в общий чат, ответы уже у всех.",
    "Записала всю лекцию на телефон, преподаватель даже не заметил.",
    "Ищу того, кто напишет эссе за деньги, срочно, оплата сразу.",
    "{first_ru} просто дура, не могу поверить что она это сказала.",
    "В {place} сегодня такая погода, хочется гулять, а не учиться.",
    "Подала официальную жалобу на куратора, рассмотрение на следующей неделе.",
    "Поздравляем {first_ru} {last_ru} с победой на олимпиаде {emoji}",
    "Столовая сегодня порадовала, плов реально вкусный.",
    "Кто продаёт учебник по {course}? Мой совсем развалился.",
]
KK = [
    "Бүгін емтиханды тапсырдым, енді демалуға болады {emoji}",
    "Ертең {course} сабағына кім барады? Мен кешігемін.",
    "{first_ru} апай дедлайнды тағы ауыстырды, ешкімге айтпады.",
    "Маған {phone} нөміріне жазыңыз, конспектілерді жіберемін.",
    "Емтихан сұрақтары топтық чатқа тарап кетті, жауаптары бар.",
    "Дәрісті телефонға жазып алдым, ешкім байқамады.",
    "{place} қаласында бүгін ауа райы керемет {emoji}",
    "Университетте бірінші жылым өте қызықты өтіп жатыр.",
    "Кітапханада түнгі екіге дейін отырдым, {course} қиын екен.",
    "{first_ru} {last_ru} олимпиадада жеңіп шықты, құттықтаймыз {emoji}",
]
MIXED = [
    "Deadline ертең, ал мен әлі бастаған жоқпын {emoji}",
    "Кто-нибудь understand what {title} {last} wanted from the {course} assignment?",
    "Сегодня был такой long day, finally home {emoji}",
    "Group chat-та кто-то слил the exam answers again.",
    "Call me on {phone}, обсудим the presentation.",
]

#: Share of posts per language profile; "mixed" switches language sentence by sentence.
PROFILES = (("en", 0.55), ("ru", 0.2), ("kk", 0.1), ("mixed", 0.15))
POOLS = {"en": (EN,), "ru": (RU,), "kk": (KK,), "mixed": (MIXED, EN, RU, KK)}


def _phone(rng: random.Random) -> str:
    return f"+7 7{rng.randint(0, 7)}{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def coined_name(n: int) -> str:
    """Return a made-up capitalised name unique to ``n`` (new words for every distinct post)."""
    parts = []
    n += len(SYLLABLES)  # at least two syllables
    while n:
        n, digit = divmod(n, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
    return "".join(parts).capitalize()


def _fill(template: str, rng: random.Random) -> str:
    first, last = rng.choice(FIRST), rng.choice(SURNAME)
    return template.format(
        emoji=rng.choice(EMOJI),
        course=rng.choice(COURSE),
        place=rng.choice(PLACE),
        title=rng.choice(TITLE),
        first=first,
        last=last,
        title_ru=rng.choice(TITLE_RU),
        first_ru=rng.choice(FIRST_RU),
        last_ru=rng.choice(SURNAME_RU),
        phone=_phone(rng),
        email=f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@{rng.choice(DOMAIN)}",
        handle=f"@{first.lower()}_{rng.randint(1, 999)}",
        url=f"https://instagram.com/dmuk_{rng.choice(['debate', 'chess', 'film', 'run'])}_club",
    )


def _sentences(rng: random.Random, profile: str) -> Iterator[str]:
    pools = POOLS[profile]
    while True:
        sentence = _fill(rng.choice(rng.choice(pools)), rng)
        yield sentence[0].upper() + sentence[1:]


def _cut(text: str, length: int) -> str:
    """Cut ``text`` to at most ``length`` characters, at a word boundary when one is near."""
    if len(text) <= length:
        return text
    cut = text[:length]
    space = cut.rfind(" ")
    return (cut[:space] if space >= length - 12 else cut).rstrip()


def compose(rng: random.Random, length: int, *, profile: str | None = None, paragraphs: bool = True) -> str:
    """Return one post of about ``length`` characters (never more), built from whole sentences."""
    if profile is None:
        profile = rng.choices([p for p, _ in PROFILES], weights=[w for _, w in PROFILES])[0]
    sentences = _sentences(rng, profile)
    text = ""
    since_break = 0
    while len(text) < length:
        sentence = next(sentences)
        if not text:
            text = sentence
        elif paragraphs and since_break >= 2 and len(text) > 250 and rng.random() < 0.4:
            text += "\n\n" + sentence
            since_break = 0
        else:
            text += " " + sentence
        since_break += 1
    if rng.random() < 0.3 and length > 60:
        text = _cut(text, length - 12) + " " + rng.choice(HASHTAG)
    return _cut(text, length)


def corpus(size: int, seed: int = SEED, shortest: int = 20, longest: int = 2000) -> list[str]:
    """Return ``size`` distinct posts whose lengths are spread log-uniformly over the range."""
    rng = random.Random(seed)
    posts: list[str] = []
    seen: set[str] = set()
    while len(posts) < size:
        length = round(math.exp(rng.uniform(math.log(shortest), math.log(longest))))
        post = compose(rng, length)
        if len(post) >= shortest and post not in seen:
            seen.add(post)
            posts.append(post)
    return posts


def distinct_post(n: int, length: int, seed: int = SEED) -> str:
    """Return post number ``n`` of an endless series of distinct posts of ``length`` characters.

    Each carries a name made up for it, so no two share a paragraph or all their vocabulary:
    the worst case for every cache, and for memory that grows with new words.
    """
    rng = random.Random(seed * 1_000_003 + n)
    name = coined_name(n)
    opener = rng.choice([f"Shoutout to {name} for the notes!", f"{name} says hi from the library.",
                         f"Спасибо, {name}, за конспекты!", f"{name} бүгін келмеді."])
    text = (opener + " " + compose(rng, length + 40, paragraphs=False))[:length]
    return text[:-1] + "." if text.endswith(" ") else text


#: Long posts are the beginnings of one document of at least this length.
LONG_DOCUMENT_CHARS = 65_536


@lru_cache(maxsize=4)
def _long_document(seed: int, paragraphs: bool, length: int) -> str:
    return compose(random.Random(seed), length, paragraphs=paragraphs)


def long_post(length: int, seed: int = SEED, paragraphs: bool = True) -> str:
    """Return the first ``length`` characters of one long document, cut at a word and padded
    with spaces to exactly ``length``.

    Posts of every length come from the same document, so timing them compares like with like:
    separately composed posts differ in their mix of languages and names, and the time a
    character costs differs with it by half (measured: every 8,192-character slice of one
    65,536-character post cost 12 us a character, another 8,000-character post 7).
    """
    document = _long_document(seed, paragraphs, max(length, LONG_DOCUMENT_CHARS))
    return _cut(document, length).ljust(length)


def edit_session(length: int = 1500, edits: int = 30, seed: int = SEED) -> list[str]:
    """Return a draft of ``length`` characters and ``edits`` successive versions of it.

    Like a student revising before posting: most edits touch the paragraph last worked on, some
    go back to an earlier one; each edit adds, removes or replaces a few words in one paragraph.
    """
    rng = random.Random(seed + 1)
    text = compose(rng, length, profile="en")
    while text.count("\n\n") < 3:  # a long draft has paragraphs
        text = compose(rng, length, profile="en")
    versions = [text]
    paragraph = text.count("\n\n")
    words: list[Callable[[], str]] = [lambda: rng.choice(["really", "honestly", "today", "again", "so"]),
                                      lambda: rng.choice(EMOJI), lambda: rng.choice(FIRST)]
    for _ in range(edits):
        parts = text.split("\n\n")
        if rng.random() < 0.25:
            paragraph = rng.randrange(len(parts))
        tokens = parts[paragraph].split(" ")
        at = rng.randrange(len(tokens))
        action = rng.random()
        if action < 0.5:
            tokens.insert(at, rng.choice(words)())
        elif action < 0.75 and len(tokens) > 3:
            del tokens[at]
        else:
            tokens[at] = rng.choice(words)()
        parts[paragraph] = " ".join(tokens)
        text = "\n\n".join(parts)
        versions.append(text)
    return versions
