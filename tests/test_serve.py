"""`leerorkest serve` runs the production stack: gunicorn, compressed static files, HTTPS only."""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read()


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    var = tmp_path_factory.mktemp("prod-var")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(
        VAR_DIR=str(var),
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        BEHIND_TLS_PROXY="true",
    )
    command = [sys.executable, "-m", "leerorkest.cli"]
    for step in (["migrate", "--verbosity", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([*command, *step], env=env, check=True, timeout=600)
    port = free_port()
    server = subprocess.Popen(
        [*command, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("gunicorn did not start: " + server.stdout.read().decode())
    yield port
    server.terminate()
    server.wait(timeout=15)


def test_health_check_answers_over_plain_http(production_server):
    status, _headers, body = get(production_server, "/healthz")
    assert status == 200
    assert b'"database": "ok"' in body


def test_pages_redirect_to_https(production_server):
    status, headers, _body = get(production_server, "/accounts/login/")
    assert status == 301
    assert headers["Location"].startswith("https://")


def test_pages_behind_the_proxy_are_secured(production_server):
    status, headers, body = get(
        production_server, "/accounts/login/", {"X-Forwarded-Proto": "https"}
    )
    assert status == 200
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "Secure" in headers.get("Set-Cookie", "Secure")
    # Static files have hashed names and are served by the application with long caching.
    css = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body)
    assert css, body[:500]
    status, headers, _ = get(
        production_server, css.group(1).decode(), {"X-Forwarded-Proto": "https"}
    )
    assert status == 200
    assert "max-age=315360000" in headers["Cache-Control"]
