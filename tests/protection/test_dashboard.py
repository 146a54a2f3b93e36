"""The objective-3 dashboard: who sees it, over which countries, exact or released, on the page, in the API
and in its downloads."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import openpyxl
import pytest
from django.test import Client

from palermo.accounts.roles import Role
from palermo.assistance.services import SupportPlan, add_support
from palermo.audit.models import AuditEvent
from palermo.cases.models import Case
from palermo.cases.services import Route, create_case
from palermo.protection import measures, records
from palermo.referral import services
from palermo.referral.models import CountryNrm
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db

OPENED = datetime(2025, 3, 3, 9, tzinfo=UTC)  # 11:00 in Bucharest and 10:00 in Belgrade


@pytest.fixture
def people(user_factory: Callable[..., Any]) -> dict[str, Any]:
    """Allowed (a national coordinator in Romania), the same role in Serbia, a case worker in Romania (who sees
    identifying data, so not this page), a programme manager (every country, released figures)."""
    return {"allowed": user_factory("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",)),
            "other_country": user_factory("coordinator-rs", Role.NATIONAL_COORDINATOR, ("RS",)),
            "outsider": user_factory("cw-ro", Role.CASE_WORKER, ("RO",)),
            "manager": user_factory("manager", Role.PROGRAMME_MANAGER),
            "cw_rs": user_factory("cw-rs", Role.CASE_WORKER, ("RS",))}


def referral(worker: Any, *, referred: int | None, identified: int | None = None, minor: bool = False,
             guardian: int | None = None, gender: str = "Feminine", age: int | None = 25,
             support: tuple[str, ...] = ()) -> None:
    case = create_case(acting_user=worker, case=Case(organisation=worker.organisation,
                                                     owner_country_id=worker.countries.get().code, gender=gender,
                                                     age_at_identification=age), forms=[], route=Route())
    opened = services.open_referral(acting_user=worker, case=case, minor=minor, at=OPENED)
    if referred is not None:
        services.record_step(acting_user=worker, referral=opened, step="referred", at=OPENED + timedelta(days=referred))
    if identified is not None:
        services.record_step(acting_user=worker, referral=opened, step="accepted",
                             at=OPENED + timedelta(days=identified - 1))
        services.record_step(acting_user=worker, referral=opened, step="identified", decided_by="Police",
                             at=OPENED + timedelta(days=identified))
    if guardian is not None:
        services.appoint_guardian(acting_user=worker, referral=opened, at=OPENED + timedelta(days=guardian))
    for support_type in support:
        add_support(acting_user=worker, case=case, plan=SupportPlan(support_type=support_type,
                                                                    provider=worker.organisation,
                                                                    start_date=date(2025, 3, 10)))


@pytest.fixture
def data(people: dict[str, Any], settings: Any) -> None:
    """Romania: four referrals, referred after 1, 2, 4 and 10 days, two identified (20 and 30 days), one minor
    with a guardian on day 2 of a 3-day deadline; three persons with health support, one of them with legal aid
    too. Serbia: one referral, referred after 5 days. k = 3."""
    settings.DIAGNOSTICS_PRIVACY_RESOLUTION = 3
    CountryNrm.objects.create(country_id="RO", time_zone="Europe/Bucharest", guardian_days=3, source="test")
    worker = people["outsider"]
    referral(worker, referred=1, identified=20, minor=True, guardian=2, age=16, support=("Health", "Legal"))
    referral(worker, referred=2, identified=30, support=("Health",))
    referral(worker, referred=4, gender="Masculine", support=("Health",))
    referral(worker, referred=10, age=None)
    referral(people["cw_rs"], referred=5)


def get(client: Client, user: Any, url: str) -> Any:
    verified_login(client, user)
    return client.get(url)


def durations(response: Any) -> list[tuple[Any, ...]]:
    return [(r["country"], r["referred"], r["referral_median"], r["referral_p90"], r["identified"],
             r["identification_median"]) for r in response.json()["durations"]]


def test_the_allowed_user_gets_exact_figures_of_its_country(client: Client, people: dict[str, Any],
                                                            data: None) -> None:
    response = get(client, people["allowed"], "/api/protection/")
    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == {"countries": ["RO"], "exact": True, "k": None, "year": None, "median_minimum": 3}
    assert durations(response) == [("RO", 4, 3.0, 8.2, 2, None), ("total", 4, 3.0, 8.2, 2, None)]
    assert body["guardians"][0] == {"country": "RO", "on_time": 1, "late": 0, "overdue": 0, "pending": 0,
                                    "no_deadline": 0, "minors": 1, "share_on_time": 1.0}
    support = {(r["support_type"], r["country"]): r["persons"] for r in body["assistance"]}
    assert (support[("Health", "RO")], support[("Legal", "RO")], support[("Education", "RO")],
            support[("total", "RO")], len(support)) == (3, 1, 0, 3, 20)
    cube = {(r["country"], r["sex"], r["age_band"]): r["referrals"] for r in body["referrals"]}
    assert (cube[("RO", "female", "9-17")], cube[("RO", "female", "24-26")], cube[("RO", "male", "24-26")],
            cube[("RO", "female", "unknown")], cube[("RO", "total", "total")]) == (1, 1, 1, 1, 4)
    page = get(client, people["allowed"], "/protection/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Exact counts for your countries: Romania." in text
    assert '<th scope="row">Romania</th><td>4</td><td>3.0</td><td>8.2</td><td>2</td><td>–</td><td>–</td>' in text
    assert "Serbia" not in text
    assert [f'id="chart-{name}"' in text for name in ("durations", "guardians", "assistance", "referrals-sex",
                                                       "referrals-age")] == [True] * 5
    assert '<option value="">My scope</option>' in text


def test_the_same_role_in_another_country_sees_only_its_own(client: Client, people: dict[str, Any],
                                                             data: None) -> None:
    verified_login(client, people["other_country"])
    before = AuditEvent.objects.count()
    refused = client.get("/api/protection/?country=RO")
    assert refused.status_code == 403  # a country outside the scope is forbidden; an unknown code is a 400
    assert refused.json() == {"detail": "You see the figures of your own countries only: RS."}
    download = client.get("/protection/durations/download/?format=csv&country=RO")
    assert download.status_code == 403
    assert download.content.decode() == "You see the figures of your own countries only: RS."
    page = client.get("/protection/?country=RO")
    text = page.content.decode()
    assert "You see the figures of your own countries only: RS." in text
    assert "Romania" not in text and '<th scope="row">Serbia</th><td>1</td><td>–</td>' in text
    assert AuditEvent.objects.count() == before
    assert durations(client.get("/api/protection/")) == [("RS", 1, None, None, 0, None),
                                                          ("total", 1, None, None, 0, None)]


@pytest.mark.parametrize("url", ["/protection/", "/api/protection/", "/protection/durations/download/?format=csv"])
def test_a_role_that_sees_identifying_data_is_refused(client: Client, people: dict[str, Any], data: None,
                                                      url: str) -> None:
    verified_login(client, people["outsider"])
    before = AuditEvent.objects.count()
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("url", ["/protection/", "/protection/durations/download/?format=csv"])
def test_someone_not_signed_in_is_sent_to_sign_in(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/api/protection/").status_code in (401, 403)


def test_the_menu_links_the_dashboard_for_allowed_roles_only(client: Client, people: dict[str, Any]) -> None:
    assert 'href="/protection/"' in get(client, people["allowed"], "/").content.decode()
    assert 'href="/protection/"' not in get(client, people["outsider"], "/").content.decode()


def test_released_figures_suppress_a_small_cell_on_the_page_in_the_api_and_in_the_download(
        client: Client, people: dict[str, Any], data: None) -> None:
    manager = people["manager"]
    body = get(client, manager, "/api/protection/").json()
    assert body["scope"]["exact"] is False and body["scope"]["k"] == 3 and len(body["scope"]["countries"]) == 11
    support = {(r["support_type"], r["country"]): r["persons"] for r in body["assistance"]}
    # one person with legal aid (below k) and empty cells everywhere else: with the complementary rule, only the
    # grand total is left to release
    assert {key: value for key, value in support.items() if value is not None} == {("total", "total"): 3}
    rows = {row[0]: row for row in durations(client.get("/api/protection/"))}
    assert rows["RO"] == ("RO", 3, 3.0, 8.2, None, None)  # 4 rounded down to 3; 2 identified: suppressed
    assert rows["RS"] == ("RS", None, None, None, None, None)  # 1 referral: below k
    assert rows["total"] == ("total", 3, 4.0, 8.0, None, None)
    text = client.get("/protection/").content.decode()
    assert '<th scope="row">Serbia</th><td>–</td><td>–</td><td>–</td><td>–</td><td>–</td><td>–</td>' in text
    assert "Released figures: counts rounded down to a multiple of 3" in text
    assert '<option value="">All programme countries</option>' in text
    csv = client.get("/protection/durations/download/?format=csv")
    assert csv["Content-Disposition"] == 'attachment; filename="protection-durations.csv"'
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ("country,referred,referral_median,referral_p90,identified,identification_median,"
                        "identification_p90,exact,k")
    assert "RS,,,,,,,False,3" in lines
    assert "RO,3,3.0,8.2,,,,False,3" in lines
    assert lines[-1] == "total,3,4.0,8.0,,,,False,3"
    assistance = client.get("/protection/assistance/download/?format=csv").content.decode("utf-8-sig").splitlines()
    assert assistance[0] == "support_type,country,persons,exact,k"
    assert "Legal,RO,,False,3" in assistance and assistance[-1] == "total,total,3,False,3"


def test_the_downloads_write_the_exact_table_and_are_audited(client: Client, people: dict[str, Any],
                                                             data: None) -> None:
    user = people["allowed"]
    csv = get(client, user, "/protection/durations/download/?format=csv&year=2025")
    assert csv.content == (b"\xef\xbb\xbfcountry,referred,referral_median,referral_p90,identified,"
                           b"identification_median,identification_p90,exact,k\r\nRO,4,3.0,8.2,2,,,True,\r\ntotal,4,3.0,8.2,2,,,True,\r\n")
    xlsx = client.get("/protection/guardians/download/?format=xlsx")
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["country", "on_time", "late", "overdue", "pending", "no_deadline", "minors", "share_on_time", "exact", "k"],
        ["RO", 1, 0, 0, 0, 0, 1, 1, True, None],
        ["total", 1, 0, 0, 0, 0, 1, 1, True, None],
    ]
    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).order_by("seq")
    assert [(e.object_type, e.actor_username, e.detail["format"], e.detail["rows"]) for e in events] == [
        ("protection-durations", "coordinator-ro", "csv", 2), ("protection-guardians", "coordinator-ro", "xlsx", 2)]
    assert client.get("/protection/nothing/download/?format=csv").status_code == 404
    assert client.get("/protection/durations/download/?format=pdf").status_code == 404


def test_a_year_outside_the_data_shows_nothing_and_a_bad_year_is_named(client: Client, people: dict[str, Any],
                                                                       data: None) -> None:
    assert durations(get(client, people["allowed"], "/api/protection/?year=2024")) == [
        ("RO", 0, None, None, 0, None), ("total", 0, None, None, 0, None)]
    assert client.get("/api/protection/?year=20x5").json() == {"year": ["A year is four digits, such as 2021."]}


def test_the_page_in_french(client: Client, people: dict[str, Any], data: None) -> None:
    user = people["allowed"]
    user.preferred_language = "fr"
    user.save()
    verified_login(client, user)
    text = client.get("/protection/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Délai entre le premier contact et l’orientation, puis l’identification formelle" in text
    assert "<td>3,0</td><td>8,2</td>" in text
    assert '<tr class="total"><th scope="row">Ensemble</th><td>4</td>' in text


def test_first_contact_is_the_earliest_of_screening_date_of_identification_and_referral(
        people: dict[str, Any], data: None) -> None:
    from palermo.screening.models import Screening

    case = Case.objects.filter(owner_country_id="RS").get()
    screening = Screening.objects.create(indicator_list_id=_any_list(), organisation=case.organisation,
                                         country_id="RS", possible_victim=True, referral="nrm", case=case)
    Screening.objects.filter(pk=screening.pk).update(screened_at=OPENED - timedelta(days=3))
    (record,) = records.referral_records(["RS"])
    assert record.first_contact == OPENED - timedelta(days=3)
    assert (record.referred - record.first_contact).days == 8
    Case.objects.filter(pk=case.pk).update(identification_date=date(2025, 2, 27))
    (record,) = records.referral_records(["RS"])
    assert record.first_contact.isoformat() == "2025-02-27T00:00:00+01:00"  # the day starts in Belgrade
    assert measures.days_between(record.first_contact, record.referred, record.time_zone) == 9


def _any_list() -> int:
    from palermo.reference.models import IndicatorList

    return IndicatorList.objects.values_list("pk", flat=True).first()
