"""Directory pages and API lists answer in a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest
from django.test import Client

from palermo.accounts.roles import Role
from palermo.partners.models import Organisation, Partnership, Person
from palermo.programme.models import Action, ActionParticipation
from tests.conftest import verified_login
from tests.pins import pin

pytestmark = pytest.mark.django_db
SERIAL = count()


def add_rows(organisation_factory) -> Organisation:
    """Organisations in two countries and none, each with a person and partnerships both ways."""
    n = next(SERIAL)
    ro = organisation_factory(f"RO-{n}", Organisation.Kind.NGO, "RO")
    rs = organisation_factory(f"RS-{n}", Organisation.Kind.POLICE, "RS")
    io = organisation_factory(f"IO-{n}", Organisation.Kind.INTERNATIONAL_ORGANISATION)
    for organisation in (ro, rs, io):
        Person.objects.create(organisation=organisation, name=f"Contact {organisation.short_name}")
    Partnership.objects.create(first_party=ro, second_party=rs, title=f"Agreement {n}", start_date=date(2024, 1, 1))
    Partnership.objects.create(first_party=io, second_party=ro, title=f"Memorandum {n}", kind="memorandum")
    action = Action.objects.create(iati_identifier=f"XM-TEST-{n}", title_en=f"Action {n}", is_external=True)
    ActionParticipation.objects.create(action=action, organisation=ro, role=4)
    return ro


@pytest.fixture
def manager(user_factory) -> Client:
    client = Client()
    verified_login(client, user_factory("manager", Role.PROGRAMME_MANAGER))
    return client


# session, user, the manager's second factor, count, rows (with their country), the countries of the filter
@pytest.mark.parametrize(("url", "queries"), [
    ("/partners/organisations/", 6),
    ("/partners/organisations/?kind=ngo&country=RO&q=RO-", 7),  # + the country the filter names
    ("/partners/partnerships/", 5),
    ("/partners/partnerships/?status=draft&q=agreement", 5),
])
def test_the_directory_pages_take_a_fixed_number_of_queries(manager, organisation_factory, django_assert_num_queries,
                                                           url, queries) -> None:
    add_rows(organisation_factory)
    pin(manager, url, queries, django_assert_num_queries, grow=lambda: add_rows(organisation_factory))


# session, user, second factor, count, rows; then the audit row: savepoint, chain head (read, lock), insert,
# update, release
@pytest.mark.parametrize("url", ["/partners/organisations/?format=csv", "/partners/partnerships/?format=xlsx"])
def test_the_directory_downloads_take_a_fixed_number_of_queries(manager, organisation_factory,
                                                                django_assert_num_queries, url) -> None:
    add_rows(organisation_factory)
    pin(manager, url, 10, django_assert_num_queries, grow=lambda: add_rows(organisation_factory))


def test_the_organisation_page_takes_a_fixed_number_of_queries(manager, organisation_factory,
                                                               django_assert_num_queries) -> None:
    organisation = add_rows(organisation_factory)

    def more() -> None:
        other = add_rows(organisation_factory)
        Person.objects.create(organisation=organisation, name="Second contact")
        Partnership.objects.create(first_party=other, second_party=organisation, title="Another")
        action = Action.objects.create(iati_identifier=f"XM-MORE-{other.pk}", title_en="More", is_external=True)
        ActionParticipation.objects.create(action=action, organisation=organisation, role=4)

    # session, user, second factor, organisation, people, partnerships, actions
    pin(manager, f"/partners/organisations/{organisation.pk}/", 7, django_assert_num_queries, grow=more)


# session, user, the manager's second factor, count, rows; the filter's organisation or country is one more
@pytest.mark.parametrize(("url", "queries"), [
    ("/api/partners/organisations/", 5),
    ("/api/partners/organisations/?country=RS&kind=police", 6),
    ("/api/partners/people/", 5),
    ("/api/partners/partnerships/", 5),
    ("/api/partners/partnerships/?status=draft&kind=memorandum", 5),
])
def test_the_directory_api_lists_take_a_fixed_number_of_queries(manager, organisation_factory,
                                                                django_assert_num_queries, url, queries) -> None:
    add_rows(organisation_factory)
    pin(manager, url, queries, django_assert_num_queries, grow=lambda: add_rows(organisation_factory))


def test_an_api_list_outside_the_role_costs_no_query_for_rows(user_factory, organisation_factory,
                                                              django_assert_num_queries) -> None:
    add_rows(organisation_factory)
    client = Client()
    verified_login(client, user_factory("viewer", Role.VIEWER))
    body = pin(client, "/api/partners/people/", 2, django_assert_num_queries).json()  # session and user only
    assert body == {"count": 0, "next": None, "previous": None, "results": []}
