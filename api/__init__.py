"""The Pre-Post Check API: application factory."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from api import access_log
from api.config import load_config
from api.extensions import api
from nlp.analyzer import Analyzer
from nlp.pipeline import load_pipeline
from nlp.registry import build_detectors


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create the app: settings from the environment, overridden by ``config``."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config())
    if config:
        app.config.update(config)
    logging.basicConfig(level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    app.extensions["analyzer"] = Analyzer(
        load_pipeline(app.config["SPACY_MODEL"]), build_detectors(app.config["DISABLED_DETECTORS"])
    )
    api.init_app(app)

    from api import check, health, policy

    for module in (check, policy, health):
        api.register_blueprint(module.blp)
    access_log.init_app(app)
    return app
