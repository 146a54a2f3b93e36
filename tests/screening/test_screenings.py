"""Indicator screenings: pages, permissions, list versions, the screen and reference commands."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from palermo.audit.models import AuditEvent
from palermo.cases.models import Case
from palermo.reference.models import IndicatorList
from palermo.screening.models import Screening
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db

# Enough for every dimension of the adult labour list: an adult possible victim.
POSITIVE = [
    "deceptive_recruitment/deceived_nature_of_job", "deceptive_recruitment/deceived_wages",
    "exploitative_conditions/excessive_working_hours", "exploitative_conditions/low_or_no_salary",
    "coercion_destination/confiscation_of_documents", "coercion_destination/debt_bondage",
]


def adult_labour() -> IndicatorList:
    return IndicatorList.objects.filter(code="adult-labour").latest("pk")


@pytest.fixture
def keys() -> list[str]:
    known = {f"{i.dimension_id}/{i.code}" for i in adult_labour().indicators.all()}
    missing = [key for key in POSITIVE if key not in known]
    assert missing == []
    return POSITIVE


def screen(client: Client, user: Any, ticked: list[str], country: str = "RO") -> Any:
    verified_login(client, user)
    return client.post(f"/screening/new/{adult_labour().pk}/", {"country": country, "indicator": ticked})


def test_a_case_worker_screens_and_the_result_names_dimensions_indicators_and_referral(
        client: Client, people: dict[str, Any], keys: list[str]) -> None:
    response = screen(client, people["allowed"], keys)
    screening = Screening.objects.get()
    assert response.status_code == 302 and response.url == f"/screening/{screening.pk}/"
    assert (screening.indicator_list.version, screening.country_id, screening.possible_victim) == ("2009", "RO", True)
    assert screening.referral == "refer_presumed_victim"
    assert screening.organisation_id == people["allowed"].organisation_id
    event = AuditEvent.objects.get(object_type="screening.screening")
    assert (event.action, event.actor_username, event.country) == ("create", "cw-ro", "RO")
    assert event.detail == {"list": "adult-labour", "version": "2009", "possible_victim": True,
                            "referral": "refer_presumed_victim"}
    page = client.get(f"/screening/{screening.pk}/").content.decode()
    assert "Refer to the national referral mechanism as a presumed victim" in page
    assert "Deceived about the nature of the job, location or employer" in page
    assert "This list has not been checked against the ILO/EC publication" in page
    assert "A screening result is an indication for referral, never a legal finding." in page
    french = client.get(f"/screening/{screening.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Cette liste n&#x27;a pas été vérifiée" in french or "Cette liste n'a pas été vérifiée" in french


@pytest.mark.parametrize("who", ["other_country", "outsider"])
def test_others_neither_see_nor_change_a_screening(client: Client, people: dict[str, Any], keys: list[str],
                                                   who: str) -> None:
    screen(client, people["allowed"], keys)
    screening = Screening.objects.get()
    client.logout()
    verified_login(client, people[who])
    before = (Screening.objects.count(), Case.objects.count(), AuditEvent.objects.count())
    assert client.get(f"/screening/{screening.pk}/").status_code == 404
    assert client.post(f"/screening/{screening.pk}/open-case/").status_code == 404
    listing = client.get("/screening/")
    if who == "outsider":
        assert listing.status_code == 404
        assert client.get(f"/screening/new/{adult_labour().pk}/").status_code == 404
        assert client.post(f"/screening/new/{adult_labour().pk}/",
                           {"country": "RO", "indicator": keys}).status_code == 404
    else:
        assert listing.status_code == 200 and list(listing.context["page"]) == []
    assert (Screening.objects.count(), Case.objects.count(), AuditEvent.objects.count()) == before
    assert Screening.objects.get().case is None


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    for url in ("/screening/", f"/screening/new/{adult_labour().pk}/", "/screening/1/"):
        assert client.get(url).status_code == 302
    assert client.post("/screening/1/open-case/").status_code == 302
    assert Screening.objects.count() == 0


def test_a_country_outside_the_scope_is_refused(client: Client, people: dict[str, Any], keys: list[str]) -> None:
    response = screen(client, people["allowed"], keys, country="RS")
    assert response.status_code == 200
    assert "Choose one of your countries." in response.content.decode()
    assert Screening.objects.count() == 0


def test_an_unknown_indicator_is_refused_by_name(client: Client, people: dict[str, Any]) -> None:
    response = screen(client, people["allowed"], ["coercion_destination/flying_carpet"])
    assert "coercion_destination/flying_carpet: not an indicator of adult-labour 2009" in response.content.decode()
    assert Screening.objects.count() == 0


def test_a_screening_opens_one_case_through_the_cases_services(client: Client, people: dict[str, Any],
                                                               keys: list[str]) -> None:
    screen(client, people["allowed"], keys)
    screening = Screening.objects.get()
    response = client.post(f"/screening/{screening.pk}/open-case/")
    case = Case.objects.get()
    assert response.url == f"/cases/{case.pk}/"
    assert (case.organisation_id, case.owner_country_id, case.trafficking_status) == (
        people["allowed"].organisation_id, "RO", "possible")
    assert Screening.objects.get().case == case
    assert client.post(f"/screening/{screening.pk}/open-case/").url == f"/cases/{case.pk}/"
    assert Case.objects.count() == 1
    actions = list(AuditEvent.objects.filter(object_type__in=["cases.case", "screening.screening"])
                   .order_by("seq").values_list("object_type", "action"))
    assert actions == [("screening.screening", "create"), ("cases.case", "create"), ("screening.screening", "update")]
    assert [s.case for s in client.get("/screening/").context["page"]] == [case]


def test_the_list_page_costs_the_same_queries_for_three_or_twelve_screenings(
        client: Client, people: dict[str, Any], keys: list[str], django_assert_num_queries: Any) -> None:
    for _ in range(3):
        screen(client, people["allowed"], keys[:2])
    with django_assert_num_queries(7):
        assert client.get("/screening/").status_code == 200
    for _ in range(9):
        screen(client, people["allowed"], keys)
    with django_assert_num_queries(7):
        page = client.get("/screening/")
    assert len(page.context["page"]) == 12


def test_the_list_downloads_as_csv_and_filters(client: Client, people: dict[str, Any], keys: list[str]) -> None:
    screen(client, people["allowed"], keys)
    screen(client, people["allowed"], [])
    response = client.get("/screening/?format=csv&possible_victim=true")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ("id,screened_at,country,list,version,list_verified,possible_victim,referral,"
                        "positive_dimensions,case")
    assert len(lines) == 2 and lines[1].endswith(
        ",RO,adult-labour,2009,False,True,refer_presumed_victim,"
        "deceptive_recruitment exploitative_conditions coercion_destination,")
    assert AuditEvent.objects.filter(action="export", object_type="screenings").count() == 1


def test_the_pages_say_when_a_list_is_unverified(client: Client, people: dict[str, Any]) -> None:
    verified_login(client, people["allowed"])
    assert "unverified list: a reconstruction, not the ILO's wording" in client.get("/screening/").content.decode()
    form = client.get(f"/screening/new/{adult_labour().pk}/").content.decode()
    assert "its items are a reconstruction, not the ILO" in form


# ------------------------------------------------------------------------------------ versions and commands


def export_csv() -> str:
    out = StringIO()
    call_command("reference", "export", "indicators", "--list", "adult-labour", stdout=out)
    return out.getvalue()


def test_an_imported_list_replaces_the_active_version_without_changing_old_screenings(
        client: Client, people: dict[str, Any], keys: list[str], tmp_path: Path) -> None:
    screen(client, people["allowed"], keys)
    old = Screening.objects.get()
    old_result, old_list = old.result, old.indicator_list_id
    text = export_csv().replace("Deceived about the nature of the job", "Misled about the nature of the job")
    path = tmp_path / "national.csv"
    path.write_text(text)
    out = StringIO()
    call_command("reference", "import", "indicators", str(path), "--version", "2026-national", stdout=out)
    assert out.getvalue() == "adult-labour 2026-national: 68 indicators, NOT verified; now the active version\n"
    new_list = adult_labour()
    assert new_list.version == "2026-national" and new_list.pk != old_list
    event = AuditEvent.objects.get(action="import", object_type="reference.indicatorlist")
    assert event.actor_username == "system: palermo reference import indicators"
    assert event.detail["indicators"] == 68 and event.detail["replaces"] == "2009"
    # The old version can no longer start a screening; the old screening keeps it, unchanged.
    assert client.get(f"/screening/new/{old_list}/").status_code == 404
    old.refresh_from_db()
    assert (old.indicator_list_id, old.result) == (old_list, old_result)
    detail = client.get(f"/screening/{old.pk}/").content.decode()
    assert "Deceived about the nature of the job" in detail
    assert "a newer version is now active" in detail
    screen(client, people["allowed"], keys)
    assert Screening.objects.latest("pk").indicator_list == new_list
    assert "Misled about the nature of the job" in client.get(
        f"/screening/{Screening.objects.latest('pk').pk}/").content.decode()


def test_an_import_with_one_bad_row_changes_nothing(tmp_path: Path) -> None:
    rows = export_csv().splitlines()
    rows[3] = rows[3].replace(",medium,", ",severe,", 1) if ",medium," in rows[3] else rows[3].replace(
        ",strong,", ",severe,", 1).replace(",weak,", ",severe,", 1)
    rows.append("adult-labour,nowhere,strong,x,A,B,src")
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(rows) + "\n")
    lists_before, events_before = IndicatorList.objects.count(), AuditEvent.objects.count()
    with pytest.raises(CommandError) as caught:
        call_command("reference", "import", "indicators", str(path), "--version", "bad")
    message = str(caught.value)
    assert "nothing imported" in message
    assert "row 4, strength: must be one of strong, medium, weak" in message
    assert f"row {len(rows)}, dimension: unknown dimension 'nowhere'" in message
    assert (IndicatorList.objects.count(), AuditEvent.objects.count()) == (lists_before, events_before)


@pytest.mark.parametrize(("content", "message"), [
    ("list,dimension\nadult-labour,x\n", "row 1: the columns must be list, dimension, strength, code, text_en, "
                                         "text_fr, source; missing: strength, code, text_en, text_fr, source"),
    ("list,dimension,strength,code,text_en,text_fr,source\n", "the file holds no indicator"),
    ("list,dimension,strength,code,text_en,text_fr,source\nchild-labour,exploitative_conditions,weak,a,A,B,s\n",
     "list child-labour: child-labour: child lists have no weak tier"),
    ("list,dimension,strength,code,text_en,text_fr,source\nmy-list,exploitative_conditions,weak,a,A,B,s\n",
     "row 2, list: unknown list 'my-list'"),
])
def test_import_problems_name_row_and_field(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "file.csv"
    path.write_text(content)
    with pytest.raises(CommandError) as caught:
        call_command("reference", "import", "indicators", str(path))
    assert message in str(caught.value)


def test_an_existing_version_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "same.csv"
    path.write_text(export_csv())
    with pytest.raises(CommandError, match="list adult-labour: version 2009 exists already"):
        call_command("reference", "import", "indicators", str(path), "--version", "2009")


def test_the_export_writes_one_row_per_indicator_with_its_source() -> None:
    rows = export_csv().splitlines()
    assert rows[0] == "list,dimension,strength,code,text_en,text_fr,source"
    assert len(rows) == 1 + 68
    assert rows[1].startswith("adult-labour,deceptive_recruitment,strong,deceived_nature_of_job,")


def test_the_screen_command_prints_the_result(tmp_path: Path, keys: list[str]) -> None:
    path = tmp_path / "screen.json"
    path.write_text(json.dumps({"list": "adult-labour", "indicators": keys}))
    out = StringIO()
    call_command("screen", str(path), stdout=out)
    answer = json.loads(out.getvalue())
    assert (answer["list"], answer["version"], answer["possible_victim"]) == ("adult-labour", "2009", True)
    assert [d["dimension"] for d in answer["positive_dimensions"]] == [
        "deceptive_recruitment", "exploitative_conditions", "coercion_destination"]
    assert answer["referral"]["code"] == "refer_presumed_victim"
    assert answer["verified"] is False and answer["warning"].startswith("This list has not been checked")
    assert Screening.objects.count() == 0


@pytest.mark.parametrize(("content", "message"), [
    ({"list": "adult-labor", "indicators": []}, "list: unknown list 'adult-labor'"),
    ({"list": "adult-labour", "indicators": "debt"}, "indicators: give a list of indicator keys"),
    ({"list": "adult-labour", "indicators": ["debt_bondage"]}, "debt_bondage: in several dimensions"),
    ({"list": "adult-labour", "version": "1999", "indicators": []}, "version: list adult-labour has no version"),
    ({"list": "adult-labour", "indicators": [], "age": 3}, "unknown field(s) age"),
])
def test_the_screen_command_refuses_bad_input_clearly(tmp_path: Path, content: Any, message: str) -> None:
    path = tmp_path / "screen.json"
    path.write_text(json.dumps(content))
    with pytest.raises(CommandError) as caught:
        call_command("screen", str(path))
    assert message in str(caught.value)


def test_the_pdf_says_the_list_is_unverified_and_the_download_is_audited(
        client: Client, people: dict[str, Any], keys: list[str]) -> None:
    from palermo.screening.screening_views import result_document

    screen(client, people["allowed"], keys)
    screening = Screening.objects.get()
    response = client.get(f"/screening/{screening.pk}/result.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="screening-{screening.pk}.pdf"'
    assert AuditEvent.objects.filter(action="export", object_type="screening.screening").count() == 1
    document = result_document(screening, "en")
    assert "This list has not been checked against the ILO/EC publication" in document
    assert "A screening result is an indication for referral, never a legal finding." in document
    assert "Cette liste n&#x27;a pas été vérifiée" in result_document(screening, "fr")
    client.logout()
    verified_login(client, people["other_country"])
    assert client.get(f"/screening/{screening.pk}/result.pdf").status_code == 404
