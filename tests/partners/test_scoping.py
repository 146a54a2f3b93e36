"""Who reads what in the directory, on the pages and through the API: three users per case (allowed; the
same role in another country; an outsider), refusals that change nothing, one filter for page and API."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.partners.models import Organisation, Partnership, Person
from palermo.programme.models import Action, ActionCountry, ActionParticipation
from tests.conftest import download_rows, verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(organisation_factory) -> dict[str, Organisation]:
    found = {
        "nc-ro": organisation_factory("NC-RO", Organisation.Kind.NATIONAL_COORDINATOR, "RO"),
        "ngo-rs": organisation_factory("NGO-RS", Organisation.Kind.NGO, "RS"),
        "iom": organisation_factory("IOM", Organisation.Kind.INTERNATIONAL_ORGANISATION),
    }
    Person.objects.create(organisation=found["nc-ro"], name="Ana Demo", email="ana@example.org")
    Partnership.objects.create(first_party=found["nc-ro"], second_party=found["ngo-rs"], title="Referral (test)")
    return found


def web(user) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_contact_people_are_for_portfolio_roles_in_every_country_and_no_one_else(user_factory, directory) -> None:
    allowed = user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",))
    other_country = user_factory("embassy-rs", Role.EMBASSY_OFFICER, ("RS",))  # people are not scoped by country
    outside_role = user_factory("analyst-ro", Role.ANALYST, ("RO",))
    url = f"/partners/organisations/{directory['nc-ro'].pk}/"
    for user in (allowed, other_country):
        assert "ana@example.org" in web(user).get(url).content.decode()
        assert [p["name"] for p in api(user).get("/api/partners/people/").json()["results"]] == ["Ana Demo"]
    page_client, api_client = web(outside_role), api(outside_role)
    before = AuditEvent.objects.count()
    page = page_client.get(url)
    assert page.status_code == 200 and "ana@example.org" not in page.content.decode()
    assert api_client.get("/api/partners/people/").json()["count"] == 0
    person = Person.objects.get()
    assert api_client.get(f"/api/partners/people/{person.pk}/").json() == {"detail": "Not found."}
    assert AuditEvent.objects.count() == before


def test_an_outsider_reads_nothing_and_changes_nothing(directory) -> None:
    before = (Organisation.objects.count(), AuditEvent.objects.count())
    for url in ("/partners/organisations/", "/partners/partnerships/", "/partners/organisations/?format=csv",
                f"/partners/organisations/{directory['iom'].pk}/"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    for url in ("/api/partners/organisations/", "/api/partners/people/", "/api/partners/partnerships/"):
        response = APIClient().get(url)
        assert (response.status_code, response.json()) == (401, {"detail": "Authentication credentials were not "
                                                                            "provided."})
    assert (Organisation.objects.count(), AuditEvent.objects.count()) == before


def test_the_directory_api_is_read_only(user_factory, directory) -> None:
    client = api(user_factory("manager", Role.PROGRAMME_MANAGER))
    before = (Organisation.objects.count(), Partnership.objects.count(), AuditEvent.objects.count())
    assert client.post("/api/partners/organisations/", {"name": "New", "kind": "ngo"}).status_code == 405
    assert client.delete(f"/api/partners/organisations/{directory['iom'].pk}/").status_code == 405
    assert client.patch(f"/api/partners/partnerships/{Partnership.objects.get().pk}/", {"title": "x"}).status_code \
        == 405
    assert (Organisation.objects.count(), Partnership.objects.count(), AuditEvent.objects.count()) == before


def test_page_and_api_filter_alike(user_factory, directory) -> None:
    viewer = user_factory("viewer", Role.VIEWER)
    for query, names in (("kind=ngo", ["NGO-RS"]), ("country=none", ["IOM"]), ("country=RO", ["NC-RO"]),
                         ("q=ngo-", ["NGO-RS"])):
        rows = download_rows(web(viewer).get(f"/partners/organisations/?{query}&format=csv"))
        assert [row["Short name"] for row in rows] == names, query
        body = api(viewer).get(f"/api/partners/organisations/?{query}").json()
        assert [result["short_name"] for result in body["results"]] == names, query


def test_a_bad_filter_is_named_on_the_page_and_refused_by_the_api(user_factory, directory) -> None:
    viewer = user_factory("viewer", Role.VIEWER)
    message = "Select a valid choice. bogus is not one of the available choices."
    page = web(viewer).get("/partners/organisations/?kind=bogus").content.decode()
    assert message in page and "0 organisations" in page and "NC-RO" not in page
    response = api(viewer).get("/api/partners/organisations/?kind=bogus")
    assert (response.status_code, response.json()) == (400, {"kind": [message]})
    page = web(viewer).get("/partners/partnerships/?status=signed").content.decode()
    assert "Select a valid choice. signed is not one of the available choices." in page
    assert "0 partnerships" in page


def test_a_download_is_audited_and_escapes_formula_cells(user_factory, organisation_factory) -> None:
    organisation_factory("=HYPERLINK(\"http://x\")", Organisation.Kind.NGO, "RO")
    organisation_factory("-5 NGO", Organisation.Kind.NGO, "RO")
    client = web(user_factory("embassy-ro", Role.EMBASSY_OFFICER, ("RO",)))
    response = client.get("/partners/organisations/?country=RO&format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="organisations.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows] == ["Short name", "'-5 NGO", "'=HYPERLINK(\"http://x\")"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.actor_username, event.object_type, event.detail) == (
        "embassy-ro", "organisations", {"format": "csv", "rows": 2, "query": "country=RO&format=csv"})
    sheet = load_workbook(io.BytesIO(client.get("/partners/organisations/?country=RO&format=xlsx").content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["'-5 NGO", "'=HYPERLINK(\"http://x\")"]


def test_an_organisation_page_lists_only_the_actions_the_reader_may_see(user_factory, directory) -> None:
    ngo = directory["ngo-rs"]
    for identifier, country in (("XM-TEST-RO", "RO"), ("XM-TEST-RS", "RS")):
        action = Action.objects.create(iati_identifier=identifier, title_en=identifier, is_external=False)
        ActionCountry.objects.create(action=action, country_id=country, percentage=100)
        ActionParticipation.objects.create(action=action, organisation=ngo, role=4)
    url = f"/partners/organisations/{ngo.pk}/"
    assert "XM-TEST-RS" in web(user_factory("manager", Role.PROGRAMME_MANAGER)).get(url).content.decode()
    page = web(user_factory("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",))).get(url).content.decode()
    assert "XM-TEST-RO" in page and "XM-TEST-RS" not in page
    viewer_page = web(user_factory("viewer", Role.VIEWER)).get(url).content.decode()
    assert "XM-TEST" not in viewer_page
    assert web(user_factory("viewer-2", Role.VIEWER)).get("/partners/organisations/999999/").status_code == 404
