"""The covert-recording detector (4.5.6): photos, audio or video of people without their consent."""

from __future__ import annotations

import pytest

from nlp.detectors.covert_recording import CovertRecordingDetector
from tests.nlp.cue_cases import ADVERSARIAL, assert_clean, assert_fast, assert_flags, assert_span_is_phrase

DETECTOR = CovertRecordingDetector()

# (post, phrase that must be covered, type, severity)
POSITIVES = [
    # English
    ("Secretly filmed the lecturer's rant, uploading it now", "Secretly filmed", "recording", "high"),
    (
        "Recorded the private call with my supervisor without telling her, listen to this",
        "without telling her",
        "recording",
        "high",
    ),
    ("took a pic of the girl sleeping on the bus lol", "pic of the girl sleeping", "recording", "high"),
    ("Look at this guy on the metro, took a pic lol", "this guy on the metro", "recording", "high"),
    ("Got him on video picking his nose in the library 😂", "Got him on video", "recording", "high"),
    (
        "Filmed my flatmate while she was asleep, she has no idea",
        "Filmed my flatmate while she was asleep",
        "recording",
        "high",
    ),
    ("Hidden camera in the changing room at the gym lol", "Hidden camera", "recording", "high"),
    ("Sneakily recorded the tutor arguing with a student", "Sneakily recorded", "recording", "high"),
    ("Took photos of the couple making out in the library", "couple making out", "recording", "high"),
    (
        "Audio of the seminar leader's meltdown, recorded without his knowledge",
        "without his knowledge",
        "recording",
        "high",
    ),
    # Russian
    ("Тайком снял препода, как он орёт на студентов", "Тайком снял", "recording", "high"),
    ("Записал разговор с деканом без его ведома", "без его ведома", "recording", "high"),
    ("Сфоткала спящего парня в автобусе, ахаха", "спящего парня", "recording", "high"),
    ("Сняла скрытой камерой, как они ругаются в общаге", "скрытой камерой", "recording", "high"),
    ("Втихую записал на диктофон нашего куратора", "Втихую записал", "recording", "high"),
    # Kazakh
    ("Мұғалімді жасырын түсіріп алдым", "жасырын түсіріп алдым", "recording", "high"),
    ("Көршімді ұйықтап жатқанда суретке түсірдім", "ұйықтап жатқанда суретке түсірдім", "recording", "high"),
    # more phrasings, written for these tests
    (
        "Caught the prof sleeping in the staff room on camera 😂",
        "Caught the prof sleeping in the staff room on camera",
        "recording",
        "high",
    ),
    (
        "Recorded my roommate's phone call with her mum lol",
        "Recorded my roommate's phone call",
        "recording",
        "high",
    ),
    (
        "Got a video of the drunk guys fighting outside the dorm, posting it",
        "video of the drunk guys",
        "recording",
        "high",
    ),
    (
        "Filmed the lecturer's meltdown, they don't know yet",
        "Filmed the lecturer's meltdown, they don't know",
        "recording",
        "high",
    ),
    (
        "Took a picture of a random guy's outfit on the bus, rate it",
        "Took a picture of a random guy's outfit on the bus, rate",
        "recording",
        "high",
    ),
    (
        "Voice-recorded the group meeting without them knowing",
        "Voice-recorded the group meeting without them knowing",
        "recording",
        "high",
    ),
    (
        "Записала на диктофон, как препод орёт, он даже не заметил",
        "на диктофон, как препод орёт, он даже не заметил",
        "recording",
        "high",
    ),
    ("Сняла соседку в душе ахах", "Сняла соседку в душе", "recording", "high"),
    (
        "Сфоткал, как пьяный одногруппник спит в коридоре",
        "Сфоткал, как пьяный одногруппник",
        "recording",
        "high",
    ),
    ("Оқытушыны рұқсатсыз видеоға түсірдім", "рұқсатсыз видеоға", "recording", "high"),
    (
        "Didn't ask, just filmed the guy yelling at the cashier, posting it",
        "Didn't ask, just filmed",
        "recording",
        "high",
    ),
    (
        "Caught my lecturer vaping behind the building, pic below 😂",
        "Caught my lecturer vaping behind the building, pic below",
        "recording",
        "high",
    ),
    (
        "Here's a pic of the guy who sits next to me in stats, he has no clue haha",
        "pic of the guy who sits next to me in stats, he has no clue haha",
        "recording",
        "high",
    ),
    ("Secret audio from the staff meeting", "Secret audio", "recording", "high"),
    (
        "Recorded the seminar tutor's comments about us without him knowing",
        "Recorded the seminar tutor's comments about us without him knowing",
        "recording",
        "high",
    ),
    (
        "My roommate talks in her sleep, recorded it 😂",
        "talks in her sleep, recorded it",
        "recording",
        "high",
    ),
    ("Filmed the couple arguing on the tram, the drama 🍿", "Filmed the couple arguing", "recording", "high"),
    (
        "Записал голосовое, как препод нас материт, без его ведома",
        "Записал голосовое, как препод нас материт, без его ведома",
        "recording",
        "high",
    ),
    (
        "Сняла на видео, как соседка плачет после звонка",
        "Сняла на видео, как соседка плачет",
        "recording",
        "high",
    ),
    ("Скрытая запись с совещания кафедры", "Скрытая запись", "recording", "high"),
    ("Көршімді білдірмей видеоға түсіріп алдым", "білдірмей видеоға", "recording", "high"),
    (
        "Zoomed in and took a photo of his phone screen while he was texting",
        "photo of his phone screen",
        "recording",
        "high",
    ),
    (
        "Audio of our landlord screaming at us, recorded on my phone, he didn't know",
        "recorded on my phone, he didn't know",
        "recording",
        "high",
    ),
    (
        "Snapped a pic of my lecturer's messy desk when she left the room",
        "pic of my lecturer's messy desk when she left the room",
        "recording",
        "high",
    ),
    ("Filming the hot guy in the library lol", "Filming the hot guy in the library lol", "recording", "high"),
    (
        "That moment when your roommate doesn't know you're filming 😂",
        "doesn't know you're filming",
        "recording",
        "high",
    ),
    ("Снимаю препода, пока он не видит", "Снимаю препода, пока он не видит", "recording", "high"),
    ("Оқытушыны ұйықтап жатқанда суретке түсірдім", "ұйықтап жатқанда суретке түсірдім", "recording", "high"),
    (
        "Took a sneaky pic of the lecturer napping during the exam",
        "pic of the lecturer napping",
        "recording",
        "high",
    ),
    (
        "Recorded my flatmates arguing through the wall 😂",
        "Recorded my flatmates arguing",
        "recording",
        "high",
    ),
    (
        "Caught the couple next door on my doorbell cam, posting it",
        "Caught the couple next door on my doorbell cam",
        "recording",
        "high",
    ),
]

