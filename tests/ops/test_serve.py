"""``palermo serve`` for real: gunicorn with the production settings, behind what a reverse proxy would send.

One server is started for the module (a subprocess on a free loopback port, production settings, secrets in
files, static files collected the documented way, the test database copied to a SQLite file, or the PostgreSQL
test database itself), then stopped with SIGTERM as systemd would.
"""

from __future__ import annotations

import base64
import gzip
import http.client
import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import brotli
import psycopg
import pytest
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts.models import User
from palermo.accounts.roles import Role

pytestmark = pytest.mark.django_db  # the server's database is the test database (copied, on SQLite)

ROOT = Path(__file__).resolve().parents[2]
HTTPS = {"X-Forwarded-Proto": "https"}  # what nginx adds in front of every proxied request
ADMIN_PASSWORD = "Serve-test-password-2026"
ADMIN_TOTP_KEY = "3132333435363738393031323334353637383930"  # the serve-admin's authenticator, in the copy only


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: str | None = None
    ) -> tuple[int, dict[str, str], bytes, list[str]]:
        """Status, headers (lower-case names), body, and every Set-Cookie value."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
            response = conn.getresponse()
            pairs = response.getheaders()
            cookies = [value for name, value in pairs if name.lower() == "set-cookie"]
            return response.status, {k.lower(): v for k, v in pairs}, response.read(), cookies
        finally:
            conn.close()

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        status, headers_, body, _cookies = self.request("GET", path, headers)
        return status, headers_, body

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def copy_of_the_test_database(tmp_path: Path) -> tuple[str, Callable[[], None]]:
    """The migrated test database, copied for the server (a file on SQLite, a database made from it as template on
    PostgreSQL), and how to drop the copy."""
    connection.ensure_connection()
    settings = connection.settings_dict
    name = str(settings["NAME"])
    assert "test" in name or "memory" in name, f"not a test database: {name}"
    if connection.vendor == "sqlite":
        target = tmp_path / "palermo.sqlite3"
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{target}", lambda: None
    credentials = quote(settings["USER"] or "") + (f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else "")
    server = f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    copy_name = f"{name}_serve"
    connection.close()  # a template must have no other session
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{copy_name}"')
        admin.execute(f'CREATE DATABASE "{copy_name}" TEMPLATE "{name}"')

    def drop() -> None:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy_name}" WITH (FORCE)')

    return f"{server}/{copy_name}", drop


def production_environment(tmp_path: Path, database_url: str) -> dict[str, str]:
    secret_key = tmp_path / "secret_key"
    secret_key.write_text(secrets.token_urlsafe(64))
    field_key = tmp_path / "field_encryption_key"
    field_key.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    ours = ("PALERMO_", "DATABASE_URL", "DJANGO_", "PROMETHEUS_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return {
        **clean,
        "PYTHONPATH": str(ROOT),
        "PALERMO_PRODUCTION": "1",
        "PALERMO_SECRET_KEY_FILE": str(secret_key),
        "PALERMO_FIELD_ENCRYPTION_KEY_FILE": str(field_key),
        "PALERMO_AUDIT_KEY": "serve-test-audit-key-" + "x" * 32,
        "PALERMO_ALLOWED_HOSTS": "127.0.0.1",
        "PALERMO_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": database_url,
        "PALERMO_LOG_FORMAT": "json",
        "PALERMO_LOG_LEVEL": "INFO",
        "PALERMO_READY_MIN_FREE_MB": "1",
        "PALERMO_JOBS_HEARTBEAT_SECONDS": "1",
        # Compressing for real, with the least effort: the test checks the files, not their last percent.
        "PALERMO_STATIC_COMPRESSION_LEVEL": "1",
    }


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def server(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp_path = tmp_path_factory.mktemp("serve")
    with django_db_blocker.unblock():
        # The account the pages are visited with, in the copy only (hashed as production hashes).
        admin = User.objects.create_user("serve-admin", password=ADMIN_PASSWORD, role=Role.PROGRAMME_MANAGER)
        TOTPDevice.objects.create(user=admin, name="phone", confirmed=True, key=ADMIN_TOTP_KEY)  # managers: 2FA
        try:
            database_url, drop_database = copy_of_the_test_database(tmp_path)
        finally:
            admin.delete()
    env = production_environment(tmp_path, database_url)
    palermo = [sys.executable, "-m", "palermo.cli"]
    collected = subprocess.run(
        [*palermo, "collectstatic", "--noinput", "-v", "0"], env=env, cwd=tmp_path, capture_output=True, text=True,
        timeout=180,
    )
    assert collected.returncode == 0, collected.stderr
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as output, (tmp_path / "worker.log").open("wb") as worker_output:
        process = subprocess.Popen(
            [*palermo, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"],
            env=env, cwd=tmp_path, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
        worker = subprocess.Popen(
            [*palermo, "worker", "--worker-id", "serve-test", "--no-startup-delay"],
            env=env, cwd=tmp_path, stdout=worker_output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    running = Server(port, process, log)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, f"palermo serve stopped:\n{running.output()}"
            try:
                if running.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"palermo serve did not answer:\n{running.output()}"
            time.sleep(0.2)
        yield running
    finally:
        stop(process)
        stop(worker)
        drop_database()


def test_the_sign_in_page_answers_in_english_and_french_over_https_only(server: Server) -> None:
    status, headers, body = server.get("/accounts/login/", {**HTTPS, "Accept-Language": "en"})
    assert status == 200
    assert "<h1>Sign in</h1>" in body.decode()
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert "secure" in headers["set-cookie"].lower()
    status, _headers, body = server.get("/accounts/login/", {**HTTPS, "Accept-Language": "fr"})
    assert status == 200
    assert "<h1>Se connecter</h1>" in body.decode()
    status, headers, _body = server.get("/accounts/login/")  # plain HTTP, not through the proxy
    assert status == 301
    assert headers["location"] == "https://127.0.0.1/accounts/login/"


def test_static_files_are_hashed_compressed_and_cached_for_ever(server: Server) -> None:
    _status, _headers, body = server.get("/accounts/login/", HTTPS)
    stylesheet = re.search(r'href="(/static/palermo/palermo\.[0-9a-f]{12}\.css)"', body.decode())
    assert stylesheet is not None, body.decode()[:2000]
    url = stylesheet.group(1)
    status, headers, plain = server.get(url, {**HTTPS, "Accept-Encoding": "identity"})
    assert status == 200
    assert "content-encoding" not in headers
    assert headers["cache-control"] == "max-age=315360000, public, immutable"
    assert b"{" in plain
    status, headers, body = server.get(url, {**HTTPS, "Accept-Encoding": "br"})
    assert (status, headers["content-encoding"]) == (200, "br")
    assert brotli.decompress(body) == plain
    status, headers, body = server.get(url, {**HTTPS, "Accept-Encoding": "gzip"})
    assert (status, headers["content-encoding"]) == (200, "gzip")
    assert gzip.decompress(body) == plain
    assert server.get("/static/palermo/palermo.0123456789ab.css", HTTPS)[0] == 404


def test_the_plotly_bundle_is_sent_compressed_cached_and_deferred(server: Server) -> None:
    """4.8 MB uncompressed: sent as Brotli (about a fifth), cached for ever under its hashed name, and deferred
    with the script that draws the charts, so that pages show before it arrives."""
    manifest = json.loads((server.log.parent / "var" / "static" / "staticfiles.json").read_text())["paths"]
    bundles = {}
    for name in ("vendor/plotly.min", "palermo/charts"):
        hashed = manifest[f"{name}.js"]
        status, headers, body = server.get(f"/static/{hashed}", {**HTTPS, "Accept-Encoding": "br, gzip"})
        assert status == 200 and headers["content-encoding"] in ("br", "gzip"), name  # the smaller one
        assert headers["cache-control"] == "max-age=315360000, public, immutable"
        plain = brotli.decompress(body) if headers["content-encoding"] == "br" else gzip.decompress(body)
        bundles[name] = (hashed, len(body), len(plain))
    _hashed, compressed, plain = bundles["vendor/plotly.min"]
    assert plain > 4_000_000 and compressed < plain / 2  # 1.1 MB at the default level, 1.7 MB at the level 1 here


def test_the_api_asks_for_credentials_in_json(server: Server) -> None:
    for path in ("/api/me/", "/api/schema/"):
        status, headers, body = server.get(path, {**HTTPS, "Accept": "application/json"})
        assert status == 401, path
        assert headers["content-type"] == "application/json"
        assert headers["www-authenticate"] == "Token"
        assert json.loads(body) == {"detail": "Authentication credentials were not provided."}


def test_a_manager_signs_in_and_gets_the_dashboard_and_the_api(server: Server) -> None:
    jar: dict[str, str] = {}

    def keep(cookies: list[str]) -> dict[str, str]:
        for header in cookies:
            jar.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
        return {**HTTPS, "Cookie": "; ".join(f"{name}={value}" for name, value in jar.items())}

    status, _headers, body, cookies = server.request("GET", "/accounts/login/", HTTPS)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode())
    assert status == 200 and token is not None
    form = urlencode({"csrfmiddlewaretoken": token.group(1), "username": "serve-admin", "password": ADMIN_PASSWORD})
    status, headers, _body, cookies = server.request("POST", "/accounts/login/", {
        **keep(cookies), "Content-Type": "application/x-www-form-urlencoded",
        "Referer": "https://127.0.0.1/accounts/login/"}, form)
    assert (status, headers["location"]) == (302, "/")
    status, _headers, body, cookies = server.request("GET", "/accounts/two-factor/", keep(cookies))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode())
    assert status == 200 and token is not None
    code = f"{totp(bytes.fromhex(ADMIN_TOTP_KEY)):06d}"
    status, headers, _body, cookies = server.request("POST", "/accounts/two-factor/", {
        **keep(cookies), "Content-Type": "application/x-www-form-urlencoded",
        "Referer": "https://127.0.0.1/accounts/two-factor/"},
        urlencode({"csrfmiddlewaretoken": token.group(1), "token": code, "next": "/"}))
    assert (status, headers["location"]) == (302, "/")
    signed_in = keep(cookies)
    status, _headers, body = server.get("/diagnostics/", signed_in)
    assert status == 200, body.decode()[-2000:]
    assert re.search(r'<script src="/static/vendor/plotly\.min\.[0-9a-f]{12}\.js" defer>', body.decode())
    assert re.search(r'<script src="/static/palermo/charts\.[0-9a-f]{12}\.js" defer>', body.decode())
    assert 'id="chart-trend"' in body.decode()
    status, _headers, body = server.get("/api/me/", {**signed_in, "Accept": "application/json"})
    assert status == 200
    assert (json.loads(body)["username"], json.loads(body)["role"]) == ("serve-admin", "programme_manager")


def test_probes_answer_plain_http_on_the_loopback_and_carry_request_ids(server: Server) -> None:
    status, headers, body = server.get("/healthz", {"X-Request-ID": "probe-0001-healthz"})
    assert (status, json.loads(body)) == (200, {"status": "alive"})
    assert headers["x-request-id"] == "probe-0001-healthz"
    deadline = time.monotonic() + 60  # the worker's first heartbeat
    while (answer := server.get("/readyz"))[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    status, _headers, body = answer
    ready = json.loads(body)
    assert (status, ready["status"], ready["failed"]) == (200, "ready", []), ready
    assert list(ready["checks"]) == ["database", "migrations", "diagnostics-snapshot", "disk", "worker"]
    status, headers, _body = server.get("/healthz", {"X-Request-ID": "not an id; drop table"})
    assert re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])


def test_metrics_sum_the_workers_and_are_hidden_from_others(server: Server) -> None:
    for _ in range(6):
        assert server.get("/api/me/", HTTPS)[0] == 401
    status, headers, body = server.get("/metrics")
    assert status == 200, body
    assert headers["content-type"].startswith("text/plain")
    line = 'palermo_http_requests_total{method="GET",status="401",view="api:me"}'
    counts = [float(row.split()[-1]) for row in body.decode().splitlines() if row.startswith(line)]
    assert counts and counts[0] >= 6, body.decode()  # one line, the sum over both workers
    assert "palermo_http_request_duration_seconds_bucket" in body.decode()
    # A request that came through a proxy (a forwarding header) is never let in by address.
    assert server.get("/metrics", {**HTTPS, "X-Forwarded-For": "127.0.0.1"})[0] == 404


def test_access_and_application_lines_are_json_with_the_request_id(server: Server) -> None:
    server.get("/accounts/login/", {**HTTPS, "X-Request-ID": "trace-login-0001"})
    server.get("/no/such/page/", {**HTTPS, "X-Request-ID": "trace-missing-0002"})
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = [json.loads(line) for line in server.output().splitlines() if line.startswith("{")]
        access = {line["request_id"]: line for line in lines if line["logger"] == "gunicorn.access"}
        if "trace-missing-0002" in access:
            break
        time.sleep(0.2)
    assert access["trace-login-0001"]["status"] == 200
    assert access["trace-login-0001"]["path"] == "/accounts/login/"
    assert access["trace-missing-0002"]["status"] == 404
    django_lines = [line for line in lines if line["logger"] == "django.request"]
    assert [line["message"] for line in django_lines if line["request_id"] == "trace-missing-0002"] == [
        "Not Found: /no/such/page/"
    ]
    assert all("request_id" in line for line in lines)
