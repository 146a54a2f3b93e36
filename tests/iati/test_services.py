"""Who may exchange the portfolio with IATI, and what the audit log says about it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from palermo.accounts.access import SYSTEM
from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.iati import export, services
from palermo.programme.models import Action
from tests.iati.conftest import GENERATED

pytestmark = pytest.mark.django_db


def state() -> tuple[object, ...]:
    return (
        AuditEvent.objects.count(),
        tuple(Action.objects.order_by("iati_identifier").values_list("iati_identifier", "title_en", "is_external")),
    )


def test_a_programme_manager_imports_and_is_named_in_the_audit_row(portfolio, user_factory) -> None:
    manager = user_factory("manager", Role.PROGRAMME_MANAGER)
    data = export.export_bytes(GENERATED).replace(b"Action XM-DAC-4-TEST-THB-1<", b"Renamed action<")
    report = services.import_file(acting_user=manager, data=data, source="portfolio.xml")
    assert len(report.updated) == 4 and not report.created
    assert Action.objects.get(iati_identifier="XM-DAC-4-TEST-THB-1").title_en == "Renamed action"
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.actor_id, event.actor_username, event.action, event.object_type, event.object_id) == (
        manager.pk, "manager", AuditEvent.Action.IMPORT, "programme.iati", "portfolio.xml")


@pytest.mark.parametrize(
    ("username", "role", "countries", "active"),
    [
        ("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",), True),  # reads the portfolio, may not exchange it
        ("embassy-rs", Role.EMBASSY_OFFICER, ("RS",), True),
        ("viewer", Role.VIEWER, (), True),
        ("former-manager", Role.PROGRAMME_MANAGER, (), False),
    ],
)
def test_anyone_else_is_refused_and_nothing_changes(
    portfolio, user_factory: Callable[..., User], tmp_path: Path, username, role, countries, active
) -> None:
    user = user_factory(username, role, countries, is_active=active)
    data = export.export_bytes(GENERATED).replace(b"Action XM-DAC-4-TEST-THB-1<", b"Renamed action<")
    before = state()
    with pytest.raises(PermissionDenied):
        services.import_file(acting_user=user, data=data, source="portfolio.xml")
    with pytest.raises(PermissionDenied):
        services.export_file(acting_user=user, output=tmp_path / "out.xml")
    assert state() == before
    assert not (tmp_path / "out.xml").exists()


def test_the_commands_act_as_the_system_named_by_the_command(portfolio, tmp_path: Path) -> None:
    output = tmp_path / "portfolio.xml"
    call_command("iati", "export", "--output", str(output), "--validate", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("iati", "import", str(output), stdout=open("/dev/null", "w"))  # noqa: SIM115
    events = AuditEvent.objects.order_by("-seq")[:2]
    assert [(e.actor_id, e.actor_username, e.action, e.object_id, e.detail) for e in reversed(events)] == [
        (None, "system: palermo iati export", AuditEvent.Action.EXPORT, "portfolio.xml",
         {"activities": 5, "validated": True}),
        (None, "system: palermo iati import", AuditEvent.Action.IMPORT, "portfolio.xml",
         {"created": 0, "updated": 4, "external": 0, "programmes": ["XM-DAC-4-TEST-THB"], "organisations_created": 0,
          "warnings": 0}),
    ]


def test_an_export_that_cannot_be_written_leaves_no_audit_row(portfolio, tmp_path: Path) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(OSError):
        services.export_file(acting_user=SYSTEM, output=tmp_path / "missing-folder" / "out.xml")
    assert AuditEvent.objects.count() == before
