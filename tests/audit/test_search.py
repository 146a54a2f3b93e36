"""The audit search page: auditors only, each filter, clear messages for bad input, a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from tests.conftest import verified_login
from tests.pins import pin

pytestmark = pytest.mark.django_db


def events(count: int = 1) -> None:
    for number in range(count):
        record(actor=SYSTEM.running("palermo import cases"), action=AuditEvent.Action.IMPORT, object_type="cases",
               object_id=number, country="RO")
        record(actor=None, actor_username="mallory", action=AuditEvent.Action.LOGIN_FAILED, object_type="user")
        record(actor=SYSTEM, action=AuditEvent.Action.EXPORT, object_type="organisations", country="RS")


@pytest.fixture
def auditor(user_factory) -> Client:
    client = Client()
    verified_login(client, user_factory("auditor", Role.AUDITOR))
    return client


def shown(client: Client, query: str = "") -> list[tuple[str, str, str, str]]:
    page = client.get(f"/audit/{query}").context["page"]
    return [(e.actor_username, e.action, e.object_type, e.country) for e in page]


def test_only_auditors_read_the_log_and_a_refusal_writes_nothing(user_factory, auditor) -> None:
    events()
    refused = []
    for user in (user_factory("manager", Role.PROGRAMME_MANAGER, is_staff=True, is_superuser=True),
                 user_factory("viewer", Role.VIEWER)):
        client = Client()
        verified_login(client, user)
        refused.append(client)
    before = AuditEvent.objects.count()
    for client in refused:
        assert client.get("/audit/").status_code == 404
    assert AuditEvent.objects.count() == before
    assert auditor.get("/audit/").status_code == 200
    response = Client().get("/audit/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/audit/"


def test_each_filter_narrows_the_log(auditor) -> None:
    events()
    assert shown(auditor, "?user=mall") == [("mallory", "login_failed", "user", "")]
    assert shown(auditor, "?action=import") == [("system: palermo import cases", "import", "cases", "RO")]
    assert shown(auditor, "?object_type=organisations") == [("system: system", "export", "organisations", "RS")]
    assert shown(auditor, "?country=rs") == [("system: system", "export", "organisations", "RS")]
    today = timezone.localdate()
    assert len(shown(auditor, f"?date_from={today}&date_to={today}")) >= 3
    assert shown(auditor, f"?date_from={today + timedelta(days=1)}") == []
    newest_first = [e.seq for e in auditor.get("/audit/").context["page"]]
    assert newest_first == sorted(newest_first, reverse=True)


@pytest.mark.parametrize(("query", "message"), [
    ("?country=R1", "Give a two-letter ISO country code."),
    ("?date_from=2025-02-01&date_to=2025-01-01", "The end date is before the start date."),
    ("?action=bogus", "Select a valid choice. bogus is not one of the available choices."),
    ("?date_from=yesterday", "Enter a valid date."),
])
def test_bad_input_is_named_and_lists_nothing(auditor, query, message) -> None:
    events()
    response = auditor.get(f"/audit/{query}")
    assert message in response.content.decode()
    assert list(response.context["page"]) == []


def test_the_log_pages_by_fifty(auditor) -> None:
    events(20)  # 60 rows, and the auditor's sign-in
    first = auditor.get("/audit/").context["page"]
    assert (first.paginator.count, len(first), first.number) == (61, 50, 1)
    second = auditor.get("/audit/?action=export&page=2").context["page"]
    assert (second.paginator.count, len(second), second.number) == (20, 20, 1)  # a filter of 20 has one page
    assert len(auditor.get("/audit/?page=2").context["page"]) == 11


# session, user, the auditor's second factor (django-otp's device), count, the page of events
@pytest.mark.parametrize("query", ["", "?user=mall&action=login_failed", "?country=ro&object_type=cases",
                                   "?page=2"])
def test_the_search_takes_a_fixed_number_of_queries(auditor, django_assert_num_queries, query) -> None:
    events(20)
    pin(auditor, f"/audit/{query}", 5, django_assert_num_queries, grow=lambda: events(20))
