"""Organisations, people and partnerships: filters, downloads, who sees people, validation."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from openpyxl import load_workbook

from palermo.accounts.roles import Role
from palermo.partners.models import Organisation, Partnership, Person
from tests.conftest import download_rows, verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(organisation_factory):
    unodc = organisation_factory("UNODC", Organisation.Kind.INTERNATIONAL_ORGANISATION)
    Organisation.objects.filter(pk=unodc.pk).update(crs_channel_code="41128", iati_identifier="XM-DAC-41128")
    coordinator = organisation_factory("NC-RO", Organisation.Kind.NATIONAL_COORDINATOR, "RO")
    ngo = organisation_factory("NGO-RS", Organisation.Kind.NGO, "RS")
    Person.objects.create(organisation=coordinator, name="Ana Demo", function="coordinator",
                          email="ana@example.org")
    Partnership.objects.create(first_party=coordinator, second_party=ngo, title="Referral agreement (test)",
                               kind=Partnership.Kind.AGREEMENT, start_date=date(2024, 1, 1), status="in_force")
    return unodc, coordinator, ngo


def signed_in(user) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def test_the_organisation_list_filters_by_kind_country_and_search(user_factory, directory) -> None:
    client = signed_in(user_factory("viewer", Role.VIEWER))
    page = client.get("/partners/organisations/?kind=international_organisation").content.decode()
    assert "Test organisation UNODC" in page and "Test organisation NC-RO" not in page
    rows = download_rows(client.get("/partners/organisations/?country=RO&format=csv"))
    assert [(r["Short name"], r["Country"], r["Kind"]) for r in rows] == [
        ("NC-RO", "Romania", "national coordinator's office")]
    rows = download_rows(client.get("/partners/organisations/?q=41128&format=csv"))
    assert [(r["Short name"], r["CRS channel code"]) for r in rows] == [("UNODC", "41128")]
    sheet = load_workbook(io.BytesIO(client.get("/partners/organisations/?country=none&format=xlsx").content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["UNODC"]


def test_people_are_shown_to_portfolio_roles_only(user_factory, directory) -> None:
    _unodc, coordinator, _ngo = directory
    url = f"/partners/organisations/{coordinator.pk}/"
    for user in (user_factory("manager", Role.PROGRAMME_MANAGER), user_factory("embassy-rs", Role.EMBASSY_OFFICER,
                                                                                 ("RS",))):
        assert "ana@example.org" in signed_in(user).get(url).content.decode()
        assert signed_in(user).get("/api/partners/people/").json()["count"] == 1
    for user in (user_factory("viewer", Role.VIEWER), user_factory("analyst-ro", Role.ANALYST, ("RO",))):
        page = signed_in(user).get(url)
        assert page.status_code == 200 and "ana@example.org" not in page.content.decode()
        assert signed_in(user).get("/api/partners/people/").json()["count"] == 0
    assert Client().get(url).status_code == 302


def test_partnerships_are_listed_and_downloadable(user_factory, directory) -> None:
    client = signed_in(user_factory("viewer", Role.VIEWER))
    rows = download_rows(client.get("/partners/partnerships/?status=in_force&format=csv"))
    assert [(r["Title"], r["Start date"], r["Status"]) for r in rows] == [
        ("Referral agreement (test)", "2024-01-01", "in force")]
    assert client.get("/partners/partnerships/?status=expired&format=csv").content.decode().count("\n") == 1


def test_a_partnership_needs_two_parties_and_ordered_dates(directory) -> None:
    _unodc, coordinator, _ngo = directory
    partnership = Partnership(first_party=coordinator, second_party=coordinator, title="Self",
                              start_date=date(2025, 1, 1), end_date=date(2024, 1, 1), status="in_force")
    with pytest.raises(ValidationError) as caught:
        partnership.full_clean()
    assert caught.value.message_dict["second_party"] == ["A partnership needs two different organisations."]
    assert caught.value.message_dict["end_date"] == ["The end date cannot precede the start date."]
