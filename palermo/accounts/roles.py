"""What each role may do: plain data, no database."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PROGRAMME_MANAGER = "programme_manager"
    EMBASSY_OFFICER = "embassy_officer"
    NATIONAL_COORDINATOR = "national_coordinator"
    IO_PARTNER = "io_partner"
    CASE_WORKER = "case_worker"
    ANALYST = "analyst"
    AUDITOR = "auditor"
    VIEWER = "viewer"


# Roles whose scope is every country; the others are limited to their assigned countries.
ALL_COUNTRY_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.AUDITOR, Role.VIEWER})
# Roles that need one or more countries assigned.
COUNTRY_SCOPED_ROLES = frozenset({Role.EMBASSY_OFFICER, Role.NATIONAL_COORDINATOR, Role.CASE_WORKER, Role.ANALYST})
# Roles that need an organisation.
ORGANISATION_SCOPED_ROLES = frozenset({Role.IO_PARTNER, Role.CASE_WORKER})
# Roles that may see direct identifiers of victims (once a second person approved the grant: accounts.grants).
IDENTIFYING_DATA_ROLES = frozenset({Role.CASE_WORKER})
# Roles that read pseudonymised case records (not only aggregates).
CASE_RECORD_ROLES = frozenset({Role.CASE_WORKER, Role.ANALYST})
# Roles that may release disclosure-controlled aggregates and microdata (managers: any country; others: theirs).
RELEASE_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.NATIONAL_COORDINATOR, Role.ANALYST})
# Roles that read the audit log.
AUDIT_ROLES = frozenset({Role.AUDITOR})
# Roles that administer accounts (with the admin's staff status; superusers approve access grants).
ACCOUNT_ADMIN_ROLES = frozenset({Role.PROGRAMME_MANAGER})
# Roles that sign in with a second factor: those that see identifying data, administer accounts or read the audit
# log (and any account with staff or superuser status, whatever its role: User.needs_two_factor).
TWO_FACTOR_ROLES = IDENTIFYING_DATA_ROLES | ACCOUNT_ADMIN_ROLES | AUDIT_ROLES
# Roles that may read the programme portfolio in detail (actions, money).
PORTFOLIO_ROLES = frozenset(
    {Role.PROGRAMME_MANAGER, Role.EMBASSY_OFFICER, Role.NATIONAL_COORDINATOR, Role.IO_PARTNER, Role.AUDITOR}
)
# Roles that may edit reference data (through the admin).
REFERENCE_EDITOR_ROLES = frozenset({Role.PROGRAMME_MANAGER})
# Roles that may exchange the whole portfolio with IATI (export it, import another publisher's file).
IATI_EXCHANGE_ROLES = frozenset({Role.PROGRAMME_MANAGER})
# Roles that set how long each country keeps the identity of closed cases; and those that read these policies
# (the every-country roles all of them, the others their countries').
RETENTION_POLICY_ROLES = frozenset({Role.PROGRAMME_MANAGER})
RETENTION_READER_ROLES = frozenset(
    {Role.PROGRAMME_MANAGER, Role.AUDITOR, Role.NATIONAL_COORDINATOR, Role.CASE_WORKER, Role.ANALYST}
)


def requires_two_factor(role: str) -> bool:
    return role in TWO_FACTOR_ROLES
