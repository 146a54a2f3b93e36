"""The training pages: three users each (allowed; same role in another country; outsider), names only for the
organisers and the programme managers (never for embassy officers and viewers), refusals change nothing, every
write audited, French and English."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from palermo.audit.models import AuditEvent
from palermo.capacity import services
from palermo.capacity.models import Material, Participant, SurveyResponse, Training
from palermo.jobs.worker import run_pending
from tests.capacity.conftest import participant
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


def client_for(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    verified_login(client, user)
    return client


def state() -> tuple[Any, ...]:
    return (list(Training.objects.values_list("pk", "title_en", "status", "end_date")),
            list(Participant.objects.values_list("pk", "family_name", "post_score")),
            SurveyResponse.objects.count(), Material.objects.count())


@pytest.fixture
def named(world: dict[str, Any], training: Training) -> Training:
    services.add_participant(acting_user=world["users"]["coordinator-ro"], training=training,
                             data=participant("Ana", "Popescu-Unique", pre="40", post="70"))
    return training


@pytest.mark.parametrize("name, sees_names", [
    ("coordinator-ro", True),   # its organiser
    ("manager", True),          # programme manager
    ("embassy-ro", False),      # reads Romania's trainings, never names
    ("viewer", False),          # reads every training, never names
    ("auditor", False),
    ("analyst-ro", False),
])
def test_the_names_are_shown_only_to_the_organisers_and_managers(world: dict[str, Any], named: Training,
                                                                 name: str, sees_names: bool) -> None:
    client = client_for(world["users"][name])
    page = client.get(reverse("capacity:detail", args=[named.pk]))
    assert page.status_code == 200
    assert ("Popescu-Unique" in page.content.decode()) is sees_names
    assert "Investigating labour trafficking" in page.content.decode()
    download = client.get(reverse("capacity:participants_download", args=[named.pk]) + "?format=csv")
    assert download.status_code == (200 if sees_names else 404)
    certificates = client.get(reverse("capacity:certificates", args=[named.pk]))
    assert certificates.status_code == (200 if sees_names else 404)
    if sees_names:
        assert "Popescu-Unique" in download.content.decode("utf-8-sig")
        assert certificates.content.startswith(b"%PDF-")
    listing = client.get(reverse("capacity:list") + "?country=&format=csv")
    assert listing.status_code == 200 and "Popescu" not in listing.content.decode("utf-8-sig")


def test_the_api_never_names_participants_to_embassy_officers_or_viewers(world: dict[str, Any],
                                                                         named: Training) -> None:
    for name, expected in (("coordinator-ro", 200), ("manager", 200), ("embassy-ro", 404), ("viewer", 404)):
        client = client_for(world["users"][name])
        answer = client.get(f"/api/capacity/trainings/{named.pk}/participants/")
        assert answer.status_code == expected, name
        assert ("Popescu-Unique" in answer.content.decode()) is (expected == 200)
        training = client.get(f"/api/capacity/trainings/{named.pk}/")
        assert training.status_code == 200 and "Popescu" not in training.content.decode()


def test_a_training_of_another_country_is_invisible(world: dict[str, Any], named: Training) -> None:
    for name in ("coordinator-rs", "partner-other"):
        client = client_for(world["users"][name])
        assert client.get(reverse("capacity:detail", args=[named.pk])).status_code == 404
        assert "Investigating" not in client.get(reverse("capacity:list") + "?country=").content.decode()
        assert client.get(f"/api/capacity/trainings/{named.pk}/").status_code == 404


def test_adding_a_participant_three_users(world: dict[str, Any], named: Training) -> None:
    url = reverse("capacity:participant_new", args=[named.pk])
    form = {"given_name": "Ion", "family_name": "Ionescu", "sex": "male", "profession": "judge",
            "attended": "on", "pre_score": "50", "post_score": "75"}
    for name in ("coordinator-rs", "embassy-ro", "viewer"):  # same role elsewhere; reader of RO; outsider
        before = state()
        assert client_for(world["users"][name]).post(url, form).status_code == 404
        assert state() == before
    answer = client_for(world["users"]["coordinator-ro"]).post(url, form)
    assert answer.status_code == 302
    added = Participant.objects.get(family_name="Ionescu")
    event = AuditEvent.objects.filter(object_type="capacity.participant", action="create").order_by("-seq")[0]
    assert (event.object_id, event.actor_username, event.detail) == (
        str(added.pk), "coordinator-ro", {"training": named.pk, "sex": "male", "profession": "judge"})


def test_creating_and_editing_a_training_three_users(world: dict[str, Any]) -> None:
    users, action = world["users"], world["actions"]["ro"]
    form = {"title_en": "Financial investigations", "country": "RO", "action": action.pk, "status": "planned",
            "start_date": "2026-09-01", "end_date": "2026-09-02", "mode": "online", "max_score": "100"}
    before = state()
    assert client_for(users["embassy-ro"]).get(reverse("capacity:new")).status_code == 404
    assert client_for(users["viewer"]).post(reverse("capacity:new"), form).status_code == 404
    refused = client_for(users["coordinator-rs"]).post(reverse("capacity:new"), form)
    assert refused.status_code == 200 and state() == before  # Romania is not in its country list
    assert client_for(users["coordinator-ro"]).post(reverse("capacity:new"), form).status_code == 302
    training = Training.objects.get(title_en="Financial investigations")
    assert list(training.organisers.values_list("username", flat=True)) == ["coordinator-ro"]
    edit = reverse("capacity:edit", args=[training.pk])
    before = state()
    for name in ("coordinator-rs", "embassy-ro", "viewer"):
        assert client_for(users[name]).post(edit, form | {"title_en": "Changed"}).status_code == 404
    assert state() == before
    assert client_for(users["manager"]).post(edit, form | {"title_en": "Changed"}).status_code == 302
    assert [e.action for e in AuditEvent.objects.filter(object_type="capacity.training").order_by("seq")] == [
        "create", "update"]


def test_the_web_upload_runs_as_a_job_and_reports_the_bad_row(world: dict[str, Any], named: Training) -> None:
    client = client_for(world["users"]["coordinator-ro"])
    sheet = (b"given name,family name,sex,profession\nIon,Ionescu,M,police\nDan,Dobre,M,pilot\n")
    answer = client.post(reverse("capacity:attendance", args=[named.pk]),
                         {"upload": SimpleUploadedFile("sheet.csv", sheet, "text/csv")})
    assert answer.status_code == 302 and "/jobs/" in answer["Location"]
    run_pending()
    found = named.imports.get()
    assert (found.outcome, found.report["problem_count"], found.report["problems"][0]["row"],
            found.report["problems"][0]["field"]) == ("rejected", 1, 3, "profession")
    assert "value" not in found.report["problems"][0]
    assert Participant.objects.filter(training=named).count() == 1
    page = client.get(reverse("capacity:import", args=[named.pk, found.pk]))
    assert page.status_code == 200 and "Unknown profession" in page.content.decode()
    for name in ("coordinator-rs", "embassy-ro", "viewer"):
        refused = client_for(world["users"][name]).post(reverse("capacity:attendance", args=[named.pk]),
                                                         {"upload": SimpleUploadedFile("s.csv", sheet, "text/csv")})
        assert refused.status_code == 404
    assert named.imports.count() == 1


def test_materials_are_checked_as_action_documents(world: dict[str, Any], named: Training) -> None:
    client = client_for(world["users"]["coordinator-ro"])
    url = reverse("capacity:material_new", args=[named.pk])
    fake = client.post(url, {"title": "Slides", "kind": "slides", "language": "en",
                             "upload": SimpleUploadedFile("slides.pdf", b"MZ not a pdf", "application/pdf")})
    assert fake.status_code == 200 and "is not what its extension says" in fake.content.decode()
    assert Material.objects.count() == 0
    good = client.post(url, {"title": "Slides", "kind": "slides", "language": "en",
                             "upload": SimpleUploadedFile("slides.pdf", b"%PDF-1.4 test", "application/pdf")})
    assert good.status_code == 302
    material = Material.objects.get()
    assert client_for(world["users"]["viewer"]).get(reverse("capacity:material", args=[material.pk])).status_code == 200
    assert client_for(world["users"]["coordinator-rs"]).get(
        reverse("capacity:material", args=[material.pk])).status_code == 404
    assert AuditEvent.objects.filter(object_type="capacity.material").count() == 2  # created, downloaded


def test_survey_and_follow_up(world: dict[str, Any], named: Training) -> None:
    client = client_for(world["users"]["coordinator-ro"])
    answer = client.post(reverse("capacity:survey_new", args=[named.pk]),
                         {"overall": "4", "relevance": "5", "trainers": "4", "organisation": "3"})
    assert answer.status_code == 302 and SurveyResponse.objects.count() == 1
    person = Participant.objects.get()
    too_early = client.post(reverse("capacity:follow_up", args=[person.pk]),
                            {"date": "2024-06-01", "practice_changed": "yes"})
    assert too_early.status_code == 200 and "three to six months" in too_early.content.decode()
    assert client.post(reverse("capacity:follow_up", args=[person.pk]),
                       {"date": "2024-09-10", "practice_changed": "partly"}).status_code == 302
    assert person.__class__.objects.get().follow_up.date == date(2024, 9, 10)
    assert client_for(world["users"]["embassy-ro"]).post(
        reverse("capacity:follow_up", args=[person.pk]), {"date": "2024-09-11", "practice_changed": "no"}
    ).status_code == 404
    assert [e.object_type for e in AuditEvent.objects.filter(object_type__in=[
        "capacity.surveyresponse", "capacity.followup"]).order_by("seq")] == [
        "capacity.surveyresponse", "capacity.followup"]


@pytest.mark.parametrize("language, words", [
    ("en", ["Trainings of professionals", "Knowledge gain", "Reaction survey"]),
    ("fr", ["Formations des professionnels", "Gain de connaissances", "Enquête de satisfaction"]),
])
def test_pages_in_french_and_english(world: dict[str, Any], named: Training, language: str,
                                     words: list[str]) -> None:
    client = client_for(world["users"]["coordinator-ro"], language)
    listing = client.get(reverse("capacity:list")).content.decode()
    detail = client.get(reverse("capacity:detail", args=[named.pk])).content.decode()
    assert words[0] in listing and words[1] in detail and words[2] in detail
