"""Justice pages: who reads and records what (three users each), every write audited, bad input changes nothing,
French and English."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from palermo.audit.models import AuditEvent
from palermo.cases.models import Case
from palermo.justice import services
from palermo.justice.models import Decision, Defendant, Proceeding, VictimParticipation
from tests.conftest import download_rows, verified_login

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def events(kind: str) -> list[tuple[str, dict[str, Any]]]:
    return [(e.action, e.detail) for e in AuditEvent.objects.filter(object_type=kind).order_by("seq")]


def state() -> tuple[Any, ...]:
    return (list(Proceeding.objects.values()), list(Decision.objects.values()), list(Defendant.objects.values()),
            list(VictimParticipation.objects.values()), AuditEvent.objects.exclude(action="export").count())


def test_a_case_worker_records_a_proceeding_with_a_new_defendant(people: dict[str, Any], case: Case) -> None:
    client = signed_in(people["allowed"])
    response = client.post("/justice/new/", {
        "country": "RO", "reference": "DIICOT-17/2024", "sex": "female", "birth_year": "1975",
        "investigation_opened": "2024-01-15", "prosecuted_on": "2024-09-01", "offences": ["thb", "documents"],
        "thb_article": "Art. 210 CP", "file_number": "17/2024"})
    assert response.status_code == 302
    proceeding = Proceeding.objects.get()
    assert response.url == f"/justice/{proceeding.pk}/"
    assert (proceeding.country_id, proceeding.organisation, proceeding.defendant.reference, proceeding.thb_charged,
            proceeding.outcome) == ("RO", people["allowed"].organisation, "DIICOT-17/2024", True, "pending")
    assert sorted(proceeding.charges.values_list("offence", "article")) == [("documents", ""),
                                                                              ("thb", "Art. 210 CP")]
    assert [a for a, _d in events("justice.defendant")] == ["create"]
    assert events("justice.proceeding") == [("create", {
        "defendant": proceeding.defendant_id, "file_number": "17/2024", "charges": ["documents", "thb"],
        "investigation_opened": "2024-01-15", "prosecuted_on": "2024-09-01"})]
    # a decision and a victim, from the proceeding's page
    assert client.post(f"/justice/{proceeding.pk}/decisions/", {
        "instance": "first_instance", "decided_on": "2025-03-01", "outcome": "convicted", "convicted_of_thb": "on",
        "sentence_months": "60", "confiscation_ordered": "15000"}).status_code == 302
    assert client.post(f"/justice/{proceeding.pk}/victims/", {
        "case_code": case.case_code, "testified": "on", "protected_witness": "on", "compensation_ordered": "5000",
        "compensation_paid": "1200"}).status_code == 302
    proceeding.refresh_from_db()
    assert (proceeding.outcome, proceeding.first_verdict_on) == ("convicted", date(2025, 3, 1))
    assert [a for a, _d in events("justice.decision")] == ["create"]
    assert events("justice.victimparticipation")[0][1]["case_code"] == case.case_code
    page = client.get(f"/justice/{proceeding.pk}/").content.decode()
    assert "DIICOT-17/2024" in page and case.case_code in page and "trafficking in human beings" in page
    french = client.get(f"/justice/{proceeding.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "traite des êtres humains" in french and "Décisions de justice" in french and "01/03/2025" in french


def test_an_appeal_without_a_first_instance_is_refused_and_changes_nothing(people: dict[str, Any],
                                                                           proceeding: Proceeding) -> None:
    client = signed_in(people["allowed"])
    before = state()
    response = client.post(f"/justice/{proceeding.pk}/decisions/", {
        "instance": "appeal", "decided_on": "2022-03-01", "outcome": "convicted", "convicted_of_thb": "on"},
        follow=True)
    assert "An appeal follows a first-instance decision" in response.content.decode()
    response = client.post(f"/justice/{proceeding.pk}/decisions/", {
        "instance": "first_instance", "decided_on": "2020-03-01", "outcome": "acquitted"}, follow=True)
    assert "A decision cannot come before the investigation opened" in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("who", ["other_country", "outsider", "viewer"])
def test_records_of_another_country_are_invisible(people: dict[str, Any], proceeding: Proceeding, who: str) -> None:
    client = signed_in(people[who])
    before = state()
    for url in (f"/justice/{proceeding.pk}/", f"/justice/{proceeding.pk}/edit/",
                f"/justice/defendants/{proceeding.defendant_id}/edit/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/justice/{proceeding.pk}/decisions/", {
        "instance": "first_instance", "decided_on": "2022-03-01", "outcome": "acquitted"}).status_code == 404
    assert client.post(f"/justice/{proceeding.pk}/edit/", {"investigation_opened": "2020-01-01"}).status_code == 404
    part = proceeding.victims.get()
    assert client.post(f"/justice/victims/{part.pk}/remove/").status_code == 404
    listing = client.get("/justice/?country=")
    if who == "other_country":
        assert listing.status_code == 200 and "RO-D-1" not in listing.content.decode()
        assert client.get("/justice/new/").status_code == 200
    else:
        assert listing.status_code == 404 and client.get("/justice/new/").status_code == 404
    assert state() == before


def test_readers_read_their_countries_and_write_nothing(people: dict[str, Any], proceeding: Proceeding) -> None:
    analyst, coordinator_rs, manager = (signed_in(people[n]) for n in ("analyst", "coordinator_rs", "manager"))
    assert analyst.get(f"/justice/{proceeding.pk}/").status_code == 200
    assert manager.get(f"/justice/{proceeding.pk}/").status_code == 200
    assert coordinator_rs.get(f"/justice/{proceeding.pk}/").status_code == 404
    before = state()
    assert analyst.get(f"/justice/{proceeding.pk}/edit/").status_code == 404
    assert analyst.post(f"/justice/{proceeding.pk}/decisions/", {
        "instance": "first_instance", "decided_on": "2022-03-01", "outcome": "acquitted"}).status_code == 404
    assert state() == before
    # the victim's case record is named only to those who read it
    page = analyst.get(f"/justice/{proceeding.pk}/").content.decode()
    assert proceeding.victims.get().case.case_code in page
    page = manager.get(f"/justice/{proceeding.pk}/").content.decode()
    assert proceeding.victims.get().case.case_code not in page and "a case record of another organisation" in page


def test_the_list_downloads_in_the_readers_language(people: dict[str, Any], proceeding: Proceeding) -> None:
    client = signed_in(people["allowed"])
    rows = download_rows(client.get("/justice/?format=csv"))
    assert [(r["Country"], r["Defendant"], r["Charged with trafficking"], r["Outcome"], r["Victims"])
            for r in rows] == [("Romania", "RO-D-1", "yes", "pending", "1")]
    french = download_rows(client.get("/justice/?format=csv", HTTP_ACCEPT_LANGUAGE="fr"))
    assert french[0]["Pays"] == "Roumanie" and french[0]["Résultat"] == "en cours"
    assert AuditEvent.objects.filter(action="export", object_type="justice-proceedings").count() == 2
    defendants = download_rows(client.get("/justice/defendants/?format=csv"))
    assert [(r["Reference"], r["Sex"], r["Proceedings"]) for r in defendants] == [("RO-D-1", "male", "1")]


def test_an_edit_and_a_defendant_link_are_audited(people: dict[str, Any], proceeding: Proceeding,
                                                  case: Case) -> None:
    client = signed_in(people["allowed"])
    response = client.post(f"/justice/{proceeding.pk}/edit/", {
        "investigation_opened": "2021-01-10", "prosecuted_on": "2021-07-01", "offences": ["thb"],
        "thb_article": "Art. 210", "file_number": "123/2021"})
    assert response.status_code == 302
    assert events("justice.proceeding")[-1][1]["fields"] == ["charges", "prosecuted_on"]
    perpetrator = case.perpetrators.get()
    response = client.post(f"/justice/defendants/{proceeding.defendant_id}/edit/", {
        "reference": "RO-D-1", "sex": "male", "birth_year": "1980", "perpetrators": [perpetrator.pk]})
    assert response.status_code == 302
    assert list(proceeding.defendant.perpetrators.all()) == [perpetrator]
    assert events("justice.defendant")[-1] == ("update", {
        "reference": "RO-D-1", "legal_person": False, "sex": "male", "perpetrators": [perpetrator.pk],
        "fields": ["perpetrators"]})


def test_the_list_pages_cost_the_same_queries_whatever_their_length(people: dict[str, Any], proceeding: Proceeding,
                                                                    django_assert_num_queries: Any) -> None:
    from tests.pins import pin

    client = signed_in(people["allowed"])
    client.get("/justice/")

    def grow() -> None:
        for n in range(3):
            defendant = services.record_defendant(acting_user=people["allowed"], country="RO",
                                                  person=services.Person(reference=f"X-{n}"))
            services.open_proceeding(acting_user=people["allowed"], defendant=defendant,
                                     spec=services.ProceedingSpec(investigation_opened=date(2022, 1, 1),
                                                                  charges=[services.ChargeSpec("thb")]))

    # the signed-in user and the layout, then count, page and charges
    pin(client, "/justice/", 8, django_assert_num_queries, grow=grow)
    pin(client, "/justice/defendants/", 7, django_assert_num_queries)


def test_the_cases_timeline_shows_its_proceedings_to_those_who_read_them(people: dict[str, Any],
                                                                         proceeding: Proceeding,
                                                                         case: Case) -> None:
    services.record_decision(acting_user=people["allowed"], proceeding=proceeding, verdict=services.Verdict(
        instance="first_instance", decided_on=date(2022, 5, 1), outcome="acquitted"))
    page = signed_in(people["allowed"]).get(f"/cases/{case.pk}/timeline/").content.decode()
    assert "Investigation opened: 123/2021 against RO-D-1" in page and "Court decision (first instance)" in page
    french = signed_in(people["allowed"]).get(f"/cases/{case.pk}/timeline/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Enquête ouverte" in french.content.decode()
