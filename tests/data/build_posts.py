"""Build posts.jsonl: an independent labelled test set of student-style social media posts.

Written by hand from the Student Social Media Policy alone, without looking at the detectors or
their pattern files, so that it measures them rather than mirrors them. Same row format as the
shared dev set (../shared/eval/build_dev_set.py), plus a "lang" field:

    {"id": "t001", "lang": "en|ru|kk|mixed", "text": ..., "expect": [...], "optional"?: [...]}

- expect lists every category the checker must flag; an empty list means nothing should be flagged.
- where an expect item has "text", a finding of that category must overlap that exact substring.
- "type" names the kind of personal data (email, phone, address, date_of_birth, payment_card,
  iban, national_id, passport, student_id, credential).
- optional lists categories a reasonable checker may or may not flag (neither hit nor false alarm).

Identity numbers are synthetic but valid (IIN check digit, Luhn, IBAN mod 97), and the look-alike
numbers in harmless posts are checked to be invalid, so a checksum-aware detector is not punished
for ignoring them. Run `python3 tests/data/build_posts.py` to regenerate the .jsonl and print counts.
"""

import collections
import json
import pathlib


def iin(prefix: str) -> str:
    """Complete an 11-digit Kazakhstan IIN prefix with its check digit."""
    d = [int(c) for c in prefix]
    s = sum(w * x for w, x in zip(range(1, 12), d)) % 11
    if s == 10:
        s = sum(w * x for w, x in zip([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], d)) % 11
    assert s != 10, prefix
    return prefix + str(s)


def luhn(prefix: str) -> str:
    """Complete a card number prefix with its Luhn check digit."""
    total = 0
    for i, x in enumerate(int(c) for c in reversed(prefix)):
        if i % 2 == 0:
            x = x * 2 - 9 if x * 2 > 9 else x * 2
        total += x
    return prefix + str((10 - total % 10) % 10)


def kz_iban(bban: str) -> str:
    """Prefix a 16-character Kazakh BBAN with KZ and its two IBAN check digits."""
    num = "".join(str(int(c, 36)) for c in bban + "KZ00")
    return f"KZ{98 - int(num) % 97:02d}{bban}"


def is_iin(number: str) -> bool:
    """Tell whether a 12-digit string carries a valid IIN check digit."""
    return len(number) == 12 and number.isdigit() and iin(number[:11]) == number


def is_luhn(number: str) -> bool:
    """Tell whether a digit string passes the Luhn check."""
    return number.isdigit() and luhn(number[:-1]) == number


def grouped(number: str, size: int = 4) -> str:
    """Write a long number in space-separated groups, as people type card numbers."""
    return " ".join(number[i:i + size] for i in range(0, len(number), size))


P, T, B, C, H, CF, L, A, I, R = (
    "personal_data", "third_party", "university_branding", "complaint_or_proceedings",
    "harassment", "confidential", "learning_platform_content", "academic_misconduct",
    "impersonation", "covert_recording")
CATEGORIES = {P, T, B, C, H, CF, L, A, I, R}
TYPES = {"email", "phone", "address", "date_of_birth", "payment_card", "iban", "national_id",
         "passport", "student_id", "credential"}

# synthetic identity numbers, valid by their checksums
IIN_EN = iin("03110250123")
IIN_RU = iin("04050960456")
IIN_KK = iin("02122450789")
CARD_EN = grouped(luhn("440043011234567"))
CARD_RU = luhn("540305551234987")
CARD_KK = grouped(luhn("440043019876512"))
CARD_MX = grouped(luhn("416973009876543"))
IBAN_EN = kz_iban("601A861000123456")
IBAN_RU = grouped(kz_iban("722S000023456789"))
IBAN_MX = kz_iban("826A1KZT20230401")

# look-alike numbers in harmless posts: must fail the checks above
NOT_IIN = ["482019377105", "710522381907"]
NOT_CARD = ["4417229055317706"]

# (lang, text, expect items (category, substring or None, type?), optional categories)
POSTS: list[tuple[str, str, list[tuple], list[str]]] = []


def post(lang: str, text: str, *expect: tuple, opt: tuple[str, ...] = ()) -> None:
    """Append one labelled post."""
    POSTS.append((lang, text, list(expect), list(opt)))


