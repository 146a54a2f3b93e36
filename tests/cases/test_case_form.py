"""The new-case form: in sections, required fields named, an empty form refused, countries from lists, plain words;
the "minor" badge for minors only."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case
from palermo.cases.services import Route, create_case
from tests.conftest import verified_login


@pytest.fixture
def case_worker(user_factory: Any, organisation_factory: Any) -> Any:
    return user_factory("cw-rs", Role.CASE_WORKER, ("RS",), organisation=organisation_factory("NGO-RS", country="RS"))


def client_for(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    verified_login(client, user)
    return client


def test_an_empty_form_is_refused_with_the_required_fields_named_and_nothing_recorded(case_worker: Any) -> None:
    client = client_for(case_worker)
    page = client.get("/cases/new/").content.decode()
    empty = {"owner_country": "RS", "trafficking_status": "possible", "case_status": "Active", "consent": "unknown"}
    response = client.post("/cases/new/", empty)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The form is empty: nothing was recorded.", "Fill in the required fields: Date of identification, Gender."]
    assert response.context["form"].errors["gender"] == ["This field is required."]
    assert Case.objects.count() == 0 and not AuditEvent.objects.filter(object_type="cases.case").exists()
    assert 'role="alert" id="form-errors"' in response.content.decode()
    assert client.post("/cases/new/", {}).context["form"].non_field_errors()[0] == (
        "The form is empty: nothing was recorded.")
    assert "(required)" in page


def test_the_form_is_in_sections_with_countries_from_lists_and_plain_words(case_worker: Any) -> None:
    response = client_for(case_worker).get("/cases/new/")
    html = response.content.decode()
    titles = [str(title) for title, _fields in response.context["form"].sections()]
    assert titles == ["Identification", "Person", "Recruitment", "Exploitation", "Route", "Referral",
                      "Support and follow-up"]
    assert html.count("<fieldset>") == 7 and "<legend><h2>Person</h2></legend>" in html
    assert '<select name="transit_countries_0"' in html and '<select name="citizenship"' in html
    assert '<optgroup label="Programme countries">' in html and '<option value="RS">Serbia</option>' in html
    assert "ISO" not in html and "THB" not in html and "isAbduction" not in html and "extension" not in html
    assert "abduction" in html
    french = client_for(case_worker, "fr").get("/cases/new/").content.decode()
    assert "<legend><h2>Personne</h2></legend>" in french and '<option value="RS">Serbie</option>' in french
    assert "enlèvement" in french and "extension Palermo" not in french and "(obligatoire)" in french


def test_an_edited_route_keeps_its_order_and_gets_one_more_list(case_worker: Any) -> None:
    case = Case(organisation=case_worker.organisation, owner_country_id="RS", gender="Feminine", birth_date=None,
                identification_date=date(2024, 1, 1))
    create_case(acting_user=SYSTEM.running("test"), case=case, forms=[],
                route=Route(transit_countries=["TR", "GR", "MK", "RS"], exploitation_country="HR"))
    html = client_for(case_worker).get(f"/cases/{case.pk}/edit/").content.decode()
    assert '<select name="transit_countries_4"' in html and 'name="transit_countries_5"' not in html
    assert '<option value="MK" selected>' in html


@pytest.mark.parametrize(("age", "badge"), [(17, True), (18, False), (20, False)])
def test_the_minor_badge_is_for_minors_only(case_worker: Any, age: int, badge: bool) -> None:
    identified = date(2024, 6, 15)
    born = identified.replace(year=identified.year - age)  # exactly ``age`` on the day of identification
    case = Case(organisation=case_worker.organisation, owner_country_id="RS", gender="Feminine", birth_date=born,
                identification_date=identified)
    create_case(acting_user=SYSTEM.running("test"), case=case, forms=[],
                route=Route(exploitation_date=born + timedelta(days=365 * 16)))  # exploited at 16
    case.refresh_from_db()
    assert (case.age_at_identification, case.is_minor, case.minor_when_identified) == (age, True, badge)
    html = client_for(case_worker).get("/cases/").content.decode()
    assert ('<span class="badge">minor</span>' in html) is badge
