"""POST /v1/check/batch: item-by-item answers through nlp.pipe, validation by id, cost per item."""

from __future__ import annotations

import logging

import pytest

from api.schemas import PLATFORMS

BRANDING = "Printed the DMUK logo on our club banner, looks legit"
HARMLESS = "Welcome week at DMUK was amazing, met so many people!"


def batch(*texts: str) -> dict:
    return {"items": [{"id": f"post-{i}", "text": text} for i, text in enumerate(texts)]}


def test_items_are_answered_in_order_like_single_checks(client):
    response = client.post("/v1/check/batch", json=batch(BRANDING, HARMLESS, BRANDING))
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["id"] for r in results] == ["post-0", "post-1", "post-2"]
    for result, text in zip(results, (BRANDING, HARMLESS, BRANDING), strict=True):
        single = client.post("/v1/check", json={"text": text}).get_json()
        assert {"findings": result["findings"], "risk": result["risk"]} == single
    assert results[0]["findings"][0]["category"] == "university_branding"
    assert results[1]["findings"] == []


def test_repeated_ids_are_answered_in_order(client):
    body = {"items": [{"id": "same", "text": BRANDING}, {"id": "same", "text": HARMLESS}]}
    first, second = client.post("/v1/check/batch", json=body).get_json()["results"]
    assert (first["id"], second["id"]) == ("same", "same")
    assert first["findings"] and second["findings"] == []


def test_batch_runs_one_pipe_pass_over_the_valid_items(app, monkeypatch):
    analyzer = app.extensions["analyzer"]
    passes: list[list[str]] = []
    original = analyzer.analyze_many

    def spy(texts, **kwargs):
        passes.append(list(texts))
        return original(texts, **kwargs)

    monkeypatch.setattr(analyzer, "analyze_many", spy)
    monkeypatch.setattr(
        analyzer, "analyze", lambda text: pytest.fail("batch must not check items one by one")
    )
    body = batch(BRANDING, "", HARMLESS)
    assert app.test_client().post("/v1/check/batch", json=body).status_code == 200
    assert passes == [[BRANDING, HARMLESS]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Text must not be empty."),
        ("x" * 51, "Text is longer than 50 characters."),
    ],
)
def test_one_bad_item_is_reported_by_id_and_the_rest_are_checked(app_factory, text, message):
    client = app_factory(MAX_TEXT_CHARS=50).test_client()
    body = {
        "items": [
            {"id": "a", "text": "DMUK logo on my banner"},
            {"id": "b", "text": text},
            {"id": "c", "text": "hi"},
        ]
    }
    response = client.post("/v1/check/batch", json=body)
    assert response.status_code == 200
    a, b, c = response.get_json()["results"]
    assert b == {"id": "b", "error": {"code": 422, "status": "Unprocessable Entity", "message": message}}
    assert a["id"] == "a" and a["findings"] and "error" not in a
    assert c == {"id": "c", "findings": [], "risk": {"level": "none", "score": 0.0}}


def _items(n: int) -> list[dict]:
    return [{"id": str(i), "text": "hello"} for i in range(n)]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"items": _items(101)}, {"items": ["A batch holds at most 100 items."]}),
        ({"items": []}, {"items": ["Shorter than minimum length 1."]}),
        ({}, {"items": ["Missing data for required field."]}),
        ({"items": "hello"}, {"items": ["Not a valid list."]}),
        ({"items": _items(2), "extra": 1}, {"extra": ["Unknown field."]}),
        (
            {"items": [{"id": "a", "text": 1}, {"id": "a", "text": "y", "mood": "?"}]},
            {"items": {"a": {"text": ["Not a valid string."], "mood": ["Unknown field."]}}},
        ),
        (
            {"items": [{"id": "ok", "text": "x"}, {"id": "bad", "text": 42}]},
            {"items": {"bad": {"text": ["Not a valid string."]}}},
        ),
        (
            {"items": [{"id": "ok", "text": "x"}, {"id": "odd", "text": "x", "colour": "red"}]},
            {"items": {"odd": {"colour": ["Unknown field."]}}},
        ),
        (
            {"items": [{"id": "ok", "text": "x"}, {"id": "p", "text": "x", "platform": "myspace"}]},
            {"items": {"p": {"platform": [f"Must be one of: {', '.join(PLATFORMS)}."]}}},
        ),
        (
            {"items": [{"id": "ok", "text": "x"}, {"text": "no id"}]},
            {"items": {"1": {"id": ["Missing data for required field."]}}},
        ),
        (
            {"items": [{"id": "", "text": "x"}]},
            {"items": {"0": {"id": ["Length must be between 1 and 100."]}}},
        ),
        ({"items": ["just a string"]}, {"items": {"0": {"_schema": ["Invalid input type."]}}}),
    ],
)
def test_invalid_batches_are_refused_naming_items_by_id(client, body, errors):
    response = client.post("/v1/check/batch", json=body)
    assert response.status_code == 422
    payload = response.get_json()
    assert payload["code"] == 422 and payload["status"] == "Unprocessable Entity"
    assert payload["errors"] == {"json": errors}


def test_max_batch_items_is_configurable(app_factory):
    client = app_factory(MAX_BATCH_ITEMS=2).test_client()
    assert client.post("/v1/check/batch", json={"items": _items(2)}).status_code == 200
    response = client.post("/v1/check/batch", json={"items": _items(3)})
    assert response.get_json()["errors"] == {"json": {"items": ["A batch holds at most 2 items."]}}


def test_a_batch_of_n_costs_n_from_the_shared_check_budget(app_factory):
    client = app_factory(CHECK_RATE_LIMIT="5/minute").test_client()
    first = client.post("/v1/check/batch", json={"items": _items(3)})
    assert first.status_code == 200 and first.headers["X-RateLimit-Remaining"] == "2"
    # Too big for what is left: refused whole, and (moving window) not charged.
    refused = client.post("/v1/check/batch", json={"items": _items(3)})
    assert refused.status_code == 429 and refused.get_json()["code"] == 429
    last = client.post("/v1/check/batch", json={"items": _items(2)})
    assert last.status_code == 200 and last.headers["X-RateLimit-Remaining"] == "0"
    assert client.post("/v1/check", json={"text": "hello"}).status_code == 429


@pytest.mark.parametrize(
    ("body", "remaining"),
    [
        ({"items": _items(101)}, "9"),  # invalid: costs one request
        ({"items": "nope"}, "9"),
        ({"items": _items(4)}, "6"),
    ],
)
def test_cost_of_invalid_batches_is_one(app_factory, body, remaining):
    client = app_factory(CHECK_RATE_LIMIT="10/minute").test_client()
    response = client.post("/v1/check/batch", json=body)
    assert response.headers["X-RateLimit-Remaining"] == remaining


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ('{"items": [{"id": "a", "text": "' + "x" * 2000 + '"}]}', 413),
        ("{not json", 400),
    ],
)
def test_unreadable_bodies_get_json_errors_without_upsetting_the_limiter(app_factory, caplog, data, status):
    client = app_factory(MAX_CONTENT_LENGTH=1000).test_client()
    with caplog.at_level(logging.WARNING):
        response = client.post("/v1/check/batch", data=data, content_type="application/json")
    assert response.status_code == status
    assert response.get_json()["code"] == status
    assert not [r for r in caplog.records if "falling back" in r.getMessage()]