# ---------------------------------------------------------------- English: harmless, look-alikes
en = "en"
post(en, "Finally finished my dissertation draft, time to sleep for 3 days 😴")
post(en, "Killing it at the gym this semester 💪 new PB on deadlift")
post(en, "The answers are in chapter 4 of the textbook, read it before Thursday's seminar")
post(en, "I recorded my own podcast about student life in Almaty, episode 1 is out! 🎙️")
post(en, "Proud to be at DMUK, first in my family to go to uni and my mum cried at the welcome ceremony")
post(en, "Our Teams channel for the debate society is live, join us before Friday's practice")
post(en, "Fake it till you make it, day 1 of pretending I understand econometrics")
post(en, "This exam was f***ing hard, I need a nap and a shawarma")
post(en, "Meet at the coffee place on Abay Avenue near the metro at 6?")
post(en, "Deadline for the marketing report is 15/05/2025, don't leave it to the last night like me")
post(en, f"Parcel tracking number {NOT_IIN[0]} still says 'in transit', 9 days now 🙄")
post(en, "Got the new headphones for 45 990 ₸ on sale, worth every tenge")
post(en, "The traffic on Al-Farabi is killing me, 50 minutes to campus")
post(en, "Blackboard is down again, anyone else can't log in?")
post(en, "Cheat sheet of Excel shortcuts that saved my life this week: Ctrl+Shift+L for filters")
post(en, "Elon Musk tweeting at 3am again, same energy as me before deadlines", opt=(T,))
post(en, "Tennis court booked for Saturday 10am, who's in?")
post(en, "No complaints about the new canteen menu, the plov is actually good")
post(en, "Our lab's investigation into water quality in Lake Alakol got accepted for the student conference!")
post(en, "Free trial of Spotify ends tomorrow, the real test of my willpower")
post(en, "Took the best photo of the sunset over the mountains from Kok-Tobe 🌄")
post(en, "Recorded a cover of Dudarai on my guitar, be gentle")
post(en, "Who wants to join a study group for the stats phase test? Bring your own notes and questions")
post(en, "Past papers are on the library website if anyone is looking, they helped me a lot")
post(en, "Happy to share that our paper on solar panel efficiency was published today in an "
         "open-access journal! #research")
post(en, "Internal combustion engines module is brutal, so many formulas")
post(en, "Secret to surviving finals: sleep, water, and a playlist with zero lyrics")
post(en, "Call 112 if you ever see an accident, learned that in first aid training today")
post(en, "My phone case finally broke after 3 years, RIP")
post(en, "My student card photo looks like a police mugshot lol")
post(en, "Group chat is chaos, 400 unread messages about where to eat")
post(en, "Dressed up as Harry Potter for the society Halloween party 🧙", opt=(T,))
post(en, "Shoutout to the DMUK library staff, always so helpful during exam season")
post(en, "Room 3.14 is always freezing, bring a jumper to the 9am")
post(en, "Appealing to everyone: please return the library books before the holiday")
post(en, "Excited to start my summer internship in data analytics! Grateful for the journey so far. "
         "#internship #DMUK")
post(en, "I'm such an idiot, left my laptop charger at home again")
post(en, "Leaky pipe in the dorm kitchen flooded the floor, maintenance is on it")
post(en, "Anyone know a good tutor to explain recursion? Happy to pay for lessons, I want to actually "
         "understand it")
post(en, "My cat is a little monster, knocked my coffee onto my notes")
post(en, "Born in Shymkent, raised in Almaty, studying in Astana for a semester 🇰🇿")
post(en, "Team building day with the volleyball team, we lost but the pizza was great")
post(en, "The wifi in the library is finally fast, downloaded a 2GB dataset in a minute")
post(en, f"Order number {grouped(NOT_CARD[0])} from the uni merch store, shipped today")
post(en, "Order #58213 from the campus bookshop is ready for pickup, says the email")
post(en, "Lecture capture is a lifesaver when you're sick, so glad it exists")
post(en, "My essay is my enemy, 2000 words due and I've written the title")
post(en, "Watching the moot court final tomorrow, the law students are so good at arguing")
post(en, "Graduation is on 28 June 2025, mum already bought a dress")
post(en, "Reading Abai's Words of Edification for our literature seminar, so deep", opt=(T,))
post(en, "Two years ago I came to the DMUK open day as a visitor and now I'm studying here, full circle")
post(en, "Who else is doing the 5k charity run on 12 April?")
post(en, "Got a parking fine, 15 000 tenge, lesson learned")
post(en, "Dua Lipa's new album on repeat while I study", opt=(T,))
post(en, "Hot take: Monday 9am lectures should be illegal")
post(en, "Selling my old calculus textbook, 6 000 tenge, barely used")
post(en, "Mock exam tomorrow, wish me luck, I know nothing")
post(en, "The rent here is 250 000 tenge a month, Almaty prices are insane")
post(en, "Our society's new Instagram is up, follow for events and free food updates")
post(en, "Remember: use a passphrase of three random words and never reuse passwords. Learned the hard way")
post(en, "Forgot my password for the third time this week, the reset emails know me by name")
post(en, "My birthday's on Friday, drinks at 8!")
post(en, "Moved into a flat near Dostyk Plaza, finally my own room")
post(en, "Parking level P2 is always full by 8:30")
post(en, f"Booking reference {NOT_IIN[1]} for the Kolsai lakes tour, can't wait")
post(en, "Filmed our dance society rehearsal, everyone agreed to be in it 💃")
post(en, "Old account got hacked, this is my new one, please re-follow")
post(en, "Just my personal opinion, not the university's: the new timetable is a mess")
post(en, "Tuition for next year is listed as 3 500 000 tenge on the official website")
post(en, "For room bookings write to studentlife@dmuk.edu.kz, they reply fast", opt=(P,))
post(en, "Keep it secret: we're planning a surprise party for our groupmate on Friday 🤫")

