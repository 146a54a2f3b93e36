"""State changes on accounts: each one atomic, with its audit row.

- ``second_factor``: activation codes, enrolling and verifying a second factor, failed codes;
- ``approvals``: grants that wait for a second person (access to identifying data, approving power, activation
  codes), their approval or refusal, and what an administrator's save of an account sets off;
- here: the person's own preferences.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from palermo.accounts.models import User
from palermo.accounts.services.approvals import (
    ApprovalRefused,
    approve_access_change,
    approve_as_system,
    password_set_by_administrator,
    refuse_access_change,
    request_access_change,
    request_activation_code,
    sync_access_approval,
)
from palermo.accounts.services.second_factor import (
    ACTIVATION_CODE_LIFETIME,
    EnrolmentRefused,
    accept_activation_code,
    activation_in_progress,
    confirm_totp_device,
    issue_activation_code_as_system,
    pending_totp_device,
    record_second_factor_failure,
    verify_second_factor,
)
from palermo.audit.models import AuditEvent
from palermo.audit.services import record

__all__ = [
    "ACTIVATION_CODE_LIFETIME",
    "ApprovalRefused",
    "EnrolmentRefused",
    "accept_activation_code",
    "activation_in_progress",
    "approve_access_change",
    "approve_as_system",
    "confirm_totp_device",
    "issue_activation_code_as_system",
    "password_set_by_administrator",
    "pending_totp_device",
    "record_second_factor_failure",
    "refuse_access_change",
    "request_access_change",
    "request_activation_code",
    "set_preferred_language",
    "sync_access_approval",
    "verify_second_factor",
]


@transaction.atomic
def set_preferred_language(*, acting_user: User, language: str, request: HttpRequest | None = None) -> None:
    old = acting_user.preferred_language
    acting_user.preferred_language = language
    acting_user.save(update_fields=["preferred_language"])
    record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        object_type="user",
        object_id=acting_user.pk,
        detail={"preferred_language": [old, language]},
        request=request,
    )
