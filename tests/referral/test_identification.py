"""Formal identification in the referral mechanism sets the case's trafficking status, in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case, StatusChange
from palermo.cases.services import Route, create_case
from palermo.referral import services, workflow
from palermo.referral.models import Referral, ReferralStep
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(user_factory: Callable[..., Any]) -> Any:
    return user_factory("cw-ro", Role.CASE_WORKER, ("RO",))


def accepted_referral(user: Any) -> Referral:
    case = create_case(acting_user=user, case=Case(organisation=user.organisation, owner_country_id="RO"), forms=[],
                       route=Route())
    referral = services.open_referral(acting_user=user, case=case, minor=False,
                                      at=datetime(2026, 3, 1, 9, tzinfo=UTC))
    for step, day in (("referred", 2), ("accepted", 5)):
        services.record_step(acting_user=user, referral=referral, step=step, at=datetime(2026, 3, day, 9, tzinfo=UTC))
    return referral


def case_state(case_pk: int) -> tuple[str, str, date | None]:
    case = Case.objects.get(pk=case_pk)
    return case.trafficking_status, case.status_decided_by, case.status_decided_on


def case_events() -> list[dict[str, Any]]:
    return list(AuditEvent.objects.filter(object_type="cases.case", action="update").order_by("seq")
                .values_list("detail", flat=True))


def test_formal_identification_sets_the_case_status_on_the_country_day(worker: Any) -> None:
    referral = accepted_referral(worker)
    # 22:30 UTC on 28 March is already 29 March in Bucharest (UTC+2 that night)
    services.record_step(acting_user=worker, referral=referral, step="identified", decided_by="Police",
                         at=datetime(2026, 3, 28, 22, 30, tzinfo=UTC))
    assert case_state(referral.case_id) == ("actual", "Police", date(2026, 3, 29))
    change = StatusChange.objects.filter(case_id=referral.case_id).latest("pk")
    assert (change.status, change.decided_by, change.decided_on, change.source, change.recorded_by) == (
        "actual", "Police", date(2026, 3, 29), "referral", worker)
    assert case_events() == [{"case_code": referral.case.case_code, "source": "referral",
                              "fields": ["status_decided_by", "status_decided_on", "trafficking_status"]}]
    event = AuditEvent.objects.filter(object_type="cases.case", action="update").get()
    assert (event.actor_username, event.country) == ("cw-ro", "RO")


def test_not_identified_then_back_to_accepted_follow_the_decision(worker: Any) -> None:
    referral = accepted_referral(worker)
    services.record_step(acting_user=worker, referral=referral, step="not_identified", decided_by="NGO",
                         at=datetime(2026, 4, 1, 9, tzinfo=UTC))
    assert case_state(referral.case_id) == ("not_victim", "NGO", date(2026, 4, 1))
    services.record_step(acting_user=worker, referral=referral, step="identified", decided_by="CourtOrProsecution",
                         reason="the prosecutor reviewed the file", at=datetime(2026, 4, 20, 9, tzinfo=UTC))
    assert case_state(referral.case_id) == ("actual", "CourtOrProsecution", date(2026, 4, 20))
    services.record_step(acting_user=worker, referral=referral, step="accepted", reason="decision annulled on appeal",
                         at=datetime(2026, 5, 2, 9, tzinfo=UTC))
    assert case_state(referral.case_id) == ("possible", "", None)
    history = list(StatusChange.objects.filter(case_id=referral.case_id).order_by("pk").values_list("status",
                                                                                                      "source"))
    assert history == [("possible", ""), ("not_victim", "referral"), ("actual", "referral"), ("possible", "referral")]
    assert len(case_events()) == 3


def test_steps_before_the_decision_leave_the_case_alone(worker: Any) -> None:
    referral = accepted_referral(worker)
    services.record_step(acting_user=worker, referral=referral, step="refused", reason="no place in the shelter")
    assert case_state(referral.case_id) == ("possible", "", None)
    assert case_events() == []


def test_a_refused_step_changes_neither_the_referral_nor_the_case(worker: Any) -> None:
    referral = accepted_referral(worker)
    services.record_step(acting_user=worker, referral=referral, step="identified", decided_by="Police")
    before = (case_state(referral.case_id), StatusChange.objects.count(), AuditEvent.objects.count(),
              ReferralStep.objects.count())
    with pytest.raises(workflow.WorkflowError, match="is a sideways move: record the reason"):
        services.record_step(acting_user=worker, referral=referral, step="not_identified", decided_by="Police")
    after = (case_state(referral.case_id), StatusChange.objects.count(), AuditEvent.objects.count(),
             ReferralStep.objects.count())
    assert after == before
    assert Referral.objects.get().step == "identified"


def test_the_step_and_the_case_status_are_one_transaction(worker: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    referral = accepted_referral(worker)
    before = (ReferralStep.objects.count(), AuditEvent.objects.count())

    def broken(**kwargs: Any) -> bool:
        raise RuntimeError("the case could not be written")

    monkeypatch.setattr(services, "record_status_decision", broken)
    with pytest.raises(RuntimeError):
        services.record_step(acting_user=worker, referral=referral, step="identified", decided_by="Police")
    assert (ReferralStep.objects.count(), AuditEvent.objects.count()) == before
    assert Referral.objects.get().step == "accepted"
    assert case_state(referral.case_id) == ("possible", "", None)


def test_the_page_shows_the_new_status_on_the_case(client: Client, worker: Any) -> None:
    referral = accepted_referral(worker)
    verified_login(client, worker)
    client.post(f"/referral/cases/{referral.case_id}/", {"action": "step", "step": "identified",
                                                          "decided_by": "Police"})
    page = client.get(f"/cases/{referral.case_id}/").content.decode()
    assert "actual victim of trafficking (police, " in page
    french = client.get(f"/cases/{referral.case_id}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "victime avérée de la traite (police, " in french


def test_the_system_passes_the_rules_and_names_no_person(worker: Any) -> None:
    referral = accepted_referral(worker)
    services.record_step(acting_user=SYSTEM.running("demo"), referral=referral, step="identified",
                         decided_by="Police", at=datetime(2026, 3, 10, 9, tzinfo=UTC))
    assert case_state(referral.case_id) == ("actual", "Police", date(2026, 3, 10))
    assert StatusChange.objects.latest("pk").recorded_by is None
    assert AuditEvent.objects.filter(object_type="cases.case").latest("seq").actor_username == "system: demo"