# ---------------------------------------------------------------- English: with findings
post(en, "Happy birthday Aigerim! 🎉 best lab partner ever", (T, "Aigerim"))
post(en, "Shoutout to Timur Abenov for carrying our group project 🙌", (T, "Timur Abenov"))
post(en, "@nurlan_b you still owe me 2000 tenge for the taxi", (T, "@nurlan_b"))
post(en, "Dr Sarah Whitfield gave the best guest lecture on behavioural finance today",
     (T, "Sarah Whitfield"))
post(en, "Madina and Dias are officially a couple, saw them holding hands in the atrium 👀",
     (T, "Madina"), (T, "Dias"), opt=(CF, H))
post(en, "Congrats to Yerzhan on the internship at KPMG!", (T, "Yerzhan"))
# personal data: the poster's own
post(en, "DM me or text +7 701 555 12 34, selling my bike", (P, "+7 701 555 12 34", "phone"))
post(en, "my email is aidana.sultan@gmail.com if anyone wants the seminar slides I made",
     (P, "aidana.sultan@gmail.com", "email"))
post(en, "Lost my student card, number P2318457, if found please bring it to reception",
     (P, "P2318457", "student_id"))
post(en, "Moving out! Furniture free to collect from 48 Dostyk Avenue, flat 12 this weekend",
     (P, "48 Dostyk Avenue, flat 12", "address"))
post(en, "UK friends, my number while I'm in London is +44 7700 900461",
     (P, "+44 7700 900461", "phone"))
post(en, f"Pay for the trip tickets to my Kaspi card {CARD_EN}, 15k each",
     (P, CARD_EN, "payment_card"))
post(en, "Born 14.03.2004 and I still can't cook rice", (P, "14.03.2004", "date_of_birth"))
post(en, "Passport number for the visa form: N12345678, why does it ask twice",
     (P, "N12345678", "passport"))
post(en, "wifi at our flat: network Dostyk12, password kotik2024, come and study here!",
     (P, "kotik2024", "credential"))
post(en, "Blackboard login is aidana.s and password Spring2025! if someone can check my grades for me",
     (P, "Spring2025!", "credential"), opt=(I,))
post(en, "Flat 3, 21 Harrington Road, London SW7 3ES: housewarming on Friday, bring snacks",
     (P, "21 Harrington Road", "address"))
post(en, f"Splitting the Airbnb, send your share to {IBAN_EN} (Halyk)", (P, IBAN_EN, "iban"))
post(en, f"My IIN is {IIN_EN}, the bank app keeps rejecting it, wrong format?",
     (P, IIN_EN, "national_id"))
post(en, "Registration done! Student number P2197733, can't believe I'm officially a DMUK student",
     (P, "P2197733", "student_id"))
post(en, "Scanned my passport for the exchange application, number 533210987, hope it's fine to "
         "share in the group", (P, "533210987", "passport"))
post(en, "Call me on 8 (727) 344 18 90 after 7pm about the room, landline only",
     (P, "8 (727) 344 18 90", "phone"))
# personal data: somebody else's
post(en, "Nurlan's number is 8 777 123 45 67, call him about the lost keys",
     (T, "Nurlan"), (P, "8 777 123 45 67", "phone"))
post(en, "Aigerim lives at 150 Abay Avenue, apt 12, she said we can all come over",
     (T, "Aigerim"), (P, "150 Abay Avenue, apt 12", "address"))
post(en, "Professor Holloway's personal mobile is +44 7700 900872, he said not to share it but whatever",
     (T, "Holloway"), (P, "+44 7700 900872", "phone"), opt=(CF,))
post(en, "Dana's DOB is 22/11/2003, the venue needed it for the surprise party booking",
     (T, "Dana"), (P, "22/11/2003", "date_of_birth"))
post(en, "If anyone needs Askar for the project, his email is askar.n@dmuk.edu.kz",
     (T, "Askar"), (P, "askar.n@dmuk.edu.kz", "email"))
# university branding
post(en, "On behalf of DMUK, I'd like to apologise for yesterday's exam chaos", (B, None))
post(en, "Official statement from De Montfort University Kazakhstan: classes are cancelled tomorrow "
         "due to the snow", (B, None))
post(en, "Used the DMUK crest on our society hoodies, they look so official 😍", (B, None))
post(en, "Speaking for the university here: DMUK does not support the new tuition law", (B, None))
post(en, "Our chess club flyer has the DMUK logo in the corner so it looks more legit", (B, None))
post(en, "Made our society's Instagram profile picture the DMUK crest so people know we're the real deal",
     (B, None))
post(en, "DMUK stands with the striking bus drivers. I'm speaking for the whole university on this one.",
     (B, None))
post(en, "Designed the tickets for our charity gala with the official DMUK logo, thoughts?", (B, None))
post(en, "DMUK confirms: exams move online next week. Share with your groupmates! (the uni hasn't "
         "announced it yet but trust me)", (B, None), opt=(CF,))
# complaints and proceedings
post(en, "Submitted a formal complaint about Dr Whitfield's marking, let's see what the panel says",
     (C, None), (T, "Whitfield"))
post(en, "My academic appeal got rejected, taking it to the next stage", (C, None))
post(en, "Police are investigating the break-in at our dorm, I gave a statement today", (C, None))
post(en, "The university opened a misconduct investigation against me for 'collusion', this is a joke",
     (C, None), opt=(A,))
