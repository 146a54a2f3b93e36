"""Who reads the audit log: the auditors, and no one else (not even programme managers)."""

from __future__ import annotations

from palermo.accounts.access import Principal, is_active_user


def may_read_audit(user: Principal) -> bool:
    return is_active_user(user) and user.is_auditor
