"""Demo users of every role, named after role and country (``embassy-ro``, ``caseworker-rs``...).

The demo's grants (case workers' access to identities, the two managers' superuser status) are approved by the
system (``system: demo`` in the audit log), and every account that signs in with a second factor and has none yet
gets a one-time activation code, printed by ``palermo demo`` (a new one at each run, the earlier ones revoked).
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from palermo.accounts import services
from palermo.accounts.access import SYSTEM
from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.partners.models import Organisation
from palermo.reference.models import Country

DEMO_PASSWORD = "Palermo-demo-2026"  # noqa: S105 - printed by `palermo demo`, documented in the README

# French staff: the ministry's programme manager and France's embassies. Their demo accounts start in French; the
# others (national coordinators, NGOs, analysts, partners, auditor, viewer) in English. Set when an account is
# created, so that a later run of the demo keeps the language its user chose since.
FRENCH_SPEAKING_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.EMBASSY_OFFICER})

IO_PARTNERS = {"partner-iom": "IOM", "partner-unodc": "UNODC", "partner-osce": "OSCE", "partner-coe": "CoE"}


def demo_users() -> list[tuple[str, Role, list[str], str | None]]:
    """(username, role, country codes, organisation short name) for every demo account."""
    users: list[tuple[str, Role, list[str], str | None]] = [
        ("manager", Role.PROGRAMME_MANAGER, [], "MEAE"),
        ("deputy", Role.PROGRAMME_MANAGER, [], "MEAE"),  # the second administrator, who approves the first's grants
        ("auditor", Role.AUDITOR, [], None),
        ("viewer", Role.VIEWER, [], None),
    ]
    codes = list(Country.objects.programme().values_list("code", flat=True))
    for code in codes:
        lower = code.lower()
        users += [
            (f"embassy-{lower}", Role.EMBASSY_OFFICER, [code], f"AMB-{code}"),
            (f"coordinator-{lower}", Role.NATIONAL_COORDINATOR, [code], f"NC-{code}"),
            (f"caseworker-{lower}", Role.CASE_WORKER, [code], f"NGO-{code}"),
            (f"analyst-{lower}", Role.ANALYST, [code], None),
        ]
    users += [(name, Role.IO_PARTNER, [], short) for name, short in IO_PARTNERS.items()]
    return users


def load(log: list[str]) -> None:
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: PBKDF2 is slow on purpose
    organisations = {o.short_name: o for o in Organisation.objects.exclude(short_name="")}
    for username, role, codes, org_short in demo_users():
        user, created = User.objects.get_or_create(username=username)
        user.role = role
        user.organisation = organisations.get(org_short) if org_short else None
        user.is_staff = role == Role.PROGRAMME_MANAGER
        user.is_superuser = role == Role.PROGRAMME_MANAGER
        user.first_name = username
        if created:
            user.password = password_hash
            user.preferred_language = "fr" if role in FRENCH_SPEAKING_ROLES else "en"
        user.save()
        user.countries.set(Country.objects.filter(code__in=codes))
        services.approve_as_system(acting_user=SYSTEM.running("demo"), user=user)
    log.append(f"users: {User.objects.count()} (password for every demo user: {DEMO_PASSWORD})")
    issued = activation_codes()
    if issued:
        log.append("one-time activation codes of the second factor, valid 72 hours (each account enrols an "
                   "authenticator app with its code at its first sign-in):")
        log += [f"  {username}: {code}" for username, code in issued]


def activation_codes() -> list[tuple[str, str]]:
    """A fresh code for every demo account that signs in with a second factor and has not enrolled one."""
    names = [username for username, *_ in demo_users()]
    waiting = User.objects.filter(username__in=names).exclude(totpdevice__confirmed=True).order_by("username")
    return [(user.username, services.issue_activation_code_as_system(acting_user=SYSTEM.running("demo"), user=user))
            for user in waiting if user.needs_two_factor]