post(en, "Taking my landlord to small claims court over the deposit, hearing is in March", (C, None))
post(en, "Disciplinary hearing for the whole football team on Monday after the party incident",
     (C, None))
post(en, "Reporting @timur.k to the police for what he did at the party", (C, None),
     (T, "@timur.k"), opt=(H,))
# harassment
post(en, "Kill yourself Arman, nobody would miss you", (H, None), (T, "Arman"))
post(en, "Everyone unfollow Dana, she's a two-faced snake, don't let her back in the group chat",
     (H, None), (T, "Dana"))
post(en, "Girls shouldn't be allowed to study engineering, go back to the kitchen", (H, None))
post(en, "Dias is so ugly and stupid, I can't believe he got into this uni", (H, None), (T, "Dias"))
post(en, "If I find the guy who dented my car I'll break his legs", (H, None))
post(en, "People from the villages are too dumb for university, sorry not sorry", (H, None))
post(en, "Let's all spam @aigerim.zh's comments until she deletes her account lol", (H, None),
     (T, "@aigerim.zh"))
post(en, "Our statistics lecturer is a useless fat clown", (H, None))
# confidential
post(en, "Got my hands on the internal draft of next year's fee increase, it's 30% 😱 screenshots below",
     (CF, None))
post(en, "Leaked: the exam board's unapproved list of module cuts for next year", (CF, None))
post(en, "Sharing our lab's unpublished results before the paper comes out: the drug works!! "
         "don't tell my PI", (CF, None))
post(en, "Attaching the confidential minutes of the academic council meeting, read page 3", (CF, None))
post(en, "My friend on the student council sent me the not-yet-approved budget, look how much goes "
         "to the rector's office", (CF, None))
post(en, "Aidana told me in confidence she's failing three modules and might drop out, so sad",
     (CF, None), (T, "Aidana"), opt=(H,))
post(en, "My supervisor's unpublished dataset is on my Google Drive, link in bio if you want the raw "
         "numbers before the paper", (CF, None))
post(en, "Photo of the draft accreditation report someone left on the printer, marked INTERNAL ONLY",
     (CF, None))
post(en, "Not supposed to share this yet, but the new rector hasn't been announced and it's "
         "Dr Serik Ospanov", (CF, None), (T, "Serik Ospanov"))
# learning platform content
post(en, "Here's the full recording of today's Collaborate session for anyone who missed it 👇",
     (L, None))
post(en, "Uploaded the lecture capture of Week 5 to YouTube, unlisted, enjoy", (L, None))
post(en, "Screenshots of the Blackboard quiz questions from this morning, good luck afternoon group",
     (L, None), (A, None))
post(en, "Posting the slides from our Blackboard module page here since they're easier to find on "
         "Telegram", (L, None))
post(en, "Clip from the MS Teams lecture where the prof's cat walks across the keyboard 😂", (L, None),
     opt=(R,))
post(en, "Downloaded all the Panopto lecture recordings for Microeconomics into a Google Drive folder, "
         "link in comments", (L, None))
post(en, "Look at what the tutor wrote in our module's MS Teams chat lol, screenshots attached",
     (L, None), opt=(CF,))
post(en, "Copied all of Part B from the online assessment before I submitted, questions below",
     (L, None), (A, None))
post(en, "Reposting the Blackboard announcement from our module leader because nobody checks "
         "Blackboard", (L, None))
# academic misconduct
post(en, "Need someone to write my 3000 word marketing essay by Friday, will pay 40k tenge, DM",
     (A, None))
post(en, "Who has the answers for tomorrow's phase test? Someone from the morning group must have them",
     (A, None))
post(en, "Essay writing service, 100% plagiarism-free, any subject, discounts for DMUK students! "
         "WhatsApp +7 708 412 90 33", (A, None), opt=(P,))
post(en, "Let's share answers in this group chat during the online exam, I'll post Q1-10", (A, None),
     opt=(L,))
post(en, "Uploading my finished coursework solutions for the Java assignment, just change the "
         "variable names 😉", (A, None))
post(en, "Anyone who took Financial Accounting last year, send me your graded essay so I can "
         "'get inspired'", (A, None))
# impersonation
post(en, "Made a fake Instagram account pretending to be our lecturer, already 200 followers 😂",
     (I, None))
post(en, "Logged into Timur's Facebook while he was in the shower and posted that he loves "
         "Nickelback lol", (I, None), (T, "Timur"))
post(en, "I'm going to message her from my brother's account so she doesn't know it's me", (I, None))
post(en, "Created a parody account of the rector and people think it's real", (I, None))
post(en, "Signed the petition with Nurlan's name too, he won't mind", (I, None), (T, "Nurlan"))
post(en, "Running an account under a made-up name to review the lecturers, nobody will know it's me",
     (I, None), opt=(H,))
post(en, "Used Aigerim's phone to text her boyfriend pretending to be her 😂", (I, None),
     (T, "Aigerim"))
post(en, "New TikTok series where I pose as the DMUK admissions office and answer applicant "
         "questions with nonsense", (I, None), opt=(B,))
# covert recording
post(en, "Caught this guy snoring in the library on camera 😂 he has no idea", (R, None))
post(en, "Secretly recorded my argument with the flat manager, posting the audio so everyone hears "
         "how rude she is", (R, None), opt=(C,))
