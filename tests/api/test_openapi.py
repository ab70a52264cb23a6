"""The OpenAPI document covers every endpoint, error and header (kept to: tests/reliability/test_fuzz.py)."""

from __future__ import annotations

import re

import pytest

UNDOCUMENTED_ENDPOINTS = ("static", "api-docs.", "docs_assets.", "dashboard.")


@pytest.fixture
def spec(client) -> dict:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_every_route_is_documented(app, spec):
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    served = {
        (re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if not rule.endpoint.startswith(UNDOCUMENTED_ENDPOINTS)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert served <= documented
    assert {("/v1/check", "POST"), ("/v1/check/batch", "POST"), ("/readyz", "GET")} <= documented


@pytest.mark.parametrize("path", ["/v1/check", "/v1/check/batch"])
def test_check_endpoints_document_errors_headers_and_optional_key(spec, path):
    operation = spec["paths"][path]["post"]
    responses = operation["responses"]
    assert {"200", "400", "401", "403", "413", "415", "422", "429", "503"} <= set(responses)
    rate_headers = {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"}
    assert set(responses["200"]["headers"]) == rate_headers
    assert set(responses["429"]["headers"]) == rate_headers
    assert set(responses["503"]["headers"]) == {"Retry-After"}
    for code in ("401", "403", "413", "415", "429", "503"):
        assert responses[code]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
    assert operation["security"] == [{}, {"bearerAuth": []}]


def test_key_scheme_and_error_body_are_components(spec):
    components = spec["components"]
    assert components["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": components["securitySchemes"]["bearerAuth"]["description"],
    }
    assert set(components["schemas"]["Error"]["required"]) == {"code", "status", "message"}
    batch = components["schemas"]["BatchRequest"]["properties"]["items"]
    assert (batch["minItems"], batch["maxItems"]) == (1, 100)


def test_docs_page_works_offline(client):
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/docs/assets/") for source in sources)
    for source in sources:
        with client.get(source) as asset:
            assert asset.status_code == 200 and len(asset.data) > 1000
    assert "/openapi.json" in html
