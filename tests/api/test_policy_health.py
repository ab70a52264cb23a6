"""GET /v1/policy, /healthz and /readyz."""

from nlp.policy import CATEGORIES


def test_policy_lists_every_category_with_known_clauses(client):
    body = client.get("/v1/policy").get_json()
    clause_ids = {c["id"] for c in body["clauses"]}
    assert [c["id"] for c in body["categories"]] == list(CATEGORIES)
    for category in body["categories"]:
        assert category["clauses"] and set(category["clauses"]) <= clause_ids
        assert category["message"] and category["suggestion"] and category["colour"].startswith("#")
    assert "4.5.3" in clause_ids and "Personal information" in next(
        c["title"] for c in body["clauses"] if c["id"] == "4.5.3"
    )


def test_health_and_ready(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["status"] == "ready"


def test_not_ready_without_a_model(app):
    app.extensions.pop("analyzer")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_ready_with_rate_limits_switched_off(app_factory):
    response = app_factory(RATELIMIT_ENABLED=False).test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"]["rate_limits"] == "off"