post(en, "Took a sneaky pic of the girl in front of me on the bus, her outfit 😍", (R, None))
post(en, "Recorded Dr Whitfield's office hours on my phone without asking, she basically told me "
         "the exam topics", (R, None), (T, "Whitfield"), opt=(A, CF))
post(en, "Hidden camera prank on my roommate, full video on TikTok", (R, None))
post(en, "Filmed the couple arguing in the canteen, they didn't notice lol", (R, None))
post(en, "Recorded the whole tutorial on my phone under the desk, the tutor never knew", (R, None),
     opt=(L,))
post(en, "Zoomed in on the couple kissing in the park from my balcony, got the perfect shot 📸",
     (R, None))
post(en, "Screen-recorded my video call with Dana without telling her, she said some wild things",
     (R, None), (T, "Dana"))

# ---------------------------------------------------------------- Russian: harmless, look-alikes
ru = "ru"
post(ru, "Как же я устала от сессии, хочу спать неделю")
post(ru, "Убиваюсь в зале каждый день, результат уже видно 💪")
post(ru, "Ответы есть в 4-й главе учебника, прочитайте до семинара")
post(ru, "Записал свой подкаст про студенческую жизнь, первый выпуск уже вышел 🎙")
post(ru, "Горжусь тем, что учусь в DMUK! Лучшие преподаватели")
post(ru, "Наш канал в Teams для клуба дебатов уже работает")
post(ru, "Встречаемся у фонтана на проспекте Абая в 18:00")
post(ru, "Дедлайн по курсовой 20.05.2025, не забудьте")
post(ru, "Заказ №4471-2290 пришёл через 9 дней, но пришёл")
post(ru, "Купила новые наушники за 45 990 тг, звук огонь")
post(ru, "Этот экзамен был просто пипец какой сложный, я в шоке")
post(ru, "Блин, опять Blackboard не грузится, у кого так же?")
post(ru, "Кто хочет в группу подготовки к промежуточному тесту? Приносите свои конспекты")
post(ru, "Читаю Толстого для семинара по литературе, «Война и мир» бесконечная", opt=(T,))
post(ru, "Наша статья о качестве воды опубликована в открытом журнале!")
post(ru, "Сегодня сдала тест по вождению, ура")
post(ru, "Жалоб нет, новая столовая реально хорошая")
post(ru, "Теннисный корт забронирован на субботу, кто со мной?")
post(ru, "Мой кот — маленький монстр, опять уронил кофе на конспекты")
post(ru, "Родилась в Караганде, выросла в Алматы ❤️")
post(ru, "Аренда в Астане 200 000 тг в месяц, это нормально?")
post(ru, "Выпускной 28 июня, мама уже купила платье")
post(ru, "Секрет успешной сессии: сон, вода и никаких соцсетей")
post(ru, "Я такая дура, опять забыла зарядку дома")
post(ru, "Фейковые новости про отмену экзаменов опять гуляют, не ведитесь")
post(ru, "Записала кавер на любимую песню, оцените 🎸")
post(ru, "Лекции в 8 утра должны быть запрещены законом 😩")
post(ru, "Продаю учебник по матанализу, 5 000 тг, почти новый")

# ---------------------------------------------------------------- Russian: with findings
post(ru, "С днём рождения, Айгерім! Лучшая соседка по комнате 🎂", (T, "Айгерім"))
post(ru, "Ерлан опять не пришёл на встречу по проекту, пишите ему сами", (T, "Ерлан"))
post(ru, "Спасибо Наталье Петровой за лучшую лекцию по маркетингу!", (T, "Наталье Петровой"))
post(ru, "@timur_kz верни мою зарядку 😤", (T, "@timur_kz"))
post(ru, "Пишите в WhatsApp: +7 777 312 45 67, продаю велосипед", (P, "+7 777 312 45 67", "phone"))
post(ru, "Моя почта madina.k2004@mail.ru, скидывайте презентации",
     (P, "madina.k2004@mail.ru", "email"))
post(ru, "Потеряла студенческий, номер P2456710, если найдёте, верните на ресепшн",
     (P, "P2456710", "student_id"))
post(ru, "Новоселье! Адрес: ул. Абая 150, кв. 12, в субботу в 19:00",
     (P, "ул. Абая 150, кв. 12", "address"))
post(ru, f"Скиньте деньги за поездку на карту {CARD_RU}", (P, CARD_RU, "payment_card"))
post(ru, f"Мой ИИН {IIN_RU}, почему eGov его не принимает?", (P, IIN_RU, "national_id"))
post(ru, "Родилась 05.09.2003, а чувствую себя на 50", (P, "05.09.2003", "date_of_birth"))
post(ru, "Пароль от нашего вайфая: Samal2024! Заходите учиться", (P, "Samal2024!", "credential"))
post(ru, "Номер паспорта N09876543, зачем его спрашивают два раза в анкете",
     (P, "N09876543", "passport"))
post(ru, f"Реквизиты за общагу: IBAN {IBAN_RU}, получатель Алихан Сейтказы",
     (P, IBAN_RU, "iban"), (T, "Алихан Сейтказы"))
