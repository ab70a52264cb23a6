"""The Pre-Post Check API: application factory."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from api import access_log, dashboard, docs, keys, limits, security, stats_store, store
from api.auth import load_client
from api.cli import keys_cli
from api.config import load_config
from api.extensions import api
from nlp.analyzer import Analyzer
from nlp.pipeline import load_pipeline
from nlp.registry import build_detectors

#: A fixed sample that exercises every detector once at start-up.
#: The Cyrillic name loads the Russian dictionary in the master, shared by every forked worker,
#: not in each worker on its first Russian post.
WARM_UP_TEXT = (
    "Warm-up: Dr Aidana Bekova, call +7 701 000 00 00, P1234567, on behalf of DMUK, my complaint. "
    "Спасибо, Айгерим Омарова."
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create the app: settings from the environment, overridden by ``config``."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config())
    if config:
        app.config.update(config)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep schema order: category, type, span…
    log_format = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    logging.basicConfig(level=app.config["LOG_LEVEL"], format=log_format)

    analyzer = Analyzer(
        load_pipeline(app.config["SPACY_MODEL"]),
        build_detectors(app.config["DISABLED_DETECTORS"]),
        cache_size=app.config["CHECK_CACHE_SIZE"],
    )
    analyzer.analyze(WARM_UP_TEXT)  # load lazy data (name lists, phone metadata) before the first request
    app.extensions["analyzer"] = analyzer
    if app.config["TRUSTED_PROXIES"]:
        # Only then is X-Forwarded-For the client IP that anonymous rate limits count by.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    store.init_app(app)
    keys.init_app(app)
    stats_store.init_app(app)
    dashboard.init_app(app)
    security.init_app(app)  # first: CORS preflights are answered before keys and limits
    app.before_request(load_client)  # before the limiter's hooks: limits count per key
    limits.init_app(app)
    api.init_app(app)
    docs.init_app(app, api)
    app.cli.add_command(keys_cli)

    from api import check, health, policy, stats

    for module in (check, policy, health, stats):
        api.register_blueprint(module.blp)
    app.register_blueprint(dashboard.bp)
    access_log.init_app(app)
    return app
