"""What the real servers send and refuse over HTTP: banners, security headers, oversized requests.

gunicorn as ``make serve`` runs it, and the development server as ``make run`` does; chunked
bodies (no Content-Length) and oversized request lines and headers, as a hostile client sends them.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.processes import free_port
from tests.reliability.load import call
from tests.reliability.server import REPO, Gunicorn

MIB = 1024 * 1024
PAGES = [
    ("POST", "/v1/check", {"text": "Hello"}, 200),
    ("GET", "/v1/policy", None, 200),
    ("GET", "/docs", None, 200),
    ("GET", "/dashboard", None, 200),
    ("GET", "/nowhere", None, 404),
    ("GET", "/v1/stats", None, 401),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gunicorn]:
    """gunicorn with one worker and the embedded store."""
    running = Gunicorn(tmp_path_factory.mktemp("http"), {}, workers=1).start()
    yield running
    running.stop()


@pytest.mark.parametrize(("method", "path", "body", "status"), PAGES)
def test_gunicorn_names_no_version_and_every_answer_has_the_headers(server, method, path, body, status):
    answer = call(server.host, server.port, method, path, body)
    assert answer.status == status
    assert answer.headers["server"] == "gunicorn"
    assert "x-powered-by" not in answer.headers
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


def chunked_post(server: Gunicorn, path: str, size: int) -> tuple[int, bytes]:
    """POST ``size`` bytes of a JSON body in 64 KiB chunks, without Content-Length."""
    body = b'{"text": "' + b"a" * (size - 12) + b'"}'

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        connection.request(
            "POST", path, body=chunks(), headers={"Content-Type": "application/json"}, encode_chunked=True
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("path", "size", "status"),
    [
        ("/v1/check", 1000, 200),
        ("/v1/check", MIB, 422),  # read whole, then too long a text
        ("/v1/check", MIB + 65536, 413),
        ("/v1/check/batch", MIB + 65536, 413),
        ("/v1/check/batch", 200_000, 422),
        ("/v1/events", 10_000, 413),
    ],
)
def test_chunked_bodies_are_capped_too(server, path, size, status):
    got, body = chunked_post(server, path, size)
    assert got == status
    if status == 413:
        assert b'"code":413' in body.replace(b" ", b"")


@pytest.mark.parametrize(
    ("what", "headers", "path"),
    [
        ("long request line", {}, "/v1/policy?" + "q" * 10_000),
        ("long header", {"Authorization": "Bearer " + "k" * 20_000}, "/v1/policy"),
        ("many headers", {f"X-Pad-{n}": "x" for n in range(200)}, "/v1/policy"),
    ],
)
def test_oversized_requests_are_refused_and_the_server_goes_on(server, what, headers, path):
    answer = call(server.host, server.port, "GET", path, headers=headers)
    assert 400 <= answer.status < 500, what
    assert call(server.host, server.port, "GET", "/healthz").status == 200


def test_development_server_names_no_version(tmp_path):
    port = free_port()
    env = {**os.environ, "INSTANCE_PATH": str(tmp_path), "REDIS_URL": ""}
    process = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
        [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                answer = call("127.0.0.1", port, "GET", "/healthz", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, "flask run did not start"
                time.sleep(0.3)
        assert answer.headers["server"] == "Werkzeug"
        assert answer.headers["x-content-type-options"] == "nosniff"
    finally:
        process.terminate()
        process.wait(timeout=20)