post(ru, "Номер Асель 8 701 234 56 78, звоните ей насчёт ключей",
     (T, "Асель"), (P, "8 701 234 56 78", "phone"))
post(ru, "Дмитрий Соколов живёт в мкр. Самал-2, д. 33, кв. 5, можем зайти к нему",
     (T, "Дмитрий Соколов"), (P, "мкр. Самал-2, д. 33, кв. 5", "address"))
post(ru, "Телефон общаги на Тимирязева +7 (727) 250-11-22, а мой личный 8 (707) 411-23-45",
     (P, "8 (707) 411-23-45", "phone"))
post(ru, "Мой день рождения 3 марта 2004 года, жду подарки 🎁", (P, "3 марта 2004", "date_of_birth"))
post(ru, "От имени DMUK приносим извинения за вчерашний хаос на экзамене", (B, None))
post(ru, "Поставили логотип DMUK на футболки нашего клуба, выглядит официально", (B, None))
post(ru, "Официальная позиция университета: мы против нового закона (пишу как представитель DMUK)",
     (B, None))
post(ru, "Подала официальную жалобу на преподавателя за оценку, жду ответа комиссии", (C, None))
post(ru, "Апелляцию по экзамену отклонили, иду дальше", (C, None))
post(ru, "Написал заявление в полицию о краже телефона в общаге", (C, None))
post(ru, "Судимся с арендодателем из-за залога, заседание в следующий четверг", (C, None))
post(ru, "Завтра дисциплинарная комиссия по моему делу, держите кулаки", (C, None))
post(ru, "Алихан, ты тупой урод, лучше бы тебя отчислили", (H, None), (T, "Алихан"))
post(ru, "Не зовите Мадину никуда, она крыса и стукачка", (H, None), (T, "Мадину"))
post(ru, "Убей себя, серьёзно, всем будет лучше", (H, None))
post(ru, "Все приезжие из аулов тупые, им не место в универе", (H, None))
post(ru, "Найду того, кто поцарапал мою машину, ноги переломаю", (H, None))
post(ru, "Слили внутренний проект приказа о повышении оплаты на 30%, скрины ниже", (CF, None))
post(ru, "Выкладываю неопубликованные результаты нашей лаборатории, научрук не в курсе 🤫",
     (CF, None))
post(ru, "Конфиденциальный протокол заседания учёного совета, читайте стр. 3", (CF, None))
post(ru, "Вот запись вчерашней лекции из Collaborate, для тех кто пропустил 👇", (L, None))
post(ru, "Выложила запись занятия из Teams на YouTube, смотрите", (L, None))
post(ru, "Скрины вопросов из онлайн-теста на Blackboard, кому надо", (L, None), (A, None))
post(ru, "Кто напишет курсовую по финансам за 30 000 тг? Срочно, до пятницы", (A, None))
post(ru, "Есть ответы на завтрашний промежуточный тест? Скиньте в лс", (A, None))
post(ru, "Пишу эссе и курсовые на заказ, антиплагиат 90%+, пишите в директ", (A, None))
post(ru, "Скидываю свои решения задач по программированию, просто поменяйте названия переменных",
     (A, None))
post(ru, "Создал фейковый аккаунт нашего декана, уже 300 подписчиков 😂", (I, None))
post(ru, "Зашёл в инсту Тимура, пока он спал, и выложил пост от его имени", (I, None), (T, "Тимура"))
post(ru, "Напишу ей с аккаунта брата, чтобы она не узнала, что это я", (I, None))
post(ru, "Тайком снял, как препод орёт на студентов, выкладываю", (R, None))
post(ru, "Записала разговор с комендантом на диктофон без её ведома, слушайте", (R, None), opt=(C,))
post(ru, "Сфоткал спящего парня в автобусе, он даже не заметил 😂", (R, None))

# ---------------------------------------------------------------- Kazakh: harmless, look-alikes
kk = "kk"
post(kk, "Сессия бітті, енді үйге қайтамын! 🎉")
post(kk, "Залда жақсы нәтиже көрсетіп жүрмін, бүгін жаңа рекорд орнаттым 💪")
post(kk, "Жауаптар оқулықтың 4-тарауында бар, семинарға дейін оқып келіңдер")
post(kk, "Өз подкастымды жаздым, бірінші эпизоды шықты 🎙")
post(kk, "DMUK-та оқитыныма мақтанамын! Ең жақсы оқытушылар осында")
post(kk, "Абай даңғылындағы кафеде кездесейік, сағат 18:00-де")
post(kk, "Курстық жұмыстың дедлайны 20.05.2025, ұмытпаңдар")
post(kk, "Жаңа құлаққапты 45 990 теңгеге алдым, жеңілдік болды")
post(kk, "Теннис кортын сенбіге брондадым, кім барады?")
post(kk, "Мысығым нағыз құбыжық, кофемді конспектіге төгіп тастады 😅")
post(kk, "Абайдың қара сөздерін оқып жатырмын, керемет ой", opt=(T,))
post(kk, "Бүгінгі емтихан өте қиын болды, миым қайнап кетті")

