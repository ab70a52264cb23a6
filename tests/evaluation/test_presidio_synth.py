"""The span scoring of Presidio's synthetic set: overlap rules, unscored kinds, and the halves."""

from __future__ import annotations

from evaluation.presidio_synth import Span, score, score_halves

PERSON = Span("third_party", "PERSON", 0, 5)
PHONE = Span("personal_data", "PHONE_NUMBER", 10, 20)
DATE = Span("", "DATE_TIME", 30, 40)


def test_overlap_counts_and_unscored_personal_data_is_neither_right_nor_wrong():
    predicted = [
        Span("third_party", "person", 3, 8),  # overlaps the gold person: right
        Span("personal_data", "date_of_birth", 32, 36),  # overlaps only unscored gold: ignored
        Span("personal_data", "phone", 50, 60),  # overlaps nothing: wrong
    ]
    result = score([predicted], [[PERSON, PHONE]], [[DATE]])
    assert result["third_party"] == {"precision": 1.0, "recall": 1.0, "gold": 1, "predicted": 1}
    assert result["personal_data"]["precision"] == 0.0 and result["personal_data"]["recall"] == 0.0
    assert result["recall_by_label"] == {"PERSON": 1.0, "PHONE_NUMBER": 0.0}


def test_halves_split_even_and_odd_texts():
    hit = [Span("third_party", "person", 0, 5)]
    predictions = [hit, [], hit, []]  # found in the even texts, missed in the odd ones
    gold = [[PERSON]] * 4
    halves = score_halves(predictions, gold, [[]] * 4)
    assert halves["looked_at"]["third_party"]["recall"] == 1.0
    assert halves["held_out"]["third_party"]["recall"] == 0.0
    assert halves["held_out"]["third_party"]["gold"] == 2
