"""The audit log in the database: appended in the action's transaction, verified by the command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from palermo.audit.models import AuditEvent
from palermo.audit.services import record

pytestmark = pytest.mark.django_db


def write_events(count: int) -> None:
    for number in range(count):
        record(
            actor=None,
            actor_username=f"user{number}",
            action=AuditEvent.Action.EXPORT,
            object_type="test",
            object_id=number,
            detail={"n": number, "label": "éà"},
        )


def verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_verify_passes_on_an_untouched_log() -> None:
    write_events(3)
    assert verify().strip() == "Audit chain intact: 3 rows verified."


def test_verify_names_the_first_edited_row() -> None:
    write_events(4)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_username = 'mallory' WHERE seq = 2")
    with pytest.raises(
        CommandError,
        match=r"^Audit chain broken at row 2: its content does not match its hash \(edited, or rehashed without the "
        r"audit key\)$",
    ):
        verify()


def test_verify_names_a_deleted_row() -> None:
    write_events(4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 3")
    with pytest.raises(CommandError, match=r"^Audit chain broken at row 3: row 3 is missing \(next row found is 4\)$"):
        verify()


def test_verify_detects_the_newest_row_deleted() -> None:
    write_events(4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 4")
    with pytest.raises(CommandError, match="row 3 but the chain head records row 4"):
        verify()


def test_verify_detects_an_edited_detail() -> None:
    write_events(2)
    event = AuditEvent.objects.get(seq=1)
    with connection.cursor() as cursor:
        cursor.execute("""UPDATE audit_auditevent SET detail = '{"n": 99}' WHERE seq = 1""")
    assert event.seq == 1
    with pytest.raises(CommandError, match="row 1"):
        verify()


def test_events_cannot_be_changed_or_deleted_through_the_orm() -> None:
    write_events(1)
    event = AuditEvent.objects.get()
    event.action = AuditEvent.Action.LOGIN
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(seq=1).update(action=AuditEvent.Action.LOGIN)
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().action == AuditEvent.Action.EXPORT


def test_deleting_a_user_leaves_the_rows_naming_them_as_chained(user_factory) -> None:
    from palermo.accounts.roles import Role

    user = user_factory("viewer", Role.VIEWER)
    record(actor=user, action=AuditEvent.Action.EXPORT, object_type="test")
    user_id = user.pk
    user.delete()
    assert AuditEvent.objects.get(action=AuditEvent.Action.EXPORT).actor_id == user_id
    assert verify().startswith("Audit chain intact")


def test_a_rolled_back_action_leaves_no_audit_row() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=None, actor_username="x", action=AuditEvent.Action.CREATE)
        raise RuntimeError("the action failed")
    assert AuditEvent.objects.count() == 0
    write_events(1)
    assert AuditEvent.objects.get().seq == 1
    assert verify().strip() == "Audit chain intact: 1 row verified."
