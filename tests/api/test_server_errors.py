"""The server errors issue 16 named, each pinned: they answer as the schema says, never 500.

``/api/cases/?country=AL`` and any ``?country_of_exploitation=`` answered 500 (``iexact`` on a foreign key);
``POST /api/steering/decisions/`` with a well-formed body and no due date answered 500 (an AttributeError);
huge ``limit`` values are in ``test_limits.py``. The property-based run of the whole schema is
``test_schema_fuzz.py``.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case
from palermo.cases.samples import HTCDS_COLUMNS, Profile, synthetic_row
from palermo.cases.services import import_rows
from palermo.steering import services
from palermo.steering.models import Decision

pytestmark = pytest.mark.django_db


def token_client(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def analyst(user_factory: Any, organisation_factory: Any) -> APIClient:
    """An analyst of Albania and Serbia; 12 Albanian cases, exploited in Albania, and 12 Serbian ones."""
    for country in ("AL", "RS"):
        rng = random.Random(16)
        rows = [synthetic_row(rng, n, Profile(country=country, destination=True), 2021, row_number=n + 2)
                for n in range(12)]
        report = import_rows(HTCDS_COLUMNS, rows, layout="htcds", source=f"errors-{country}",
                             organisation=organisation_factory(f"NGO-{country}", country=country), country=country,
                             acting_user=SYSTEM.running("test"))
        assert report.ok, report.as_dict()
    return token_client(user_factory("analyst", Role.ANALYST, ("AL", "RS")))


def codes(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["case_code"] for row in response.json()["results"]}


def test_the_case_list_filters_by_owning_country_in_any_case(analyst: APIClient) -> None:
    albanian = set(Case.objects.filter(owner_country="AL").values_list("case_code", flat=True))
    assert len(albanian) == 12
    assert codes(analyst.get("/api/cases/?country=AL")) == albanian
    assert codes(analyst.get("/api/cases/?country=al")) == albanian
    assert codes(analyst.get("/api/cases/?country=XK")) == set()


def test_the_case_list_filters_by_country_of_exploitation_empty_or_not(analyst: APIClient) -> None:
    exploited_in_serbia = set(Case.objects.filter(country_of_exploitation="RS").values_list("case_code", flat=True))
    assert 0 < len(exploited_in_serbia) < Case.objects.count()
    assert codes(analyst.get("/api/cases/?country_of_exploitation=RS")) == exploited_in_serbia
    assert codes(analyst.get("/api/cases/?country_of_exploitation=rs")) == exploited_in_serbia
    every = set(Case.objects.values_list("case_code", flat=True))
    assert codes(analyst.get("/api/cases/?country_of_exploitation=")) == every
    assert codes(analyst.get("/api/cases/?country=")) == every


def test_a_decision_without_due_date_or_actions_is_recorded(user_factory: Any) -> None:
    meeting = services.create_meeting(acting_user=SYSTEM, year=2026, date=date(2027, 2, 1), place="Tirana")
    manager = token_client(user_factory("manager", Role.PROGRAMME_MANAGER))
    audited = AuditEvent.objects.count()
    body = {"meeting": 2026, "owner": "Regional adviser", "text_en": "Fund a shelter.", "text_fr": "Financer un abri."}
    response = manager.post("/api/steering/decisions/", body, format="json")
    assert response.status_code == 201, response.content
    decision = Decision.objects.get()
    assert response.json() == {"id": decision.pk, "meeting": 2026, "text_en": "Fund a shelter.",
                               "text_fr": "Financer un abri.", "actions": [], "owner": "Regional adviser",
                               "due_date": None}
    assert (decision.meeting, decision.due_date, list(decision.actions.all())) == (meeting, None, [])
    assert AuditEvent.objects.count() == audited + 1
