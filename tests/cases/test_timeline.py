"""A case's timeline: contact, screening, referral, identification and assistance in date order, with who and
what; each reader sees what their role and organisation may see of it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client

from palermo.accounts.roles import Role
from palermo.assistance import services as assistance
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case
from palermo.reference.models import IndicatorList
from palermo.referral import services as referral
from palermo.screening import services as screening
from tests.conftest import verified_login
from tests.people import case_work_people

pytestmark = pytest.mark.django_db

POSITIVE = [
    "deceptive_recruitment/deceived_nature_of_job", "deceptive_recruitment/deceived_wages",
    "exploitative_conditions/excessive_working_hours", "exploitative_conditions/low_or_no_salary",
    "coercion_destination/confiscation_of_documents", "coercion_destination/debt_bondage",
]


def at(day: int, hour: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def people(user_factory: Callable[..., Any]) -> dict[str, Any]:
    return {**case_work_people(user_factory), "analyst": user_factory("analyst-ro", Role.ANALYST, ("RO",))}


@pytest.fixture
def story(people: dict[str, Any], organisation_factory: Callable[..., Any]) -> Case:
    """Screened on 1 March, case opened from the screening, referred, a guardian, accepted, supported,
    formally identified by the police, the support ended."""
    user = people["allowed"]
    adult_labour = IndicatorList.objects.filter(code="adult-labour").latest("pk")
    screened = screening.create_screening(acting_user=user, indicator_list=adult_labour, country="RO",
                                          ticked=POSITIVE, at=at(1, 10))
    case = screening.open_case(acting_user=user, screening=screened)
    # The case was opened five minutes after the screening, with the day of identification on record.
    Case.objects.filter(pk=case.pk).update(created_at=datetime(2026, 3, 1, 10, 5, tzinfo=UTC),
                                           identification_date=date(2026, 3, 1))
    case.refresh_from_db()
    shelter = referral.add_service(acting_user=people["outsider"],
                                   organisation=organisation_factory("shelter-ro", country="RO"), country="RO",
                                   service_types=["shelter"], area="Bucharest", languages="ro", contact="test contact",
                                   last_verified=date(2026, 1, 15))
    opened = referral.open_referral(acting_user=user, case=case, minor=True, at=at(1, 11))
    referral.record_step(acting_user=user, referral=opened, step="referred", service=shelter, at=at(3, 9))
    referral.appoint_guardian(acting_user=user, referral=opened, at=at(3, 12))
    referral.record_step(acting_user=user, referral=opened, step="accepted", at=at(5, 9))
    entry = assistance.add_support(acting_user=user, case=case, plan=assistance.SupportPlan(
        support_type="Legal", provider=shelter.organisation, service=shelter, start_date=date(2026, 3, 5)))
    referral.record_step(acting_user=user, referral=opened, step="identified", decided_by="Police", at=at(20, 13))
    assistance.close_support(acting_user=user, entry=entry, end_date=date(2026, 4, 30), outcome="met")
    return case


def rows(client: Client, case: Case, **headers: Any) -> list[tuple[str, str, str, str]]:
    response = client.get(f"/cases/{case.pk}/timeline/", **headers)
    assert response.status_code == 200
    return [(entry.when.isoformat(), entry.kind, entry.what, entry.who) for entry in response.context["entries"]]


def test_the_timeline_lists_every_stage_in_order_with_who_and_what(people: dict[str, Any], story: Case) -> None:
    client = Client()
    verified_login(client, people["allowed"])
    assert rows(client, story) == [
        ("2026-03-01T00:00:00+01:00", "contact",
         "Identified as a possible victim: the date of identification on the case", ""),
        ("2026-03-01T10:00:00+00:00", "screening",
         "Indicator screening with Adult victims of trafficking for labour exploitation (version 2009): possible "
         "victim. Refer to the national referral mechanism as a presumed victim: offer assistance and a recovery and "
         "reflection period of at least 30 days; formal identification follows.", "cw-ro"),
        ("2026-03-01T10:05:00+00:00", "contact", "Case recorded", "cw-ro"),
        ("2026-03-01T11:00:00+00:00", "referral", "Referral step: possible victim", "cw-ro"),
        ("2026-03-03T09:00:00+00:00", "referral",
         "Referral step: referred — referred to Test organisation shelter-ro", "cw-ro"),
        ("2026-03-03T12:00:00+00:00", "referral", "Guardian appointed", ""),
        ("2026-03-05T09:00:00+00:00", "referral", "Referral step: accepted", "cw-ro"),
        ("2026-03-05T23:59:59+01:00", "assistance",
         "Support started: legal, by Test organisation shelter-ro", "cw-ro"),
        ("2026-03-20T13:00:00+00:00", "identification",
         "Referral step: formally identified — decided by police", "cw-ro"),
        ("2026-03-20T23:59:59+01:00", "identification",
         "Trafficking status: actual victim of trafficking — decided by police (from the referral mechanism)",
         "cw-ro"),
        ("2026-04-30T23:59:59+02:00", "assistance",
         "Support ended: legal, by Test organisation shelter-ro — objectives met", "cw-ro"),
    ]


def test_the_timeline_page_is_in_french_too(people: dict[str, Any], story: Case) -> None:
    client = Client()
    verified_login(client, people["allowed"])
    page = client.get(f"/cases/{story.pk}/timeline/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Chronologie du dossier" in page
    assert "Étape d&#x27;orientation\u00a0: formellement identifiée — décidé par\u00a0: police" in page or \
        "Étape d'orientation\u00a0: formellement identifiée — décidé par\u00a0: police" in page
    assert "Fin du soutien\u00a0: aide juridique" in page
    english = client.get(f"/cases/{story.pk}/").content.decode()
    assert f'href="/cases/{story.pk}/timeline/"' in english


def test_an_analyst_sees_the_case_events_only(people: dict[str, Any], story: Case) -> None:
    client = Client()
    verified_login(client, people["analyst"])
    assert [(kind, what) for _, kind, what, _ in rows(client, story)] == [
        ("contact", "Identified as a possible victim: the date of identification on the case"),
        ("contact", "Case recorded"),
        ("identification",
         "Trafficking status: actual victim of trafficking — decided by police (from the referral mechanism)"),
    ]


@pytest.mark.parametrize("who", ["other_country", "outsider", "viewer"])
def test_others_get_no_timeline_and_nothing_is_written(people: dict[str, Any], story: Case, who: str) -> None:
    client = Client()
    verified_login(client, people[who])
    before = AuditEvent.objects.count()
    assert client.get(f"/cases/{story.pk}/timeline/").status_code == 404
    assert AuditEvent.objects.count() == before


def test_reading_the_timeline_is_not_audited_like_the_case_page(people: dict[str, Any], story: Case) -> None:
    client = Client()
    verified_login(client, people["allowed"])
    before = AuditEvent.objects.count()
    client.get(f"/cases/{story.pk}/")
    client.get(f"/cases/{story.pk}/timeline/")
    assert AuditEvent.objects.count() == before


def test_an_anonymous_visitor_is_sent_to_sign_in(story: Case) -> None:
    response = Client().get(f"/cases/{story.pk}/timeline/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_timeline_costs_the_same_queries_whatever_its_length(people: dict[str, Any], story: Case,
                                                                 django_assert_num_queries: Any) -> None:
    from tests.pins import pin

    user = people["allowed"]
    client = Client()
    verified_login(client, user)
    client.get(f"/cases/{story.pk}/timeline/")
    provider = story.support_entries.get().provider

    def grow() -> None:
        for day in range(1, 4):
            entry = assistance.add_support(acting_user=user, case=story, plan=assistance.SupportPlan(
                support_type="Health", provider=provider, start_date=date(2026, 5, day)))
            assistance.close_support(acting_user=user, entry=entry, end_date=date(2026, 6, day), outcome="met")
            referral.record_step(acting_user=user, referral=story.referral,
                                 step="not_identified" if day % 2 else "identified", decided_by="NGO",
                                 reason="reviewed again", at=at(day, 9, month=7))

    # session, user, second factor, countries; the case; its status history; screenings; referral, its steps;
    # support plans; criminal proceedings (their decisions once there are some)
    response = pin(client, f"/cases/{story.pk}/timeline/", 11, django_assert_num_queries, grow=grow)
    assert len(response.context["entries"]) == 23  # 11, six support events, three steps and their status changes
