"""POST /v1/check end to end through create_app(), and every bad-input case."""

from __future__ import annotations

import json
import logging

import pytest


def test_check_returns_findings_with_explanations(client):
    text = "Printed the DMUK logo on our club banner, looks legit"
    response = client.post("/v1/check", json={"text": text, "platform": "instagram"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["risk"]["level"] == "medium"
    assert 0 < body["risk"]["score"] <= 1
    [finding] = body["findings"]
    assert finding["category"] == "university_branding"
    assert finding["type"] == "logo"
    assert text[finding["start"] : finding["end"]] == finding["text"] == "DMUK logo"
    assert finding["clauses"] == ["4.9"]
    assert finding["message"] and finding["suggestion"]
    assert finding["severity"] in ("low", "medium", "high")


def test_harmless_post_gets_no_findings(client):
    response = client.post("/v1/check", json={"text": "Welcome week at DMUK was amazing, met so many people!"})
    assert response.status_code == 200
    assert response.get_json() == {"findings": [], "risk": {"level": "none", "score": 0.0}}


def test_utf16_offsets_count_emoji_as_two_units(client):
    text = "🎉🎉 Printed the DMUK logo on our banner 👍"
    finding = client.post("/v1/check", json={"text": text}).get_json()["findings"][0]
    assert text[finding["start"] : finding["end"]] == "DMUK logo"
    utf16 = text.encode("utf-16-le")
    span = utf16[finding["start_utf16"] * 2 : finding["end_utf16"] * 2].decode("utf-16-le")
    assert span == "DMUK logo"
    assert finding["start_utf16"] == finding["start"] + 2


def _error(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["code"] == status
    assert isinstance(body["status"], str) and isinstance(body["message"], str)
    return body


@pytest.mark.parametrize(
    ("kwargs", "status", "field"),
    [
        ({"data": "text=hello", "content_type": "application/x-www-form-urlencoded"}, 415, None),
        ({"data": "hello", "content_type": "text/plain"}, 415, None),
        ({"data": "{not json", "content_type": "application/json"}, 400, None),
        ({"data": b'{"text": "caf\xe9"}', "content_type": "application/json"}, 400, None),
        ({"json": {}}, 422, "text"),
        ({"json": {"text": ""}}, 422, "text"),
        ({"json": {"text": None}}, 422, "text"),
        ({"json": {"text": 42}}, 422, "text"),
        ({"json": {"text": ["a"]}}, 422, "text"),
        ({"json": {"text": "hi", "platform": "myspace"}}, 422, "platform"),
        ({"json": {"text": "hi", "colour": "red"}}, 422, "colour"),
        ({"json": ["text"]}, 422, "_schema"),
        ({"json": "text"}, 422, "_schema"),
    ],
)
def test_bad_input_gets_json_error(client, kwargs, status, field):
    body = _error(client.post("/v1/check", **kwargs), status)
    if field:
        assert field in body["errors"]["json"]


def test_text_over_the_limit_is_rejected(app_factory):
    client = app_factory(MAX_TEXT_CHARS=100).test_client()
    assert client.post("/v1/check", json={"text": "a" * 100}).status_code == 200
    body = _error(client.post("/v1/check", json={"text": "a" * 101}), 422)
    assert "100" in body["errors"]["json"]["text"][0]


def test_default_limit_accepts_65536_characters(client):
    assert client.post("/v1/check", json={"text": "ab " * 21_845 + "a"}).status_code == 200
    _error(client.post("/v1/check", json={"text": "a" * 65_537}), 422)


def test_body_over_the_size_cap_is_413(app_factory):
    client = app_factory(MAX_CONTENT_LENGTH=1000).test_client()
    _error(client.post("/v1/check", data=json.dumps({"text": "a" * 2000}), content_type="application/json"), 413)


def test_unknown_route_and_method_are_json(client):
    _error(client.get("/v1/nothing-here"), 404)
    body = _error(client.get("/v1/check"), 405)
    assert "not allowed" in body["message"]


def test_lone_surrogate_and_nul_do_not_break_the_check(client):
    raw = '{"text": "hi \\ud83d there \\u0000 Printed the DMUK logo on a banner"}'
    response = client.post("/v1/check", data=raw, content_type="application/json")
    assert response.status_code == 200
    assert response.get_json()["findings"][0]["text"] == "DMUK logo"


def test_unexpected_error_is_a_generic_json_500(app_factory, monkeypatch, caplog):
    app = app_factory(TESTING=False)
    analyzer = app.extensions["analyzer"]

    def explode(text):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(analyzer, "analyze", explode)
    body = _error(app.test_client().post("/v1/check", json={"text": "hello"}), 500)
    assert "secret internals" not in json.dumps(body)
    assert "Unhandled RuntimeError on POST /v1/check" in caplog.text
    assert "secret internals" not in caplog.text


def test_post_text_never_reaches_the_logs(client, caplog):
    marker = "zq-marker-7f3a91 Printed the DMUK logo on our banner, call +7 701 765 43 21"
    caplog.set_level(logging.DEBUG)
    for kwargs in ({"json": {"text": marker}}, {"json": {"text": marker, "platform": "nope"}},
                   {"data": marker, "content_type": "text/plain"}):
        client.post("/v1/check", **kwargs)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "zq-marker-7f3a91" not in logged
    assert caplog.records, "expected some log output to scan"
