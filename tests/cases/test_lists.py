"""The case list: one FilterSet for the page and the API, so both answer the same question the same way."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from django.test import Client

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.cases import views
from palermo.cases.models import Case
from palermo.cases.samples import HTCDS_COLUMNS, Profile, synthetic_row
from palermo.cases.services import import_rows
from palermo.web.listing import CappedPaginator
from tests.conftest import verified_login


@pytest.fixture
def analyst(user_factory: Any, organisation_factory: Any) -> Client:
    for country in ("AL", "RS"):
        rng = random.Random(7)
        rows = [synthetic_row(rng, n, Profile(country=country, destination=country == "RS"), 2019 + n % 3,
                              row_number=n + 2) for n in range(30)]
        report = import_rows(HTCDS_COLUMNS, rows, layout="htcds",
                             source=f"list-{country}", organisation=organisation_factory(f"NGO-{country}",
                                                                                         country=country),
                             country=country, acting_user=SYSTEM.running("test"))
        assert report.ok, report.as_dict()
    client = Client()
    verified_login(client, user_factory("analyst", Role.ANALYST, ("AL", "RS")))
    return client


def page_codes(client: Client, query: str) -> set[str]:
    response = client.get("/cases/" + query)
    assert response.status_code == 200
    return {case.case_code for case in response.context["page"]}


def api_codes(client: Client, query: str) -> set[str]:
    response = client.get("/api/cases/" + query)
    assert response.status_code == 200, response.content
    return {row["case_code"] for row in response.json()["results"]}


@pytest.mark.parametrize(("query", "expected"), [
    ("?year=2020", {"year_identified": 2020}),
    ("?status=actual", {"trafficking_status": "actual"}),
    ("?form=forced_labour", {"forms": "forced_labour"}),
    ("?gender=Masculine", {"gender": "Masculine"}),
    ("?thb_form=traditional", {"thb_form": "traditional"}),
    ("?exploitation_country=al", {"country_of_exploitation": "AL"}),  # the page's name
    ("?country_of_exploitation=al", {"country_of_exploitation": "AL"}),  # the API's name
    ("?country=rs&status=possible", {"owner_country": "RS", "trafficking_status": "possible"}),
])
def test_the_page_and_the_api_list_the_same_cases_for_every_filter(analyst, query, expected) -> None:
    wanted = {code for code in Case.objects.filter(**expected).values_list("case_code", flat=True)}
    assert 0 < len(wanted) < Case.objects.count()
    assert page_codes(analyst, query) == api_codes(analyst, query) == wanted


def test_the_case_code_search_works_on_both(analyst) -> None:
    code = Case.objects.order_by("pk").values_list("case_code", flat=True).first()
    assert code is not None
    assert page_codes(analyst, f"?q={code[-6:].lower()}") == api_codes(analyst, f"?q={code[-6:]}") == {code}


def test_a_filter_that_cannot_be_read_lists_nothing_and_says_why(analyst) -> None:
    page = analyst.get("/cases/?year=1800&status=bogus")
    assert list(page.context["page"]) == []
    assert page.context["listing"].filterset.errors == {
        "year": ["Ensure this value is greater than or equal to 1990."],
        "status": ["Select a valid choice. bogus is not one of the available choices."]}
    api = analyst.get("/api/cases/?year=1800&status=bogus")
    assert (api.status_code, api.json()) == (400, {
        "year": ["Ensure this value is greater than or equal to 1990."],
        "status": ["Select a valid choice. bogus is not one of the available choices."]})


def test_a_long_list_counts_only_as_far_as_it_needs(analyst, monkeypatch) -> None:
    """Past the cap the page says "more than N" and goes on page by page; near the end the count is exact again."""
    monkeypatch.setattr(views, "COUNT_CAP", 10)  # 60 cases, 50 a page: the count reads at most the page asked for
    first = analyst.get("/cases/")
    html = first.content.decode()
    assert "<caption>More than 50 cases</caption>" in html
    assert re.search(r"Page 1\s*<a href=\"\?&amp;page=2\">Next</a>", html)
    assert len(first.context["page"]) == 50
    second = analyst.get("/cases/?page=2").content.decode()
    assert "<caption>60 cases</caption>" in second and "Page 2 of 2" in second and "Next" not in second
    analyst.cookies["django_language"] = "fr"
    assert "<caption>Plus de 50 dossiers</caption>" in analyst.get("/cases/").content.decode()
    monkeypatch.setattr(views, "COUNT_CAP", 10_000)
    analyst.cookies["django_language"] = "en"
    html = analyst.get("/cases/?status=possible").content.decode()
    possible = Case.objects.filter(trafficking_status="possible").count()
    assert f"<caption>{possible} cases</caption>" in html and "Page" not in html  # one page: no page links


@pytest.mark.parametrize(("asked", "count", "capped", "pages", "shown"), [
    (None, 31, True, 2, 1),  # the cap: 30 rows, and one more to know the list goes on
    ("2", 51, True, 3, 2),  # counted to the end of page 2, and one more
    ("3", 60, False, 3, 3),  # the page asked for lies past the cap: counted up to its end, here the whole list
    ("abc", 31, True, 2, 1),
    ("99999999999999999999999999", 60, False, 3, 3),  # no overflow: the last page, as Django's paginator does
])
def test_the_capped_paginator(analyst, asked, count, capped, pages, shown) -> None:
    paginator = CappedPaginator(Case.objects.order_by("pk"), 25, cap=30, asked=asked)
    page = paginator.get_page(asked)
    assert (paginator.count, paginator.capped, paginator.num_pages, page.number) == (count, capped, pages, shown)
    assert [case.pk for case in page] == list(Case.objects.order_by("pk").values_list("pk", flat=True)
                                              [(shown - 1) * 25:shown * 25])


def test_a_code_search_lists_in_the_same_order_as_the_list(analyst) -> None:
    """The search sorts on an expression (so that the planner filters first): the order is the list's own."""
    Case.objects.filter(pk=Case.objects.order_by("pk").values_list("pk", flat=True)[3]).update(year_identified=None)
    for sort in ("", "&sort=year", "&sort=-year"):
        listed = [case.pk for case in analyst.get(f"/cases/?page=1{sort}").context["page"]]
        searched = [case.pk for case in analyst.get(f"/cases/?q=plm-{sort}").context["page"]]
        assert len(listed) == 50 and searched == listed, sort
