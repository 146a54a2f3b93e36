"""The permission matrix: every page and endpoint, every role, in two countries, plus an outsider.

Each row names who may use a URL. Users of every role exist in Romania and in Serbia; a refused
request must answer like a missing page and change nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.reference.models import InstrumentStatus
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db

EVERY_ROLE = frozenset(Role)
STAFF = frozenset({Role.PROGRAMME_MANAGER})
CASE_READERS = frozenset({Role.CASE_WORKER, Role.ANALYST})
PORTFOLIO = frozenset(
    {Role.PROGRAMME_MANAGER, Role.EMBASSY_OFFICER, Role.NATIONAL_COORDINATOR, Role.IO_PARTNER, Role.AUDITOR}
)
RELEASERS = frozenset({Role.PROGRAMME_MANAGER, Role.NATIONAL_COORDINATOR, Role.ANALYST})
AGGREGATE_ONLY = EVERY_ROLE - {Role.CASE_WORKER}  # roles that see no identifying data (docs/protection.md)
AWARENESS = EVERY_ROLE - {Role.CASE_WORKER, Role.VIEWER}  # docs/awareness.md

# (url, roles allowed, status when allowed)
MATRIX: list[tuple[str, frozenset[Role], int]] = [
    ("/", EVERY_ROLE, 200),
    ("/objectives/1/", EVERY_ROLE, 200),
    ("/objectives/4/", EVERY_ROLE, 200),
    ("/reference/exploitation-forms/", EVERY_ROLE, 200),
    ("/reference/legal-frame/", EVERY_ROLE, 200),
    ("/reference/indicators/", EVERY_ROLE, 200),
    ("/partners/organisations/", EVERY_ROLE, 200),
    ("/accounts/profile/", EVERY_ROLE, 200),
    ("/accounts/approvals/", STAFF, 200),  # superusers whose status was approved (docs/security.md)
    ("/audit/", frozenset({Role.AUDITOR}), 200),
    ("/admin/", STAFF, 200),
    ("/admin/reference/instrumentstatus/", STAFF, 200),
    ("/api/me/", EVERY_ROLE, 200),
    ("/api/schema/", EVERY_ROLE, 200),
    ("/api/docs/", EVERY_ROLE, 200),
    ("/api/reference/countries/", EVERY_ROLE, 200),
    ("/api/reference/countries/RO/", EVERY_ROLE, 200),
    ("/api/reference/exploitation-forms/", EVERY_ROLE, 200),
    ("/api/reference/instrument-statuses/?country=RS", EVERY_ROLE, 200),
    ("/api/reference/indicator-lists/", EVERY_ROLE, 200),
    ("/cases/", CASE_READERS, 200),
    ("/api/cases/", CASE_READERS, 200),
    ("/cases/retention/", frozenset({Role.PROGRAMME_MANAGER, Role.AUDITOR, Role.NATIONAL_COORDINATOR,
                                     Role.CASE_WORKER, Role.ANALYST}), 200),
    ("/cases/retention/RS/", STAFF, 200),
    ("/diagnostics/", EVERY_ROLE, 200),
    ("/diagnostics/official-statistics/", EVERY_ROLE, 200),
    ("/api/official-statistics/?country=RO", EVERY_ROLE, 200),
    ("/diagnostics/releases/", RELEASERS, 200),
    ("/programme/actions/", PORTFOLIO, 200),
    ("/api/programme/actions/", EVERY_ROLE, 200),  # lists filtered by visible_to: empty outside the portfolio
    ("/programme/complementarity/", EVERY_ROLE, 200),
    ("/programme/greta/", EVERY_ROLE, 200),
    ("/steering/", PORTFOLIO, 200),
    ("/api/steering/meetings/", EVERY_ROLE, 200),  # idem
    ("/api/jobs/", EVERY_ROLE, 200),  # idem: each sees the jobs visible to them (docs/jobs.md)
    ("/screening/qualify/", EVERY_ROLE, 200),
    ("/screening/", frozenset({Role.CASE_WORKER}), 200),
    ("/referral/", frozenset({Role.CASE_WORKER}), 200),
    ("/referral/services/", EVERY_ROLE, 200),
    ("/api/screenings/", EVERY_ROLE, 200),  # lists filtered by visible_to: empty but for case workers
    ("/api/referrals/", EVERY_ROLE, 200),  # idem
    ("/api/support-entries/", EVERY_ROLE, 200),  # idem
    ("/protection/", AGGREGATE_ONLY, 200),
    ("/protection/referrals/download/?format=csv", AGGREGATE_ONLY, 200),
    ("/api/protection/", AGGREGATE_ONLY, 200),
    ("/capacity/", EVERY_ROLE, 200),
    ("/capacity/new/", frozenset({Role.PROGRAMME_MANAGER, Role.NATIONAL_COORDINATOR, Role.IO_PARTNER}), 200),
    ("/api/capacity/trainings/", EVERY_ROLE, 200),
    ("/justice/", frozenset({Role.PROGRAMME_MANAGER, Role.AUDITOR, Role.NATIONAL_COORDINATOR, Role.ANALYST,
                             Role.CASE_WORKER}), 200),  # records in each one's scope (docs/justice.md)
    ("/justice/defendants/", frozenset({Role.PROGRAMME_MANAGER, Role.AUDITOR, Role.NATIONAL_COORDINATOR,
                                        Role.ANALYST, Role.CASE_WORKER}), 200),
    ("/justice/new/", frozenset({Role.CASE_WORKER}), 200),
    ("/justice/figures/", EVERY_ROLE, 200),
    ("/justice/figures/convicted/?format=csv", EVERY_ROLE, 200),
    ("/api/justice/proceedings/", EVERY_ROLE, 200),  # lists filtered by visible_to: empty outside the readers
    ("/api/justice/figures/", EVERY_ROLE, 200),
    ("/awareness/", AWARENESS, 200),
    ("/awareness/risk/", AWARENESS, 200),
    ("/api/awareness/campaigns/", EVERY_ROLE, 200),  # filtered by visible_to: empty for the other roles
    ("/api/awareness/risk-profiles/", AWARENESS, 200),
]

ROLE_USERS = {
    Role.PROGRAMME_MANAGER: {"is_staff": True, "is_superuser": True},
}


@pytest.fixture
def users_by_role(user_factory: Callable[..., object]) -> dict[tuple[Role, str], object]:
    users = {}
    for role in Role:
        for country in ("RO", "RS"):
            users[(role, country)] = user_factory(
                f"{role.value}-{country.lower()}", role, (country,), **ROLE_USERS.get(role, {})
            )
    return users


def refused_status(url: str, signed_in: bool) -> tuple[int, ...]:
    if url.startswith("/admin/"):
        return (302,)  # the admin sends non-staff to its own login page
    if url.startswith("/api/"):
        return (403, 404) if signed_in else (401, 403)
    return (404,) if signed_in else (302,)


@pytest.mark.parametrize(("url", "allowed", "status"), MATRIX, ids=[row[0] for row in MATRIX])
def test_each_role_in_each_country_gets_what_the_matrix_says(users_by_role, url, allowed, status) -> None:
    for (role, country), user in users_by_role.items():
        client = Client()
        verified_login(client, user)
        before = AuditEvent.objects.count()
        response = client.get(url)
        if role in allowed:
            assert response.status_code == status, f"{role} in {country} should reach {url}"
        else:
            assert response.status_code in refused_status(url, True), f"{role} in {country} should not reach {url}"
            assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(("url", "allowed", "status"), MATRIX, ids=[row[0] for row in MATRIX])
def test_an_outsider_is_refused_everywhere(url, allowed, status) -> None:
    response = Client().get(url)
    assert response.status_code in refused_status(url, False)
    if response.status_code == 302 and not url.startswith("/admin/"):
        assert response["Location"].startswith("/accounts/login/")


def test_forbidden_and_missing_pages_answer_alike(users_by_role) -> None:
    client = Client()
    verified_login(client, users_by_role[(Role.VIEWER, "RO")])
    forbidden = client.get("/audit/")
    missing = client.get("/no-such-page/")
    assert forbidden.status_code == missing.status_code == 404


def test_a_refused_edit_of_reference_data_changes_nothing(users_by_role) -> None:
    status = InstrumentStatus.objects.filter(country_id="RO").first()
    assert status is not None
    clients = []
    for role in (Role.EMBASSY_OFFICER, Role.NATIONAL_COORDINATOR, Role.ANALYST, Role.VIEWER):
        client = Client()
        verified_login(client, users_by_role[(role, "RO")])
        clients.append(client)
    before = (status.status, status.note, AuditEvent.objects.count())
    for client in clients:
        response = client.post(
            f"/admin/reference/instrumentstatus/{status.pk}/change/",
            {"status": "ratified", "note": "forged", "instrument": status.instrument_id, "country": "RO"},
        )
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    status.refresh_from_db()
    assert (status.status, status.note, AuditEvent.objects.count()) == before


def test_a_refused_profile_change_by_an_outsider_changes_nothing(users_by_role) -> None:
    user = users_by_role[(Role.ANALYST, "RO")]
    response = Client().post("/accounts/profile/", {"preferred_language": "fr"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "en"


def every_route() -> list[str]:
    """Every URL the platform serves, with placeholders filled, outside admin, static and i18n."""
    from django.urls import URLPattern, URLResolver, get_resolver

    samples = {"int": "1", "str": "RO", "slug": "sample", "uuid": "00000000-0000-0000-0000-000000000001", "path": "x"}

    def walk(patterns, prefix: str) -> list[str]:
        found = []
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route.startswith(("admin/", "i18n/", "static/")):
                    continue
                found += walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                found.append(prefix + route)
        return found

    import re

    paths = set()
    for route in walk(get_resolver().url_patterns, "/"):
        if "^" in route or "(?P" in route:
            route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route).replace("^", "").replace("$", "").replace("\\", "")
            route = re.sub(r"\[[^\]]*\][+*]?", "1", route).replace("?", "")
        path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: samples.get(m.group(1) or "str", "1"), route)
        paths.add(path)
    return sorted(paths)


OPEN_ROUTES = {"/accounts/login/", "/accounts/logout/", "/i18n/setlang/"}  # the language switch serves the sign-in


def test_no_route_serves_an_outsider() -> None:
    """An outsider reaches nothing but the sign-in page, whatever the app or the method."""
    routes = every_route()
    assert len(routes) > 30
    for path in routes:
        if path in OPEN_ROUTES:
            continue
        for method in ("get", "post"):
            before = AuditEvent.objects.count()
            response = getattr(Client(), method)(path)
            if response.status_code == 302:
                assert response["Location"].startswith("/accounts/login/"), f"{method} {path}"
            else:
                assert response.status_code in (401, 403, 404, 405), f"{method} {path} -> {response.status_code}"
            assert AuditEvent.objects.count() == before, f"{method} {path} wrote an audit row"
