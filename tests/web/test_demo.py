"""`palermo demo` loads a coherent dataset, the same on every run."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.audit.services import verify_chain
from palermo.partners.models import Organisation

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    users = User.objects.order_by("username").values_list("username", "role", "organisation__short_name")
    countries = User.objects.order_by("username", "countries__code").values_list("username", "countries__code")
    organisations = Organisation.objects.order_by("name").values_list("name", "kind", "country_id")
    return [*users, *countries, *organisations]


def run_demo() -> str:
    out = StringIO()
    call_command("demo", "--only", "partners", "accounts", stdout=out)
    return out.getvalue()


def test_the_demo_is_idempotent_and_deterministic() -> None:
    output = run_demo()
    first = snapshot()
    run_demo()
    assert snapshot() == first
    assert "password: Palermo-demo-2026" in output


def test_the_demo_has_every_role_in_several_countries() -> None:
    run_demo()
    assert User.objects.get(username="manager").role == Role.PROGRAMME_MANAGER
    assert list(User.objects.get(username="embassy-ro").countries.values_list("code", flat=True)) == ["RO"]
    assert User.objects.get(username="coordinator-al").organisation.kind == Organisation.Kind.NATIONAL_COORDINATOR
    caseworker = User.objects.get(username="caseworker-rs")
    assert (caseworker.role, caseworker.organisation.short_name) == (Role.CASE_WORKER, "NGO-RS")
    assert User.objects.get(username="analyst-bg").role == Role.ANALYST
    assert User.objects.get(username="coordinator-xk").countries.get().alpha3 == "XKX"
    assert {u.role for u in User.objects.all()} == set(Role)
    assert User.objects.filter(role=Role.EMBASSY_OFFICER).count() == 11
    assert Organisation.objects.filter(kind=Organisation.Kind.EMBASSY).count() == 11
    assert User.objects.get(username="viewer").check_password("Palermo-demo-2026")


def test_the_audit_chain_of_the_demo_verifies() -> None:
    run_demo()
    assert verify_chain() is None
