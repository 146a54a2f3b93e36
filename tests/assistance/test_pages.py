"""Support plans on a case's referral page: add, edit, close; who may; bad input changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.assistance.models import SupportEntry
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case
from palermo.referral.models import Service
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def plan_data(shelter: Service, **changes: Any) -> dict[str, Any]:
    return {"support_type": "SocialCare", "provider": shelter.organisation_id, "service": shelter.pk,
            "start_date": "2026-03-05", "planned_end_date": "2026-09-05", "objectives": "safe accommodation",
            "action_plan": "shelter place, then a flat", **changes}


def support_events() -> list[tuple[str, dict[str, Any]]]:
    return [(e.action, e.detail) for e in AuditEvent.objects.filter(object_type="assistance.supportentry")
            .order_by("seq")]


def test_a_case_worker_adds_a_support_plan_from_the_referral_page(people: dict[str, Any], case: Case,
                                                                  shelter: Service) -> None:
    client = signed_in(people["allowed"])
    page = client.get(f"/referral/cases/{case.pk}/").content.decode()
    assert "No support plan recorded." in page and f'href="/assistance/cases/{case.pk}/new/"' in page
    response = client.post(f"/assistance/cases/{case.pk}/new/", plan_data(shelter))
    assert response.status_code == 302 and response.url == f"/referral/cases/{case.pk}/"
    entry = SupportEntry.objects.get()
    assert (entry.case, entry.organisation_id, entry.country_id, entry.support_type, entry.provider,
            entry.service, entry.start_date, entry.planned_end_date, entry.actual_end_date, entry.outcome,
            entry.objectives, entry.action_plan, entry.recorded_by) == (
        case, case.organisation_id, "RO", "SocialCare", shelter.organisation, shelter, date(2026, 3, 5),
        date(2026, 9, 5), None, "", "safe accommodation", "shelter place, then a flat", people["allowed"])
    assert support_events() == [("create", {"case_code": case.case_code, "type": "SocialCare",
                                            "provider": shelter.organisation_id, "service": shelter.pk})]
    page = client.get(f"/referral/cases/{case.pk}/").content.decode()
    assert "social care" in page and "ongoing" in page and f'href="/assistance/{entry.pk}/close/"' in page
    french = client.get(f"/referral/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Assistance\u00a0: plans de soutien" in french and "aide sociale" in french and "en cours" in french


def test_an_edit_is_audited_with_the_fields_it_changed(people: dict[str, Any], entry: SupportEntry,
                                                       shelter: Service) -> None:
    client = signed_in(people["allowed"])
    form = client.get(f"/assistance/{entry.pk}/edit/").content.decode()
    assert 'value="2026-03-05"' in form and "legal counsel for the proceedings" in form
    response = client.post(f"/assistance/{entry.pk}/edit/", plan_data(
        shelter, support_type="Legal", start_date="2026-03-05", planned_end_date="2026-07-01",
        objectives="legal counsel for the proceedings", action_plan=""))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.planned_end_date, entry.support_type) == (date(2026, 7, 1), "Legal")
    assert support_events()[-1] == ("update", {"case_code": entry.case.case_code, "type": "Legal",
                                               "provider": shelter.organisation_id, "service": shelter.pk,
                                               "fields": ["planned_end_date"]})


def test_closing_records_the_end_and_the_outcome(people: dict[str, Any], entry: SupportEntry) -> None:
    client = signed_in(people["allowed"])
    response = client.post(f"/assistance/{entry.pk}/close/", {"actual_end_date": "2026-05-30", "outcome": "met",
                                                              "outcome_note": "counsel until the hearing"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.actual_end_date, entry.outcome, entry.outcome_note, entry.closed_by) == (
        date(2026, 5, 30), "met", "counsel until the hearing", people["allowed"])
    assert support_events()[-1] == ("update", {"case_code": entry.case.case_code, "type": "Legal",
                                               "provider": entry.provider_id, "service": entry.service_id,
                                               "closed": "2026-05-30", "outcome": "met"})
    page = client.get(f"/referral/cases/{entry.case_id}/").content.decode()
    assert "objectives met" in page and f"/assistance/{entry.pk}/close/" not in page
    assert client.get(f"/assistance/{entry.pk}/close/").status_code == 404


@pytest.mark.parametrize(("changes", "message"), [
    ({"planned_end_date": "2026-03-01"}, "The planned end cannot come before the start."),
    ({"support_type": "Shelter"}, "Select a valid choice. Shelter is not one of the available choices."),
    ({"start_date": "05/03/2026x"}, "Enter a valid date."),
])
def test_bad_input_is_refused_with_its_reason_and_nothing_is_written(people: dict[str, Any], case: Case,
                                                                     shelter: Service, changes: dict[str, Any],
                                                                     message: str) -> None:
    client = signed_in(people["allowed"])
    before = AuditEvent.objects.count()
    response = client.post(f"/assistance/cases/{case.pk}/new/", plan_data(shelter, **changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert SupportEntry.objects.count() == 0 and AuditEvent.objects.count() == before


def test_a_service_of_another_organisation_is_refused_on_the_provider(people: dict[str, Any], case: Case,
                                                                      shelter: Service,
                                                                      organisation_factory: Any) -> None:
    other = organisation_factory("clinic-ro", country="RO")
    client = signed_in(people["allowed"])
    response = client.post(f"/assistance/cases/{case.pk}/new/", plan_data(shelter, provider=other.pk))
    assert response.context["form"].errors == {
        "provider": ["The provider is not the organisation of the service chosen."]}
    assert SupportEntry.objects.count() == 0


@pytest.mark.parametrize(("end", "message"), [
    ("2026-03-01", "The end cannot come before the start (2026-03-05)."),
    ((timezone.localdate() + timedelta(days=2)).isoformat(), "The end date cannot be in the future."),
])
def test_a_bad_end_date_is_refused(people: dict[str, Any], entry: SupportEntry, end: str, message: str) -> None:
    client = signed_in(people["allowed"])
    before = AuditEvent.objects.count()
    response = client.post(f"/assistance/{entry.pk}/close/", {"actual_end_date": end, "outcome": "met"})
    assert response.context["form"].errors == {"actual_end_date": [message]}
    entry.refresh_from_db()
    assert (entry.actual_end_date, entry.outcome, AuditEvent.objects.count()) == (None, "", before)


@pytest.mark.parametrize("who", ["other_country", "outsider", "viewer"])
def test_others_neither_see_nor_change_support_plans(people: dict[str, Any], entry: SupportEntry,
                                                      shelter: Service, who: str) -> None:
    client = signed_in(people[who])
    case_pk = entry.case_id
    before = (SupportEntry.objects.count(), AuditEvent.objects.count(),
              SupportEntry.objects.values_list("support_type", "planned_end_date", "actual_end_date").get())
    for url in (f"/assistance/cases/{case_pk}/new/", f"/assistance/{entry.pk}/edit/", f"/assistance/{entry.pk}/close/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/assistance/cases/{case_pk}/new/", plan_data(shelter)).status_code == 404
    assert client.post(f"/assistance/{entry.pk}/edit/", plan_data(shelter)).status_code == 404
    assert client.post(f"/assistance/{entry.pk}/close/", {"actual_end_date": "2026-04-01",
                                                          "outcome": "met"}).status_code == 404
    after = (SupportEntry.objects.count(), AuditEvent.objects.count(),
             SupportEntry.objects.values_list("support_type", "planned_end_date", "actual_end_date").get())
    assert after == before
    assert list(SupportEntry.objects.visible_to(people[who])) == []


def test_a_case_worker_of_the_same_organisation_in_another_country_is_refused(
        people: dict[str, Any], entry: SupportEntry, user_factory: Any) -> None:
    colleague = user_factory("cw-rs-same-org", Role.CASE_WORKER, ("RS",), organisation=people["allowed"].organisation)
    client = signed_in(colleague)
    assert client.get(f"/assistance/{entry.pk}/edit/").status_code == 404
    assert list(SupportEntry.objects.visible_to(colleague)) == []


def test_anonymous_visitors_are_sent_to_sign_in(entry: SupportEntry) -> None:
    for url in (f"/assistance/cases/{entry.case_id}/new/", f"/assistance/{entry.pk}/edit/",
                f"/assistance/{entry.pk}/close/"):
        response = Client().post(url, {"outcome": "met"})
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert SupportEntry.objects.get().outcome == ""


def test_an_inactive_case_worker_sees_nothing(people: dict[str, Any], entry: SupportEntry) -> None:
    user = people["allowed"]
    user.is_active = False
    user.save()
    assert list(SupportEntry.objects.visible_to(user)) == []
