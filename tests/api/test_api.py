"""The REST API: who am I, tokens, the schema and clear refusals."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_me_gives_role_and_scopes(user_factory) -> None:
    user = user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",))
    client = APIClient()
    client.force_authenticate(user)
    body = client.get("/api/me/").json()
    assert body == {
        "username": "embassy-ro",
        "role": "embassy_officer",
        "role_label": "embassy officer",
        "all_countries": False,
        "countries": ["RO"],
        "organisation": None,
        "two_factor_required": False,
        "may_see_identifying_data": False,
    }


def test_a_manager_covers_every_country(user_factory) -> None:
    client = APIClient()
    client.force_authenticate(user_factory("manager", Role.PROGRAMME_MANAGER))
    body = client.get("/api/me/").json()
    assert (body["all_countries"], body["countries"]) == (True, [])


def test_a_token_made_by_the_command_authenticates_and_is_audited_without_its_key(user_factory) -> None:
    user_factory("manager", Role.PROGRAMME_MANAGER)
    out = StringIO()
    call_command("token", "create", "manager", stdout=out)
    key = out.getvalue().split()[-1]
    assert out.getvalue() == f"Token for manager: {key}\n" and len(key) == 40
    response = APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["username"] == "manager"
    event = AuditEvent.objects.get(action=AuditEvent.Action.TOKEN)
    assert (event.actor_username, event.detail) == ("system: palermo token create",
                                                    {"event": "created", "user": "manager"})
    assert key not in str(AuditEvent.objects.values_list("detail", flat=True))


def test_the_token_command_refuses_what_it_must_and_changes_nothing(user_factory) -> None:
    user_factory("manager", Role.PROGRAMME_MANAGER)
    user_factory("caseworker-ro", Role.CASE_WORKER, ("RO",))
    call_command("token", "create", "manager", stdout=StringIO())
    first = Token.objects.get(user__username="manager").key
    refusals = {
        ("token", "create", "manager"): "manager already has a token: revoke it, or replace it with --replace.",
        ("token", "create", "caseworker-ro"): "caseworker-ro sees identifying data: such roles use the web session "
                                              "with two factors, never a token.",
        ("token", "create", "nobody"): "No user named 'nobody'.",
        ("drf_create_token", "manager"): "drf_create_token is disabled: use `palermo token create USER` (audited).",
    }
    for args, message in refusals.items():
        with pytest.raises(CommandError) as refused:
            call_command(*args, stdout=StringIO())
        assert str(refused.value) == message
    assert list(Token.objects.values_list("key", flat=True)) == [first]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TOKEN).count() == 1
    call_command("token", "create", "manager", "--replace", stdout=StringIO())
    call_command("token", "revoke", "manager", stdout=StringIO())
    assert not Token.objects.exists()
    assert [e.detail["event"] for e in AuditEvent.objects.filter(action=AuditEvent.Action.TOKEN).order_by("seq")] == [
        "created", "replaced", "revoked"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Token", "Malformed Authorization header: expected 'Token <40 hexadecimal characters>'."),
        ("Token abc def", "Malformed Authorization header: expected 'Token <40 hexadecimal characters>'."),
        ("Token not-a-token", "Malformed token: a token is 40 hexadecimal characters."),
        ("Token " + "0" * 40, "Unknown or revoked token."),
    ],
)
def test_a_malformed_or_unknown_token_is_refused_clearly(header: str, message: str) -> None:
    response = APIClient().get("/api/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json() == {"detail": message}


def test_a_case_worker_token_is_refused(user_factory) -> None:
    from rest_framework.authtoken.models import Token

    user = user_factory("caseworker-ro", Role.CASE_WORKER, ("RO",))
    token = Token.objects.create(user=user)
    response = APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 401
    assert "not accepted for roles that see identifying data" in response.json()["detail"]


def test_the_schema_is_openapi_3_and_lists_the_endpoints(user_factory) -> None:
    client = APIClient()
    client.force_authenticate(user_factory("viewer", Role.VIEWER))
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/me/", "/api/reference/countries/"} <= set(schema["paths"])


def test_the_documentation_page_loads_its_assets_from_this_server(user_factory) -> None:
    from django.test import Client

    client = Client()
    client.force_login(user_factory("viewer", Role.VIEWER))
    html = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "https://" not in html.replace("https://swagger.io", "")
