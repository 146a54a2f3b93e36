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


def test_demo_grants_are_approved_by_the_system_and_each_second_factor_account_gets_a_code() -> None:
    import re

    from palermo.accounts.models import ActivationCode
    from tests.accounts.helpers import sign_in_and_enrol

    output = run_demo()
    codes = dict(re.findall(r"^  ([a-z0-9-]+): ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})$", output, re.M))
    assert sorted(codes) == sorted(["auditor", "deputy", "manager", *(
        f"caseworker-{code.lower()}" for code in User.objects.filter(role=Role.CASE_WORKER).values_list(
            "countries__code", flat=True))])
    caseworker = User.objects.get(username="caseworker-rs")
    assert caseworker.may_see_identifying_data and caseworker.access_approved_by_name == "system: demo"
    assert User.objects.get(username="manager").superuser_approved
    assert User.objects.get(username="deputy").superuser_approved
    assert not User.objects.get(username="viewer").needs_two_factor

    sign_in_and_enrol("caseworker-rs", codes["caseworker-rs"], password="Palermo-demo-2026")
    again = run_demo()
    assert "caseworker-rs:" not in again and "caseworker-al:" in again  # enrolled: no new code
    assert ActivationCode.objects.filter(user__username="caseworker-al", revoked_at=None).count() == 1
