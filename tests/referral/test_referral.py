"""The referral workflow on a case, the worklist and the service directory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case
from palermo.cases.services import Route, create_case
from palermo.referral import services
from palermo.referral.models import CountryNrm, Referral, ReferralStep, Service
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


def new_case(user: Any) -> Case:
    return create_case(acting_user=user, case=Case(organisation=user.organisation, owner_country_id="RO"),
                       forms=[], route=Route())


@pytest.fixture
def romania() -> CountryNrm:
    return CountryNrm.objects.create(country_id="RO", time_zone="Europe/Bucharest", reflection_days=30,
                                     guardian_days=3, source="test settings")


def referral_events() -> int:
    return AuditEvent.objects.filter(object_type="referral.referral").count()


def test_opening_a_referral_starts_the_deadlines_in_the_country_zone(client: Client, people: dict[str, Any],
                                                                     romania: CountryNrm) -> None:
    case = new_case(people["allowed"])
    verified_login(client, people["allowed"])
    response = client.post(f"/referral/cases/{case.pk}/", {"action": "open", "minor": "yes"})
    assert response.status_code == 302
    referral = Referral.objects.get()
    local = referral.presumed_at.astimezone(ZoneInfo("Europe/Bucharest"))
    assert referral.reflection_ends.astimezone(local.tzinfo).date() == local.date() + timedelta(days=31)
    assert referral.guardian_due.astimezone(local.tzinfo).date() == local.date() + timedelta(days=4)
    assert (referral.step, referral.minor, referral.time_zone) == ("possible_victim", True, "Europe/Bucharest")
    event = AuditEvent.objects.get(object_type="referral.referral")
    assert event.detail == {"case_code": case.case_code, "step": "possible_victim", "minor": True}


def test_a_guardian_deadline_across_the_spring_clock_change(people: dict[str, Any], romania: CountryNrm) -> None:
    referral = services.open_referral(acting_user=people["allowed"], case=new_case(people["allowed"]), minor=True,
                                      at=datetime(2026, 3, 27, 21, 30, tzinfo=UTC))
    # the midnight closing 30 March, in summer time (EEST)
    assert referral.guardian_due.astimezone(UTC).isoformat() == "2026-03-30T21:00:00+00:00"
    assert referral.reflection_ends.astimezone(UTC).isoformat() == "2026-04-26T21:00:00+00:00"


def test_without_settings_the_country_zone_and_the_warsaw_minimum_apply(people: dict[str, Any]) -> None:
    referral = services.open_referral(acting_user=people["allowed"], case=new_case(people["allowed"]), minor=True,
                                      at=datetime(2026, 1, 10, 12, tzinfo=UTC))
    assert referral.time_zone == "Europe/Bucharest"
    assert referral.reflection_ends.astimezone(UTC).isoformat() == "2026-02-09T22:00:00+00:00"
    assert referral.guardian_due is None


def test_steps_go_forward_freely_and_otherwise_need_a_reason(client: Client, people: dict[str, Any],
                                                             romania: CountryNrm) -> None:
    case = new_case(people["allowed"])
    verified_login(client, people["allowed"])
    client.post(f"/referral/cases/{case.pk}/", {"action": "open", "minor": "no"})
    url = f"/referral/cases/{case.pk}/"
    assert client.post(url, {"action": "step", "step": "referred"}).status_code == 302
    before = (referral_events(), ReferralStep.objects.count())
    skipped = client.post(url, {"action": "step", "step": "identified", "decided_by": "Police"}, follow=True)
    assert "moving from referred to identified is a skip move: record the reason" in skipped.content.decode()
    assert Referral.objects.get().step == "referred"
    assert (referral_events(), ReferralStep.objects.count()) == before
    client.post(url, {"action": "step", "step": "identified", "decided_by": "Police",
                      "reason": "identified by the police at the border"})
    back = client.post(url, {"action": "step", "step": "referred"}, follow=True)
    assert "is a backwards move: record the reason" in back.content.decode()
    steps = list(ReferralStep.objects.order_by("pk").values_list("step", "kind", "reason", "decided_by"))
    assert steps == [("possible_victim", "next", "", ""), ("referred", "next", "", ""),
                     ("identified", "skip", "identified by the police at the border", "Police")]
    events = list(AuditEvent.objects.filter(object_type="referral.referral").order_by("seq").values_list("detail",
                                                                                                       flat=True))
    assert [(e["step"], e.get("move"), e.get("reason_given")) for e in events] == [
        ("possible_victim", None, None), ("referred", "next", False), ("identified", "skip", True)]
    assert all(event.actor_username == "cw-ro" for event in AuditEvent.objects.filter(
        object_type="referral.referral"))


@pytest.mark.parametrize("who", ["other_country", "outsider", "viewer"])
def test_others_cannot_see_or_move_a_referral(client: Client, people: dict[str, Any], romania: CountryNrm,
                                              who: str) -> None:
    case = new_case(people["allowed"])
    services.open_referral(acting_user=people["allowed"], case=case, minor=True)
    verified_login(client, people[who])
    before = (referral_events(), ReferralStep.objects.count(), Referral.objects.get().step)
    assert client.get(f"/referral/cases/{case.pk}/").status_code == 404
    assert client.post(f"/referral/cases/{case.pk}/", {"action": "step", "step": "referred"}).status_code == 404
    assert client.post(f"/referral/cases/{case.pk}/", {"action": "guardian"}).status_code == 404
    worklist = client.get("/referral/")
    if who == "other_country":
        assert worklist.status_code == 200 and worklist.context["items"] == []
    else:
        assert worklist.status_code == 404
    assert (referral_events(), ReferralStep.objects.count(), Referral.objects.get().step) == before
    assert Referral.objects.get().guardian_appointed_at is None


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    for url in ("/referral/", "/referral/cases/1/", "/referral/services/", "/referral/services/new/"):
        assert client.get(url).status_code == 302


def test_the_worklist_puts_overdue_then_due_soon_first_and_minors_first(
        client: Client, people: dict[str, Any], romania: CountryNrm, django_assert_num_queries: Any) -> None:
    user = people["allowed"]
    now = timezone.now()
    plan = [("adult, 40 days ago", False, 40), ("minor, 40 days ago", True, 40), ("adult, 28 days ago", False, 28),
            ("minor, 1 day ago", True, 1)]
    codes = {}
    for label, minor, days in plan:
        case = new_case(user)
        services.open_referral(acting_user=user, case=case, minor=minor, at=now - timedelta(days=days))
        codes[case.case_code] = label
    verified_login(client, user)
    with django_assert_num_queries(5):
        page = client.get("/referral/")
    order = [(codes[item.referral.case.case_code], item.urgency) for item in page.context["items"]]
    assert order == [
        ("minor, 40 days ago", "overdue"),  # guardian deadline long past
        ("minor, 40 days ago", "overdue"),  # reflection period over
        ("adult, 40 days ago", "overdue"),
        ("minor, 1 day ago", "due_soon"),  # guardian within 3 days
        ("adult, 28 days ago", "due_soon"),
        ("minor, 1 day ago", "later"),
    ]
    assert [item.what for item in page.context["items"]][:2] == [
        "guardian to appoint", "end of the recovery and reflection period"]


def test_appointing_the_guardian_clears_it_from_the_worklist(client: Client, people: dict[str, Any],
                                                             romania: CountryNrm) -> None:
    case = new_case(people["allowed"])
    services.open_referral(acting_user=people["allowed"], case=case, minor=True)
    verified_login(client, people["allowed"])
    client.post(f"/referral/cases/{case.pk}/", {"action": "guardian"})
    referral = Referral.objects.get()
    assert referral.guardian_appointed_at is not None
    assert AuditEvent.objects.filter(object_type="referral.referral").latest("seq").detail == {
        "case_code": case.case_code, "guardian_appointed": True, "on_time": True}
    assert [item.what for item in client.get("/referral/").context["items"]] == [
        "end of the recovery and reflection period"]


def test_the_case_page_links_to_its_referral(client: Client, people: dict[str, Any]) -> None:
    case = new_case(people["allowed"])
    verified_login(client, people["allowed"])
    assert f'href="/referral/cases/{case.pk}/"' in client.get(f"/cases/{case.pk}/").content.decode()


# ------------------------------------------------------------------------------------------ directory


def service_data(organisation: Any, **changes: Any) -> dict[str, Any]:
    return {"organisation": organisation.pk, "country": "RO", "service_types": ["shelter", "legal_aid"],
            "area": "Bucharest", "languages": "ro, en", "contact": "+40 21 000 0000",
            "last_verified": "2026-01-15", **changes}


def test_a_coordinator_adds_a_service_and_everyone_reads_it(client: Client, people: dict[str, Any],
                                                            organisation_factory: Callable[..., Any]) -> None:
    shelter = organisation_factory("shelter", country="RO")
    verified_login(client, people["outsider"])  # a national coordinator of Romania
    response = client.post("/referral/services/new/", service_data(shelter))
    assert response.status_code == 302
    service = Service.objects.get()
    assert (service.service_types, service.last_verified, service.recorded_by) == (
        ["shelter", "legal_aid"], date(2026, 1, 15), people["outsider"])
    assert AuditEvent.objects.filter(object_type="referral.service", action="create").count() == 1
    client.logout()
    verified_login(client, people["viewer"])
    page = client.get("/referral/services/?service_type=shelter")
    assert [row[0] for row in page.context["rows"]] == [service]
    assert client.get("/referral/services/?service_type=medical").context["rows"] == []


@pytest.mark.parametrize("who", ["other_country", "viewer"])
def test_others_cannot_add_or_confirm_a_service_in_romania(client: Client, people: dict[str, Any], who: str,
                                                           organisation_factory: Callable[..., Any]) -> None:
    shelter = organisation_factory("shelter", country="RO")
    service = services.add_service(acting_user=people["outsider"], organisation=shelter, country="RO",
                                   service_types=["shelter"], area="Iași", languages="ro", contact="x",
                                   last_verified=date(2025, 1, 1))
    verified_login(client, people[who])
    before = (Service.objects.count(), AuditEvent.objects.count())
    response = client.post("/referral/services/new/", service_data(shelter))
    assert response.status_code in (200, 404)
    assert client.post(f"/referral/services/{service.pk}/verified/").status_code == 404
    assert (Service.objects.count(), AuditEvent.objects.count()) == before
    service.refresh_from_db()
    assert service.last_verified == date(2025, 1, 1)


def test_a_stale_entry_is_flagged_and_can_be_confirmed(client: Client, people: dict[str, Any],
                                                       organisation_factory: Callable[..., Any]) -> None:
    shelter = organisation_factory("shelter", country="RO")
    old = timezone.localdate() - timedelta(days=400)
    service = services.add_service(acting_user=people["outsider"], organisation=shelter, country="RO",
                                   service_types=["medical"], area="Cluj", languages="ro, hu", contact="x",
                                   last_verified=old)
    verified_login(client, people["allowed"])
    assert "stale: verify before use" in client.get("/referral/services/").content.decode()
    client.post(f"/referral/services/{service.pk}/verified/")
    service.refresh_from_db()
    assert service.last_verified == timezone.localdate()
    assert "stale: verify before use" not in client.get("/referral/services/").content.decode()


def test_a_future_verification_date_is_refused(client: Client, people: dict[str, Any],
                                               organisation_factory: Callable[..., Any]) -> None:
    shelter = organisation_factory("shelter", country="RO")
    verified_login(client, people["outsider"])
    response = client.post("/referral/services/new/", service_data(shelter, last_verified="2999-01-01"))
    assert "The date cannot be in the future." in response.content.decode()
    assert Service.objects.count() == 0


def test_a_manager_sets_a_country_deadline_in_the_admin_audited(client: Client,
                                                                user_factory: Callable[..., Any]) -> None:
    manager = user_factory("manager", Role.PROGRAMME_MANAGER, is_staff=True, is_superuser=True)
    verified_login(client, manager)
    response = client.post("/admin/referral/countrynrm/add/", {
        "country": "RS", "time_zone": "Europe/Belgrade", "reflection_days": 90, "guardian_days": 2,
        "source": "national NRM rules"})
    assert response.status_code == 302
    assert CountryNrm.objects.get().guardian_days == 2
    assert AuditEvent.objects.filter(object_type="referral.countrynrm", action="create").count() == 1
    refused = client.post("/admin/referral/countrynrm/add/", {
        "country": "RO", "time_zone": "Europe/Atlantis", "reflection_days": 10})
    assert "unknown time zone" in refused.content.decode()
    assert CountryNrm.objects.count() == 1
