"""Reference data edited in the admin: validated, and every edit audited."""

from __future__ import annotations

import pytest
from django.test import Client

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.reference.models import InstrumentStatus
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(user_factory) -> Client:
    client = Client()
    verified_login(client, user_factory("manager", Role.PROGRAMME_MANAGER, is_staff=True, is_superuser=True))
    return client


def change_url(status: InstrumentStatus) -> str:
    return f"/admin/reference/instrumentstatus/{status.pk}/change/"


def form_data(row: InstrumentStatus, **values: str) -> dict[str, str]:
    data = {
        "instrument": row.instrument_id,
        "country": row.country_id,
        "status": row.status,
        "signed_on": "",
        "ratified_on": "",
        "transposed_on": "",
        "note": row.note,
        "source": row.source,
    }
    data.update(values)
    return data


def test_an_edit_is_saved_and_audited(manager: Client) -> None:
    status = InstrumentStatus.objects.get(instrument_id="warsaw-convention", country_id="AL")
    response = manager.post(
        change_url(status),
        form_data(status, status="signed", signed_on="2005-05-22", source="Council of Europe treaty office"),
    )
    assert response.status_code == 302
    status.refresh_from_db()
    assert (status.status, str(status.signed_on)) == ("signed", "2005-05-22")
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert (event.actor_username, event.object_type, event.object_id, event.country) == (
        "manager",
        "reference.instrumentstatus",
        str(status.pk),
        "AL",
    )


def test_a_ratification_before_signature_is_refused_and_nothing_changes(manager: Client) -> None:
    status = InstrumentStatus.objects.get(instrument_id="warsaw-convention", country_id="AL")
    before = (status.status, status.signed_on, status.ratified_on, AuditEvent.objects.count())
    response = manager.post(
        change_url(status),
        form_data(status, status="ratified", signed_on="2007-01-01", ratified_on="2006-01-01", source="x"),
    )
    assert response.status_code == 200
    assert "The ratification date cannot precede the signature date." in response.content.decode()
    status.refresh_from_db()
    assert (status.status, status.signed_on, status.ratified_on, AuditEvent.objects.count()) == before


def test_dates_on_an_unknown_status_are_refused(manager: Client) -> None:
    status = InstrumentStatus.objects.get(instrument_id="palermo-protocol", country_id="RS")
    response = manager.post(change_url(status), form_data(status, status="unknown", ratified_on="2001-09-06"))
    assert "A status with dates cannot be &#x27;unknown&#x27;." in response.content.decode()
    status.refresh_from_db()
    assert status.ratified_on is None
