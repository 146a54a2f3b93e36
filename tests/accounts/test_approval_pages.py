"""The approval pages: who reaches them (an approver; not the same role without approving power, not an unapproved
superuser, not an outsider), what they show, in English and French; a refused request changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from palermo.accounts import services
from palermo.accounts.models import AccessChange
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from tests.accounts.helpers import client_of, decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(user_factory: Any, organisation_factory: Any) -> dict[str, Any]:
    ngo = organisation_factory("NGO-RS", country="RS")
    manager = user_factory("manager", Role.PROGRAMME_MANAGER, is_staff=True, is_superuser=True)
    worker = user_factory("caseworker-rs", Role.CASE_WORKER, ("RS",), organisation=ngo, approved=False)
    return {
        "manager": manager,
        "approver": user_factory("deputy", Role.PROGRAMME_MANAGER, is_staff=True, is_superuser=True),
        "same_role": user_factory("manager-2", Role.PROGRAMME_MANAGER, is_staff=True),  # staff, not superuser
        "unapproved": user_factory("newroot", Role.PROGRAMME_MANAGER, is_staff=True, is_superuser=True,
                                   approved=False),
        "outsider": user_factory("viewer", Role.VIEWER),
        "worker": worker,
        "request": services.request_access_change(acting_user=manager, user=worker, reason="New NGO-RS staff"),
    }


def test_the_approver_sees_what_is_asked_and_by_whom(people: dict[str, Any]) -> None:
    client = client_of(people["approver"])
    listing = client.get("/accounts/approvals/").content.decode()
    assert "1 request waiting" in listing
    assert "<td>caseworker-rs</td><td>access to identifying data or approving power</td><td>manager</td>" in listing
    page = client.get(f"/accounts/approvals/{people['request'].pk}/").content.decode()
    assert "Access request for caseworker-rs" in page
    assert "<th scope=\"row\">Role</th><td>case worker</td><td>—</td>" in page
    assert "<th scope=\"row\">Countries</th><td>Serbia</td><td>—</td>" in page
    assert "<th scope=\"row\">Organisation</th><td>Test organisation NGO-RS</td><td>—</td>" in page
    assert "New NGO-RS staff" in page and 'value="approve"' in page and 'value="refuse"' in page
    own = client_of(people["manager"]).get(f"/accounts/approvals/{people['request'].pk}/").content.decode()
    assert "You asked for this change: another administrator decides it." in own and 'value="approve"' not in own


def test_the_pages_speak_french(people: dict[str, Any]) -> None:
    client = client_of(people["approver"])
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    listing = client.get("/accounts/approvals/").content.decode()
    assert "<h1>Approbations d'accès</h1>" in listing and "1 demande en attente" in listing
    page = client.get(f"/accounts/approvals/{people['request'].pk}/").content.decode()
    assert "Demande d'accès pour caseworker-rs" in page and "<td>travailleur social</td>" in page
    assert "Serbie" in page and ">Approuver</button>" in page and ">Refuser</button>" in page


@pytest.mark.parametrize("who", ["same_role", "unapproved", "outsider"])
def test_others_get_a_missing_page_and_change_nothing(people: dict[str, Any], who: str) -> None:
    client = client_of(people[who])
    before = AuditEvent.objects.count()
    assert client.get("/accounts/approvals/").status_code == 404
    assert client.get(f"/accounts/approvals/{people['request'].pk}/").status_code == 404
    assert decide(client, people["request"], "approve").status_code == 404
    assert decide(client, people["request"], "refuse", note="no").status_code == 404
    people["request"].refresh_from_db()
    people["worker"].refresh_from_db()
    assert (people["request"].status, people["worker"].approved_access) == (AccessChange.Status.PENDING, {})
    assert AuditEvent.objects.count() == before


def test_an_anonymous_visitor_is_sent_to_sign_in(people: dict[str, Any]) -> None:
    for url in ("/accounts/approvals/", f"/accounts/approvals/{people['request'].pk}/"):
        assert Client().get(url)["Location"] == f"/accounts/login/?next={url}"
    assert Client().post(f"/accounts/approvals/{people['request'].pk}/", {"decision": "approve"}).status_code == 302
    people["request"].refresh_from_db()
    assert people["request"].status == AccessChange.Status.PENDING


def test_a_missing_request_and_an_unknown_decision(people: dict[str, Any]) -> None:
    client = client_of(people["approver"])
    assert client.get("/accounts/approvals/999999/").status_code == 404
    response = decide(client, people["request"], "maybe")
    assert response.status_code == 200 and "Choose to approve or to refuse." in response.content.decode()
    people["request"].refresh_from_db()
    assert people["request"].status == AccessChange.Status.PENDING


def test_the_approvals_link_is_in_the_menu_of_approvers_only(people: dict[str, Any]) -> None:
    def administration(client: Client) -> list[str]:
        sections = client.get("/").context["navigation"]
        return [str(link["label"]) for section in sections if section["key"] == "administration"
                for link in section["links"]]

    assert "Access approvals" in administration(client_of(people["approver"]))
    for who in ("same_role", "unapproved", "outsider"):
        assert "Access approvals" not in administration(client_of(people[who]))


def test_a_case_worker_sees_on_their_account_page_whether_their_access_is_in_effect(people: dict[str, Any],
                                                                                     user_factory: Any) -> None:
    waiting = client_of(people["worker"]).get("/accounts/profile/").content.decode()
    assert "<dt>Access to identifying data</dt><dd>waiting for a second administrator's approval</dd>" in waiting
    approved = user_factory("caseworker-al", Role.CASE_WORKER, ("AL",))
    client = client_of(approved)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    page = client.get("/accounts/profile/").content.decode()
    assert "<dt>Accès aux données identifiantes</dt><dd>en vigueur (approuvé)</dd>" in page
    assert "Access to identifying data" not in client_of(people["outsider"]).get("/accounts/profile/").content.decode()