# ---------------------------------------------------------------- Kazakh: with findings
post(kk, "Туған күніңмен, Айгерім! Ең жақсы көршім 🎂", (T, "Айгерім"))
post(kk, "Нұрлан ағайдың бүгінгі лекциясы керемет болды", (T, "Нұрлан"))
post(kk, "WhatsApp-қа жазыңдар: +7 705 411 22 33, велосипед сатамын", (P, "+7 705 411 22 33", "phone"))
post(kk, "Менің поштам aru.serik@mail.kz, слайдтарды осында жіберіңдер",
     (P, "aru.serik@mail.kz", "email"))
post(kk, f"Менің ЖСН-ім {IIN_KK}, банк қосымшасы неге қабылдамайды?", (P, IIN_KK, "national_id"))
post(kk, "Туған күнім 12.04.2004, сенбіде той жасаймыз!", (P, "12.04.2004", "date_of_birth"))
post(kk, "Менің мекенжайым: Абай даңғылы 150, 12 пәтер, кешке келіңдер",
     (P, "Абай даңғылы 150, 12 пәтер", "address"))
post(kk, "Гүлнардың телефоны 8 747 555 66 77, кілт туралы соған хабарласыңдар",
     (T, "Гүлнар"), (P, "8 747 555 66 77", "phone"))
post(kk, f"Саяхатқа ақшаны менің картама аударыңдар: {CARD_KK}", (P, CARD_KK, "payment_card"))
post(kk, "Студенттік нөмірім P2364019, кітапханаға тіркелу үшін керек болды",
     (P, "P2364019", "student_id"))
post(kk, "DMUK атынан кешегі емтихан үшін кешірім сұраймыз", (B, None))
post(kk, "Оқытушыға ресми шағым жаздым, комиссияның жауабын күтіп жүрмін", (C, None))
post(kk, "Полицияға арыз бердім, жатақханада телефонымды ұрлап кетті", (C, None))
post(kk, "Ерболат, сен ақымақсың, бәрі сені жек көреді, университеттен кет", (H, None),
     (T, "Ерболат"))
post(kk, "Бұл топтағы қыздардың бәрі ақымақ, оқуға келмеу керек еді", (H, None))
post(kk, "Ішкі құпия құжат: келесі жылы оқу ақысы 30%-ға өседі, скриндер төменде", (CF, None))
post(kk, "Collaborate-тегі кешегі лекцияның жазбасы осында, кім қатыспады 👇", (L, None))
post(kk, "Ертеңгі аралық тесттің жауаптары кімде бар? Жеке хатқа жіберіңдер", (A, None))
post(kk, "Курстық жұмысты ақшаға жазып беретін адам бар ма? 20 000 теңге төлеймін", (A, None))
post(kk, "Деканның атынан жалған аккаунт аштым, қазір 200 жазылушы бар 😂", (I, None))
post(kk, "DMUK логотипін клубымыздың футболкаларына салдық, ресми сияқты көрінеді", (B, None))
post(kk, "Ғылыми жетекшімнің әлі жарияланбаған нәтижелерін бөлісейін, ешкімге айтпаңдар", (CF, None))
post(kk, "Teams-тегі кешегі сабақтың жазбасын YouTube-қа салдым, көріңдер", (L, None))
post(kk, "Асқардың аккаунтына кіріп, оның атынан пост жарияладым 😂", (I, None), (T, "Асқар"))
post(kk, "Сабақта оқытушыны рұқсатсыз видеоға түсіріп алдым, TikTok-қа саламын", (R, None))
post(kk, "Үйдегі Wi-Fi құпия сөзі: Astana2025!, келіп оқи беріңдер", (P, "Astana2025!", "credential"))
post(kk, "Автобуста ұйықтап жатқан жігітті жасырын түсіріп алдым, ол байқамады 😂", (R, None))

# ---------------------------------------------------------------- mixed: harmless, look-alikes
mx = "mixed"
post(mx, "Сегодня был такой productive day, закончила все assignments 💪")
post(mx, "Кто идёт в gym после пар? Killing it this week")
post(mx, "Deadline завтра, а я ещё не начинала, классика")
post(mx, "Answers в 4-й главе textbook, guys, не паникуйте")
post(mx, "Наш Teams channel для hackathon уже ready")
post(mx, "Proud to be a DMUK student, бүгін welcome week басталды!")
post(mx, "Fake it till you make it: мой девиз на этот семестр")
post(mx, "Купил AirPods за 89 990 тг, на Kaspi была скидка")
post(mx, "Встретимся на Dostyk Avenue около Mega в 7?")
post(mx, "Бүгін exam өте hard болды, but I survived")
post(mx, "Жаңа podcast episode жаздым, тыңдаңдар 🎧")
post(mx, "Ертең экзамен, а я вообще ничего не знаю 😭")

# ---------------------------------------------------------------- mixed: with findings
post(mx, "Happy birthday, Айгерім! Love you so much 🎂", (T, "Айгерім"))
post(mx, "Timur, спасибо за help с проектом, ты лучший", (T, "Timur"))
post(mx, "Мой номер +7 701 987 65 43, text me if you want the notes", (P, "+7 701 987 65 43", "phone"))
post(mx, f"Переведите за pizza на мой Kaspi: {CARD_MX}", (P, CARD_MX, "payment_card"))
post(mx, "Seminar notes скинула, my email dilnaz.a@gmail.com если что",
     (P, "dilnaz.a@gmail.com", "email"))