NEGATIVES = [
    "Recorded a cover of my favourite song, feedback welcome 🎸",
    "I recorded my own podcast",
    "filmed our society's event with everyone's OK",
    "Secret Santa reveal filmed on my phone, so cute",
    "I secretly recorded myself singing in the shower",
    "Took a photo of the sunset from the library roof",
    "Filmed the whole concert last night, what a vibe",
    "Got my cat on camera stealing food lol",
    "The secret to good photos is natural light, filmed this today",
    "Phone died halfway through the lecture, classic",
    "We recorded the interview for my dissertation with consent forms signed",
    "Took a pic of my cat sleeping on my notes",
    "Recorded our band's first gig, so proud",
    "Записал свой подкаст про студенческую жизнь",
    "Сфоткала закат с крыши общаги",
    "Сняли видео для конкурса, все согласились",
    "Өзімді видеоға түсірдім, жаңа өлең",
    # more phrasings, written for these tests
    "Took a video of the fireworks from my balcony",
    "Filmed a tiktok with my roommates, they loved it",
    "Recorded a voice note for my mum",
    "Photographed the whole graduation with everyone's consent",
    "Caught the bus just in time, pic below of the sunrise",
    "Caught my first fish today! Photo below",
    "Took a photo of my laptop screen to show the error",
    "Filmed the sunset while no one was around",
]


@pytest.mark.parametrize(("text", "phrase", "type_", "severity"), POSITIVES)
def test_flags_covert_recording(blank_nlp, text, phrase, type_, severity):
    assert_flags(DETECTOR, blank_nlp, text, phrase, type_, severity)


@pytest.mark.parametrize("text", NEGATIVES)
def test_leaves_look_alikes_alone(blank_nlp, text):
    assert_clean(DETECTOR, blank_nlp, text)


@pytest.mark.parametrize("phrase", ["secretly filmed the lecturer", "Тайком снял препода"])
def test_flags_the_phrase_not_the_post(blank_nlp, phrase):
    assert_span_is_phrase(DETECTOR, blank_nlp, phrase)


def test_consent_cancels_a_recording(blank_nlp):
    assert DETECTOR.detect(blank_nlp("Recorded the call with my supervisor without telling her"))
    assert not DETECTOR.detect(
        blank_nlp("Recorded the call with my supervisor without telling her first, but she agreed after")
    )


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_hostile_text_is_linear(blank_nlp, text):
    assert_fast(DETECTOR, blank_nlp, text)
