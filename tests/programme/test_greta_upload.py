"""The GRETA upload page: managers load any country, a national coordinator only its own; every row is
checked first, a bad or foreign row refuses the whole file with its row named, and nothing is imported."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from palermo.audit.models import AuditEvent
from palermo.programme.models import GretaRecommendation
from tests.programme.helpers import audit_count, client_for
from tests.programme.test_greta_import import HEADER

pytestmark = pytest.mark.django_db

URL = "/programme/greta/upload/"
ROMANIA = HEADER + (
    "RO,3,2021-06-03,112,compensation,urges,[DEMO] ensure compensation,15,not_implemented,true\n"
    "RO,3,2021-06-03,113,identification,invites,[DEMO] continue,\"10, 12\",partly,yes\n"
)
WITH_SERBIA = ROMANIA + "RS,3,2023-02-01,40,children,urges,[DEMO] guardians,,,true\n"


def upload(text: str, name: str = "greta.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def rows() -> list[tuple[str, int, str]]:
    return list(GretaRecommendation.objects.order_by("country", "paragraph").values_list(
        "country", "round", "paragraph"))


def test_a_coordinator_uploads_its_own_countrys_rows(editing_world) -> None:
    users, _actions = editing_world
    response = client_for(users["coordinator-ro"]).post(URL, {"file": upload(ROMANIA)})
    assert response.status_code == 302 and response["Location"] == "/programme/greta/"
    assert rows() == [("RO", 3, "112"), ("RO", 3, "113")]
    event = AuditEvent.objects.get(action="import", object_type="programme.greta_recommendation")
    assert (event.actor.username, event.country, event.detail["created"], event.detail["countries"]) == (
        "coordinator-ro", "RO", 2, ["RO"])


@pytest.mark.parametrize(("name", "foreign_row"), [("coordinator-ro", 4), ("coordinator-rs", 2)])
def test_a_row_of_another_country_refuses_the_whole_file_and_names_the_row(editing_world, name,
                                                                           foreign_row) -> None:
    users, _actions = editing_world
    before = audit_count()
    response = client_for(users[name]).post(URL, {"file": upload(WITH_SERBIA)})
    assert response.status_code == 200
    problems = [(p.row, p.column, p.value, p.reason) for p in response.context["problems"]]
    own = "RO" if name == "coordinator-ro" else "RS"
    reason = f"outside your countries ({own}): the whole file is refused"
    expected = [(4, "country", "RS", reason)] if own == "RO" else [(2, "country", "RO", reason),
                                                                    (3, "country", "RO", reason)]
    assert problems == expected
    assert problems[0][0] == foreign_row
    assert f"<td>{foreign_row}</td><td>country</td>" in response.content.decode()
    assert rows() == [] and audit_count() == before


def test_other_roles_cannot_reach_the_upload_page(editing_world) -> None:
    users, _actions = editing_world
    for name in ("embassy-ro", "viewer", "partner-iom"):
        client = client_for(users[name])
        assert client.get(URL).status_code == 404, name
        assert client.post(URL, {"file": upload(ROMANIA)}).status_code == 404, name
    assert rows() == [] and audit_count() == 0
    assert client_for(None).get(URL).status_code == 302


def test_a_manager_loads_any_country_and_sees_a_report_of_each_bad_cell(editing_world) -> None:
    users, _actions = editing_world
    client = client_for(users["manager"])
    bad = WITH_SERBIA + "RO,three,2021-13-01,114,weather,urges,text,,,\n"
    response = client.post(URL, {"file": upload(bad)})
    assert [(p.row, p.column, p.value, p.reason) for p in response.context["problems"]] == [
        (5, "round", "three", "a round is a whole number from 1 to 9"),
        (5, "report_date", "2021-13-01", "use the date format YYYY-MM-DD"),
        (5, "theme", "weather", "expected one of: coordination, data, prevention, identification, assistance, "
                                "children, compensation, investigation, non_punishment, labour, cooperation, ict"),
    ]
    assert "3 problems: nothing was imported" in response.content.decode()
    assert rows() == []
    checked = client.post(URL, {"file": upload(WITH_SERBIA), "check_only": "on"})
    assert checked.context["checked"] == 3 and rows() == []
    assert "3 recommendations would be imported" in checked.content.decode()
    assert client.post(URL, {"file": upload(WITH_SERBIA)}).status_code == 302
    assert rows() == [("RO", 3, "112"), ("RO", 3, "113"), ("RS", 3, "40")]


def test_files_that_are_not_utf8_csv_are_refused_with_a_reason(editing_world) -> None:
    users, _actions = editing_world
    client = client_for(users["manager"])
    latin1 = SimpleUploadedFile("greta.csv", ROMANIA.replace("continue", "continué").encode("latin-1"))
    response = client.post(URL, {"file": latin1})
    assert response.context["form"].errors == {
        "file": ["The file is not UTF-8 text (byte 227); save it as CSV UTF-8."]}
    response = client.post(URL, {"file": upload(ROMANIA, "greta.xlsx")})
    assert response.context["form"].errors == {"file": ["Give a .csv file."]}
    assert rows() == [] and audit_count() == 0


def test_the_upload_page_is_in_french(editing_world) -> None:
    users, _actions = editing_world
    page = client_for(users["manager"]).get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Téléverser des recommandations du GRETA" in page
