"""Every response carries the Content-Security-Policy and the Permissions-Policy; no page needs an inline script."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from palermo.accounts.roles import Role
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db
# A <script> the browser would run that is not a file of the site: no src, and not a JSON data block.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def test_pages_and_the_api_carry_both_policies(client: Client, user_factory) -> None:
    verified_login(client, user_factory("manager", Role.PROGRAMME_MANAGER))
    for path in ("/", "/accounts/login/", "/api/me/", "/no-such-page/"):
        response = client.get(path)
        assert "script-src 'self';" in response["Content-Security-Policy"], path
        assert "frame-ancestors 'self'" in response["Content-Security-Policy"], path
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/", "/api/docs/", "/diagnostics/", "/programme/actions/",
                                  "/programme/complementarity/", "/programme/complementarity/timeline/",
                                  "/cases/retention/", "/protection/", "/steering/"])
def test_no_page_runs_an_inline_script_or_handler(client: Client, user_factory, path: str) -> None:
    verified_login(client, user_factory("manager", Role.PROGRAMME_MANAGER))
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    assert INLINE_SCRIPT.findall(html) == [], path
    assert INLINE_HANDLER.findall(html) == [], path


def test_the_api_documentation_starts_from_a_script_file(client: Client, user_factory) -> None:
    verified_login(client, user_factory("viewer", Role.VIEWER))
    html = client.get("/api/docs/").content.decode()
    assert 'src="/api/docs/?script="' in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content
