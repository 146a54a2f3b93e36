"""The case worker's home page: the organisation's caseload (minors first) and the next steps (referral deadlines,
open cases not referred yet); nothing of it for other roles, nor another organisation's cases."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from palermo.accounts.access import SYSTEM
from palermo.cases.models import Case
from palermo.cases.services import Route, create_case
from palermo.referral import services
from tests.conftest import verified_login


def client_for(user: Any) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def record(user: Any, *, age: int, status: str = "Active") -> Case:
    identified = date(2025, 3, 1)
    country = sorted(user.country_codes())[0]
    case = Case(organisation=user.organisation, owner_country_id=country, gender="Feminine",
                birth_date=identified.replace(year=2025 - age), identification_date=identified, case_status=status)
    return create_case(acting_user=SYSTEM.running("test"), case=case, forms=[], route=Route())


def test_the_case_workers_home_shows_the_caseload_and_the_next_steps_minors_first(people: Any) -> None:
    worker = people["allowed"]
    adult, minor, closed = record(worker, age=30), record(worker, age=16), record(worker, age=15, status="Closed")
    referred_minor = record(worker, age=17)
    services.open_referral(acting_user=SYSTEM.running("test"), case=referred_minor, minor=True,
                           at=timezone.now() - timedelta(days=40))
    record(people["other_country"], age=12)  # another organisation's case

    response = client_for(worker).get("/")
    html = response.content.decode()
    assert "<h1>Your caseload</h1>" in html
    caseload, steps = (panel["data"] for panel in response.context["panels"])
    assert caseload["counts"] == {"open": 3, "minors": 2, "possible": 3}
    assert [case.pk for case in caseload["cases"]] == [referred_minor.pk, minor.pk, adult.pk]  # not the closed one
    assert closed.case_code not in html
    assert [item.referral.case_id for item in steps["items"]] == [referred_minor.pk] * len(steps["items"])
    assert steps["items"][0].urgency == "overdue"  # the reflection period ended ten days ago
    assert [case.pk for case in steps["unreferred"]] == [minor.pk, adult.pk]
    assert (steps["unreferred_count"], steps["unreferred_minors"]) == (2, 1)
    assert f'href="/referral/cases/{minor.pk}/"' in html and "open the referral" in html


def test_other_roles_get_no_caseload(people: Any) -> None:
    record(people["allowed"], age=16)
    for name in ("outsider", "viewer"):
        response = client_for(people[name]).get("/")
        assert response.context["panels"] == [] and "<h1>Programme dashboard</h1>" in response.content.decode()
