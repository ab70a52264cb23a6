"""The OpenAPI document covers every endpoint, error and header; the API keeps to it (schemathesis)."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from api.keys import get_keys

EXAMPLES = 25  # per operation and mode: bounded, the suite stays quick
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


@pytest.fixture
def api_schema(app_factory) -> tuple[schemathesis.BaseSchema, str]:
    """The live document of an app with loose limits, and a check key."""
    app = app_factory(CHECK_RATE_LIMIT="100000/minute", KEY_RATE_LIMIT="100000/minute")
    secret = get_keys(app).create("schemathesis", ("check",))
    return schemathesis.openapi.from_wsgi("/openapi.json", app), secret


# schemathesis's own pytest plugin (schema.parametrize / from_fixture) does not run on pytest 9,
# so each operation gets a Hypothesis test here, driven the same way.
@pytest.mark.parametrize(
    ("mode", "keyed"),
    [
        (schemathesis.GenerationMode.POSITIVE, False),
        (schemathesis.GenerationMode.POSITIVE, True),
        (schemathesis.GenerationMode.NEGATIVE, False),
    ],
)
def test_api_keeps_to_its_document(api_schema, mode, keyed):
    """Generated requests, valid and not: never a 500, every response as documented."""
    schema, secret = api_schema
    headers = {"Authorization": f"Bearer {secret}"} if keyed else None
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5

    for operation in operations:
        has_input = any(
            map(len, (operation.body, operation.query, operation.path_parameters, operation.headers))
        )
        if mode is schemathesis.GenerationMode.NEGATIVE and not has_input:
            continue  # nothing to get wrong in a request without parameters

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def conforms(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers)

        conforms()