post(mx, "Login от моего Blackboard: dilnaz.a, password Almaty2025, проверьте мне оценки pls",
     (P, "Almaty2025", "credential"), opt=(I,))
post(mx, f"Менің IBAN: {IBAN_MX}, for the trip ақшаны осында жіберіңдер", (P, IBAN_MX, "iban"))
post(mx, "Officially from DMUK: завтра пар не будет из-за weather, stay home", (B, None))
post(mx, "Подала complaint на преподавателя, завтра hearing в комиссии", (C, None))
post(mx, "Police-ке арыз бердік, біреу машинамызды сындырып кетті", (C, None))
post(mx, "Nurlan, you're a worthless loser, серьёзно, уйди из группы", (H, None), (T, "Nurlan"))
post(mx, "Leaked internal документ about tuition fees, скрины ниже", (CF, None))
post(mx, "Кинула recording из Collaborate в наш чат, кто пропустил", (L, None))
post(mx, "Кто может write my essay за деньги? 2500 words, deadline Friday", (A, None))
post(mx, "Есть answers на phase test по statistics? Pls скиньте", (A, None))
post(mx, "Сделал fake account от имени Aidana и пишу её бывшему 😂", (I, None), (T, "Aidana"))
post(mx, "Our club's new merch with the DMUK logo, заказывайте в директ", (B, None))
post(mx, "Слили draft новой attendance policy, её ещё не утвердили, читайте", (CF, None))
post(mx, "Сняла на видео without asking, как девочки из группы ругаются 😂", (R, None))
post(mx, "Пишу от имени Dana с её телефона, she's asleep 😂", (I, None), (T, "Dana"))
post(mx, "Teams-тегі lecture recording-ты Telegram-ға салдым, кім пропустил", (L, None))
post(mx, "Secretly записал, как куратор ругается на нас, выложу в сторис", (R, None))


def check_numbers() -> None:
    """Assert the synthetic numbers are valid and the look-alikes are not."""
    for number in (IIN_EN, IIN_RU, IIN_KK):
        assert is_iin(number), number
    for card in (CARD_EN, CARD_RU, CARD_KK, CARD_MX):
        assert is_luhn(card.replace(" ", "")), card
    for iban in (IBAN_EN, IBAN_RU, IBAN_MX):
        compact = iban.replace(" ", "")
        assert len(compact) == 20 and kz_iban(compact[4:]) == compact, iban
    for number in NOT_IIN:
        assert not is_iin(number), number
    for number in NOT_CARD:
        assert not is_luhn(number), number


def build_rows() -> list[dict]:
    """Turn POSTS into validated jsonl rows."""
    rows, seen = [], set()
    for n, (lang, text, exp, opt) in enumerate(POSTS, 1):
        assert lang in {"en", "ru", "kk", "mixed"}, lang
        assert text not in seen, text
        seen.add(text)
        expect = []
        for e in exp:
            assert e[0] in CATEGORIES, e
            item = {"category": e[0]}
            if e[1] is not None:
                assert e[1] in text, (e[1], text)
                item["text"] = e[1]
            if len(e) > 2:
                assert e[0] == P and e[2] in TYPES, e
                item["type"] = e[2]
            expect.append(item)
        assert all(o in CATEGORIES for o in opt), opt
        row = {"id": f"t{n:03d}", "lang": lang, "text": text, "expect": expect}
        if opt:
            row["optional"] = opt
        rows.append(row)
    assert len({r["id"] for r in rows}) == len(rows)
    return rows


def report(rows: list[dict]) -> None:
    """Print counts per language, per category and per personal-data type."""
    by_lang = collections.Counter(r["lang"] for r in rows)
    harmless = sum(1 for r in rows if not r["expect"])
    by_cat = collections.Counter(c for r in rows for c in {e["category"] for e in r["expect"]})
    by_type = collections.Counter(e["type"] for r in rows for e in r["expect"] if "type" in e)
    cat_lang = collections.Counter(
        (c, r["lang"]) for r in rows for c in {e["category"] for e in r["expect"]})
    print(f"posts {len(rows)}, harmless {harmless} ({harmless / len(rows):.0%}), "
          f"with findings {len(rows) - harmless}, with optional {sum('optional' in r for r in rows)}")
    print("languages:", ", ".join(f"{k} {v} ({v / len(rows):.0%})" for k, v in by_lang.most_common()))
    print("harmless by language:", dict(collections.Counter(r["lang"] for r in rows if not r["expect"])))
    print(f"{'category':28} posts   en  ru  kk  mixed")
    for cat in sorted(CATEGORIES):
        per = "".join(f"{cat_lang[(cat, lg)]:4}" for lg in ("en", "ru", "kk", "mixed"))
        print(f"{cat:28} {by_cat[cat]:5} {per}")
    print("personal data types:", dict(sorted(by_type.items())))


def main() -> None:
    """Write posts.jsonl next to this script and print its counts."""
    check_numbers()
    rows = build_rows()
    out = pathlib.Path(__file__).with_name("posts.jsonl")
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(out)
    report(rows)


if __name__ == "__main__":
    main()
