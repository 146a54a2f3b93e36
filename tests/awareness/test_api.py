"""The API: campaigns scoped like the pages; risk profiles of a country with small counts hidden; both in the
OpenAPI schema; three users each."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from palermo.accounts.access import SYSTEM
from palermo.audit.models import AuditEvent
from palermo.awareness import services
from palermo.cases.models import Case
from palermo.partners.models import Organisation
from palermo.reference.models import ExploitationForm
from tests.awareness.conftest import campaign_data
from tests.conftest import verified_login
from tests.pins import pin

pytestmark = pytest.mark.django_db


def api(user: object | None) -> Client:
    client = Client()
    if user is not None:
        verified_login(client, user)  # type: ignore[arg-type]
    return client


def test_both_endpoints_are_in_the_schema(world) -> None:
    schema = api(world["users"]["manager"]).get("/api/schema/?format=json").json()
    assert "/api/awareness/campaigns/" in schema["paths"]
    assert "/api/awareness/campaigns/{id}/" in schema["paths"]
    operation = schema["paths"]["/api/awareness/risk-profiles/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"country", "year", "dims"}


def test_campaigns_for_three_users(world) -> None:
    users, campaign = world["users"], world["campaign"]
    listed = api(users["coordinator-ro"]).get("/api/awareness/campaigns/").json()["results"]
    assert [(c["id"], c["countries"], c["targets"]["sex"], c["people_reached"]) for c in listed] == [
        (campaign.pk, ["RO"], ["female"], 0)]
    assert api(users["coordinator-rs"]).get("/api/awareness/campaigns/").json()["results"] == []
    assert api(users["coordinator-rs"]).get(f"/api/awareness/campaigns/{campaign.pk}/").status_code == 404
    assert api(None).get("/api/awareness/campaigns/").status_code in (401, 403)
    assert api(users["manager"]).get("/api/awareness/campaigns/?country=RS").json()["results"] == []
    assert api(users["manager"]).get("/api/awareness/campaigns/?year=2024").json()["count"] == 1
    assert api(users["manager"]).get("/api/awareness/campaigns/?year=x").status_code == 400


def test_the_campaign_list_answers_in_a_fixed_number_of_queries(world, django_assert_num_queries) -> None:
    client = api(world["users"]["manager"])

    def grow() -> None:
        for title in ("Second", "Third"):
            services.create_campaign(acting_user=SYSTEM, data=campaign_data(world["actions"]["ro"], title=title,
                                                                             partners=[world["iom"]]))

    pin(client, "/api/awareness/campaigns/", 8, django_assert_num_queries, grow=grow)
    pin(client, "/awareness/", 7, django_assert_num_queries, grow=grow)


def make_cases(organisation: Organisation, country: str, year: int, count: int, *, gender: str, age: int,
               form: str) -> None:
    for index in range(count):
        case = Case.objects.create(case_code=f"T{country}{year % 100}{gender[:1]}{age}{form[:4]}{index}",  # at most 20
                                   organisation=organisation, owner_country_id=country, gender=gender,
                                   age_at_identification=age, year_identified=year, trafficking_status="actual")
        case.forms.add(ExploitationForm.objects.get(code=form))


def test_risk_profiles_of_romania_for_three_users(world, organisation_factory) -> None:
    ngo = organisation_factory("NGO-T", Organisation.Kind.NGO, "RO")
    make_cases(ngo, "RO", 2024, 12, gender="Feminine", age=16, form="sexual_exploitation")
    make_cases(ngo, "RO", 2023, 2, gender="Feminine", age=16, form="sexual_exploitation")
    make_cases(ngo, "RO", 2021, 9, gender="Masculine", age=30, form="forced_labour")
    make_cases(ngo, "RO", 2024, 4, gender="Masculine", age=30, form="forced_labour")
    make_cases(ngo, "RS", 2024, 20, gender="Feminine", age=16, form="sexual_exploitation")
    users = world["users"]
    before = AuditEvent.objects.exclude(action="login").count()
    answer = api(users["analyst-ro"]).get("/api/awareness/risk-profiles/?country=RO&year=2024")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["year"], body["k"], body["recent_years"], body["previous_years"]) == (
        2024, 10, [2023, 2024], [2021, 2022])
    assert [(p["rank"], p["key"], p["too_few"], p["recent"], p["previous"], p["trend"], p["gap"])
            for p in body["profiles"]] == [
        (1, "RO|sex=female|age_band=0-17|form=sexual_exploitation", False, 14, 0, "rising", True),
        (2, "RO|sex=male|age_band=25-39|form=forced_labour", True, None, None, None, False),
    ]
    assert body["profiles"][0]["interval"] == [7.6, 23.5]
    # the Romanian campaign aims at women 18-39: it does not cover girls; one aimed at them does
    services.create_campaign(acting_user=SYSTEM, data=campaign_data(
        world["actions"]["ro"], title="Girls", targets={"sex": ["female"], "age_band": ["0-17"]}))
    again = api(users["analyst-ro"]).get("/api/awareness/risk-profiles/?country=RO&year=2024").json()
    assert (again["profiles"][0]["covered"], again["profiles"][0]["gap"]) == (True, False)
    assert api(users["analyst-ro"]).get("/api/awareness/risk-profiles/?country=RS").status_code == 403
    assert api(users["viewer"]).get("/api/awareness/risk-profiles/?country=RO").status_code == 403
    assert api(None).get("/api/awareness/risk-profiles/?country=RO").status_code in (401, 403)
    assert api(users["manager"]).get("/api/awareness/risk-profiles/?dims=sex,nothing").status_code == 400
    assert AuditEvent.objects.exclude(action="login").count() == before + 1  # the campaign; reads audit nothing
    by_sex = api(users["manager"]).get("/api/awareness/risk-profiles/?country=RS&year=2024&dims=sex").json()
    assert [(p["key"], p["recent"]) for p in by_sex["profiles"]] == [("RS|sex=female", 20)]


def test_the_risk_page_and_the_planning_page_pre_fill_a_campaign(world, organisation_factory) -> None:
    ngo = organisation_factory("NGO-T", Organisation.Kind.NGO, "RO")
    make_cases(ngo, "RO", 2024, 12, gender="Feminine", age=16, form="sexual_exploitation")
    users = world["users"]
    key = "RO|sex=female|age_band=0-17|form=sexual_exploitation"
    page = api(users["coordinator-ro"]).get("/awareness/risk/?country=RO&year=2024")
    assert page.status_code == 200 and "none: a gap" in page.content.decode()
    assert api(users["coordinator-ro"]).get("/awareness/risk/?country=RS").status_code == 404
    assert api(users["viewer"]).get("/awareness/risk/").status_code == 404
    assert api(users["caseworker-ro"]).get("/awareness/risk/").status_code == 404
    plan = api(users["coordinator-ro"]).get("/awareness/plan/", {"profile": key, "year": 2024})
    assert plan.status_code == 200 and "Start a campaign for this profile" in plan.content.decode()
    assert api(users["coordinator-rs"]).get("/awareness/plan/", {"profile": key}).status_code == 404
    assert api(users["analyst-ro"]).get("/awareness/plan/", {"profile": key}).status_code == 200  # reads, no button
    form = api(users["coordinator-ro"]).get("/awareness/new/", {"profile": key, "year": 2024}).context["form"]
    assert {name: form.initial[name] for name in ("countries", "target_sexes", "target_age_bands", "target_forms",
                                                  "populations", "risks", "channels", "languages")} == {
        "countries": ["RO"], "target_sexes": ["female"], "target_age_bands": ["0-17"],
        "target_forms": ["sexual_exploitation"], "populations": ["children", "parents_teachers"],
        "risks": ["lover_boy", "online_grooming"], "channels": ["schools", "social_media"], "languages": ["ro", "en"]}
    assert api(users["analyst-ro"]).get("/awareness/new/", {"profile": key}).status_code == 404
    csv = api(users["coordinator-ro"]).get("/awareness/risk/?country=RO&year=2024&format=csv")
    assert csv.status_code == 200 and "female" in csv.content.decode("utf-8-sig")
    assert date(2024, 1, 1).year == 2024
