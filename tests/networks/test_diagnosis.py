"""A network diagnosis: drafted by the owning country, shared with the source country's national coordinator,
commented and co-signed, each step recorded; its page and PDF (French, English) without identities for the
steering committee; one line per diagnosis in the steering review of its year."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from palermo.audit.models import AuditEvent
from palermo.networks import services
from palermo.networks.diagnosis import stock_take_section
from palermo.networks.models import Diagnosis, DiagnosisStep, Network
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def test_drafted_shared_commented_cosigned_each_step_recorded(network: Network, people: dict[str, Any]) -> None:
    analyst, coordinator = people["allowed"], people["coordinator_rs"]
    with pytest.raises(Http404):
        services.draft_diagnosis(acting_user=people["other_country"], network=network, year=2026,
                                 source_country="RS")
    diagnosis = services.draft_diagnosis(acting_user=analyst, network=network, year=2026, source_country="RS",
                                         summary="A recruitment ring in Romania feeding exploitation in Serbia.")
    with pytest.raises(ValidationError):
        services.draft_diagnosis(acting_user=analyst, network=network, year=2026)
    # not yet shared: the source country's coordinator neither reads nor co-signs it
    assert not Diagnosis.objects.visible_to(coordinator).exists()
    with pytest.raises(ValidationError):
        services.cosign_diagnosis(acting_user=coordinator, diagnosis=diagnosis)
    services.share_diagnosis(acting_user=analyst, diagnosis=diagnosis)
    assert Diagnosis.objects.visible_to(coordinator).get() == diagnosis
    with pytest.raises(Http404):  # another country's coordinator
        services.cosign_diagnosis(acting_user=people["coordinator_ro"], diagnosis=diagnosis)
    services.comment_diagnosis(acting_user=coordinator, diagnosis=diagnosis, comment="Add the 2025 transfers.")
    assert Diagnosis.objects.get().status == "commented"
    services.cosign_diagnosis(acting_user=coordinator, diagnosis=Diagnosis.objects.get())
    done = Diagnosis.objects.get()
    assert done.status == "cosigned" and done.jointly and done.cosigned_by == coordinator
    assert list(DiagnosisStep.objects.order_by("pk").values_list("step", "actor_name", "country")) == [
        ("drafted", "analyst-ro", "RO"), ("shared", "analyst-ro", "RO"), ("commented", "nc-rs", "RS"),
        ("cosigned", "nc-rs", "RS")]
    assert AuditEvent.objects.filter(object_type="networks.diagnosis").count() == 4
    with pytest.raises(ValidationError):
        services.edit_diagnosis(acting_user=analyst, diagnosis=done, summary="changed")


def test_the_steering_committee_reads_it_without_identities_and_the_review_line(network: Network,
                                                                                people: dict[str, Any]) -> None:
    analyst, coordinator, manager = people["allowed"], people["coordinator_rs"], people["manager"]
    diagnosis = services.draft_diagnosis(acting_user=analyst, network=network, year=2026, source_country="RS")
    other = services.draft_diagnosis(acting_user=analyst, network=network, year=2025)
    manager_client = client_for(manager)
    assert manager_client.get(reverse("networks:diagnosis", args=[diagnosis.pk])).status_code == 404
    services.share_diagnosis(acting_user=analyst, diagnosis=diagnosis)
    services.cosign_diagnosis(acting_user=coordinator, diagnosis=diagnosis)
    page = manager_client.get(reverse("networks:diagnosis", args=[diagnosis.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Marko" not in body and "Person 1" in body
    analyst_page = client_for(analyst).get(reverse("networks:diagnosis", args=[diagnosis.pk])).content.decode()
    assert "Marko Vozač" in analyst_page or "Ion Recrutor" in analyst_page
    for language in ("fr", "en"):
        pdf = manager_client.get(reverse("networks:diagnosis_pdf", args=[diagnosis.pk]), {"lang": language})
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(object_type="networks.diagnosis", action="export").count() == 2
    assert client_for(people["outsider"]).get(reverse("networks:diagnosis", args=[diagnosis.pk])).status_code == 404
    [section] = stock_take_section(2026)
    assert section.rows == [["ring", "Romania", "Serbia", "6", section.rows[0][4], "co-signed", "yes"]]
    [older] = stock_take_section(2025)
    assert older.rows[0][-2:] == ["drafting", "no"]
    assert other.pk != diagnosis.pk


def test_the_workflow_through_the_pages_refused_to_others(network: Network, people: dict[str, Any]) -> None:
    diagnosis = services.draft_diagnosis(acting_user=people["allowed"], network=network, year=2026,
                                         source_country="RS")
    clients = {who: client_for(people[who]) for who in ("allowed", "other_country", "outsider", "coordinator_rs",
                                                        "coordinator_ro")}
    share = reverse("networks:diagnosis_step", args=[diagnosis.pk, "share"])
    cosign = reverse("networks:diagnosis_step", args=[diagnosis.pk, "cosign"])
    before = (AuditEvent.objects.count(), DiagnosisStep.objects.count())
    for who in ("other_country", "outsider", "coordinator_rs"):  # the coordinator reads it only once shared
        assert clients[who].post(share).status_code == 404
    assert (AuditEvent.objects.count(), DiagnosisStep.objects.count()) == before
    assert clients["allowed"].post(share).status_code == 302
    assert clients["coordinator_ro"].post(cosign).status_code == 404  # not the source country's coordinator
    assert clients["coordinator_rs"].post(cosign).status_code == 302
    assert Diagnosis.objects.get().status == "cosigned"
    assert clients["allowed"].post(reverse("networks:diagnosis_new", args=[network.pk]),
                                   {"year": "2025", "source_country": "RO"}).status_code == 302
    assert clients["other_country"].post(reverse("networks:diagnosis_new", args=[network.pk]),
                                         {"year": "2024"}).status_code == 404
    assert sorted(Diagnosis.objects.values_list("year", flat=True)) == [2025, 2026]
