"""The legal qualification through the command line, the API and the guided page."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from tests.conftest import verified_login

CHILD_BEGGING = {"age": 16, "acts": ["recruitment"], "means": [], "purposes": ["begging"], "consent": True,
                 "date": "2025-03-01"}


# ------------------------------------------------------------------------------------------------ command


def test_the_command_prints_the_answer_as_json(tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(CHILD_BEGGING))
    out = StringIO()
    call_command("qualify", str(path), stdout=out)
    answer = json.loads(out.getvalue())
    assert list(answer) == ["palermo_protocol", "warsaw_convention", "eu_directive_2011_36", "eu_directive_2024_1712"]
    assert answer["palermo_protocol"]["verdict"] == "trafficking"
    assert answer["palermo_protocol"]["elements"] == {"act": "met", "means": "not_met", "purpose": "met"}
    assert answer["palermo_protocol"]["article"] == "Art. 3(a); Art. 3(c); Art. 3(d)"


def test_the_command_speaks_french(tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(CHILD_BEGGING))
    out = StringIO()
    call_command("qualify", str(path), "--language", "fr", stdout=out)
    assert json.loads(out.getvalue())["palermo_protocol"]["reason"].startswith("Acte\u00a0: recrutement.")


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "not valid JSON"),
    ('{"age": "sixteen", "acts": ["walking"]}', "age: The age must be a whole number"),
    ('{"age": "sixteen", "acts": ["walking"]}', "acts: Unknown code(s) walking"),
])
def test_the_command_refuses_bad_files_clearly(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "facts.json"
    path.write_text(content)
    with pytest.raises(CommandError) as caught:
        call_command("qualify", str(path))
    assert message in str(caught.value)


def test_the_command_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("qualify", str(tmp_path / "absent.json"))


# ------------------------------------------------------------------------------------------------ API


@pytest.fixture
def three(user_factory: Callable[..., Any]) -> dict[str, Any]:
    """Allowed (a case worker in Romania), the same role in Serbia, and an outsider (not signed in)."""
    return {"allowed": user_factory("cw-ro", Role.CASE_WORKER, ("RO",)),
            "other_country": user_factory("cw-rs", Role.CASE_WORKER, ("RS",)),
            "viewer": user_factory("viewer", Role.VIEWER)}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["allowed", "other_country", "viewer"])
def test_every_signed_in_user_may_qualify_and_nothing_is_stored(client: Client, three: dict[str, Any],
                                                                who: str) -> None:
    verified_login(client, three[who])
    events = AuditEvent.objects.count()
    response = client.post("/api/qualify/", CHILD_BEGGING, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["eu_directive_2011_36"]["verdict"] == "trafficking"
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_an_outsider_is_refused(client: Client) -> None:
    response = client.post("/api/qualify/", CHILD_BEGGING, content_type="application/json")
    assert response.status_code in (401, 403)
    assert client.get("/screening/qualify/").status_code == 302


@pytest.mark.django_db
def test_bad_input_gets_a_400_naming_each_field(client: Client, three: dict[str, Any]) -> None:
    verified_login(client, three["viewer"])
    response = client.post("/api/qualify/", {"age": -3, "purposes": "begging", "colour": "red"},
                           content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert sorted(errors) == ["age", "colour", "purposes"]
    assert errors["age"] == ["The age must be between 0 and 130."]
    french = client.post("/api/qualify/", {"age": -3}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="fr")
    assert french.json()["errors"]["age"] == ["L'âge doit être compris entre 0 et 130."]


@pytest.mark.django_db
def test_the_api_refuses_what_is_not_json(client: Client, three: dict[str, Any]) -> None:
    verified_login(client, three["viewer"])
    assert client.post("/api/qualify/", "{oops", content_type="application/json").status_code == 400
    assert client.post("/api/qualify/", [1, 2], content_type="application/json").json() == {
        "errors": {"facts": ["The facts must be a JSON object such as {\"age\": 16, \"acts\": [\"recruitment\"]}."]}}


# ------------------------------------------------------------------------------------------------ page


def answer(client: Client, page: Any, **data: Any) -> Any:
    carried = page.context["answers_json"]
    return client.post("/screening/qualify/", {"answers": carried, **data})


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["allowed", "other_country", "viewer"])
def test_the_guided_page_asks_one_question_at_a_time(client: Client, three: dict[str, Any], who: str) -> None:
    verified_login(client, three[who])
    page = client.get("/screening/qualify/")
    assert page.status_code == 200
    assert "Question 1 of 6" in page.content.decode()
    assert "not a court's finding" in page.content.decode()
    page = answer(client, page, age="16")
    assert "What was done to the person?" in page.content.decode()
    page = answer(client, page, answer_field=["recruitment", "transportation"])
    page = answer(client, page, answer_field=["none"])
    page = answer(client, page, answer_field=["begging"])
    page = answer(client, page, consent="yes")
    page = answer(client, page, date="2025-03-01")
    html = page.content.decode()
    assert page.templates[0].name == "screening/qualify_result.html"
    assert json.loads(page.context["answers_json"]) == {**CHILD_BEGGING, "acts": ["recruitment", "transportation"]}
    rows = {row["code"]: row for row in page.context["rows"]}
    assert rows["palermo_protocol"]["verdict"] == "trafficking"
    assert "An indication for professionals, not a court's finding." in html
    assert "wording not checked against the official text" in html


@pytest.mark.django_db
def test_the_guided_page_refuses_contradictory_answers_and_goes_back(client: Client, three: dict[str, Any]) -> None:
    verified_login(client, three["viewer"])
    page = answer(client, client.get("/screening/qualify/"), age="")
    assert json.loads(page.context["answers_json"]) == {"age": None}
    wrong = answer(client, page, answer_field=["none", "recruitment"])
    assert "cannot be ticked with anything else" in wrong.content.decode()
    assert json.loads(wrong.context["answers_json"]) == {"age": None}
    empty = answer(client, page)
    assert "Choose at least one answer" in empty.content.decode()
    page = answer(client, page, answer_field=["unknown"])
    assert json.loads(page.context["answers_json"]) == {"age": None, "acts": None}
    back = answer(client, page, back="1")
    assert json.loads(back.context["answers_json"]) == {"age": None}
    assert back.context["form"].initial == {"answer_field": ["unknown"]}


@pytest.mark.django_db
def test_a_tampered_page_starts_afresh(client: Client, three: dict[str, Any]) -> None:
    verified_login(client, three["viewer"])
    page = client.post("/screening/qualify/", {"answers": '{"age": "old"}', "age": "40"})
    assert json.loads(page.context["answers_json"]) == {"age": 40}


@pytest.mark.django_db
def test_the_guided_page_in_french(client: Client, three: dict[str, Any]) -> None:
    verified_login(client, three["viewer"])
    page = client.get("/screening/qualify/", HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert "Quel âge avait la personne au moment des faits\u202f?" in html
    page = client.post("/screening/qualify/", {"answers": '{"age": 30}'}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "hébergement" in page.content.decode()


@pytest.mark.django_db
def test_the_navigation_links_the_guided_page(client: Client, three: dict[str, Any]) -> None:
    verified_login(client, three["viewer"])
    assert 'href="/screening/qualify/"' in client.get("/").content.decode()
