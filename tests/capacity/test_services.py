"""Every write of the app leaves its audit row (and no name in it); refused writes change nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from palermo.audit.models import AuditEvent
from palermo.capacity import services
from palermo.capacity.models import Material, Participant, Training
from palermo.reference.models import Country
from tests.capacity.conftest import participant, training_data

pytestmark = pytest.mark.django_db


def events() -> list[tuple[str, str]]:
    return [(e.action, e.object_type) for e in AuditEvent.objects.filter(
        object_type__startswith="capacity.").order_by("seq")]


def test_every_write_is_audited_without_a_name(world: dict[str, Any]) -> None:
    user = world["users"]["coordinator-ro"]
    training = services.create_training(acting_user=user, data=training_data(world))
    services.update_training(acting_user=user, training=training, data=training_data(world, hours=20))
    person = services.add_participant(acting_user=user, training=training,
                                      data=participant("Ana", "Secretname", pre="40", post="60"))
    services.update_participant(acting_user=user, participant=person,
                                data=participant("Ana", "Secretname", pre="40", post="70"))
    services.add_survey_response(acting_user=user, training=training,
                                 data=services.SurveyData(overall=5, relevance=4, trainers=5, organisation=4))
    services.record_follow_up(acting_user=user, participant=person, data=services.FollowUpData(
        date=date(2024, 9, 1), practice_changed="yes", example="Uses the indicators"))
    material = services.add_material(acting_user=user, training=training, title="Agenda", kind="agenda",
                                     language="fr",
                                     upload=SimpleUploadedFile("agenda.pdf", b"%PDF-1.7 x", "application/pdf"))
    services.remove_material(acting_user=user, material=material)
    services.remove_participant(acting_user=user, participant=person)
    services.delete_training(acting_user=user, training=training)
    assert events() == [
        ("create", "capacity.training"), ("update", "capacity.training"), ("create", "capacity.participant"),
        ("update", "capacity.participant"), ("create", "capacity.surveyresponse"), ("create", "capacity.followup"),
        ("create", "capacity.material"), ("delete", "capacity.material"), ("delete", "capacity.participant"),
        ("delete", "capacity.training")]
    assert not any("Secretname" in str(e.detail) for e in AuditEvent.objects.all())
    assert Training.objects.count() == Participant.objects.count() == Material.objects.count() == 0


def test_refused_writes_change_nothing(world: dict[str, Any], training: Training) -> None:
    users = world["users"]
    person = services.add_participant(acting_user=users["coordinator-ro"], training=training,
                                      data=participant("Ana", "A"))
    before = (events(), list(Training.objects.values()), list(Participant.objects.values()))
    for name in ("coordinator-rs", "embassy-ro", "viewer", "auditor", "partner-iom"):
        with pytest.raises(PermissionDenied):
            services.update_training(acting_user=users[name], training=training, data=training_data(world))
        with pytest.raises(PermissionDenied):
            services.add_participant(acting_user=users[name], training=training, data=participant("X", "Y"))
        with pytest.raises(PermissionDenied):
            services.remove_participant(acting_user=users[name], participant=person)
        with pytest.raises(PermissionDenied):
            services.delete_training(acting_user=users[name], training=training)
    with pytest.raises(PermissionDenied):  # a coordinator of Serbia holds no training in Romania
        services.create_training(acting_user=users["coordinator-rs"], data=training_data(world))
    with pytest.raises(PermissionDenied):  # a partner whose organisation has no role in the action
        services.create_training(acting_user=users["partner-other"], data=training_data(world))
    assert (events(), list(Training.objects.values()), list(Participant.objects.values())) == before


def test_bad_input_names_the_field_and_writes_nothing(world: dict[str, Any], training: Training) -> None:
    user = world["users"]["coordinator-ro"]
    before = events()
    with pytest.raises(ValidationError) as caught:
        services.create_training(acting_user=world["users"]["manager"], data=training_data(
            world, end_date=date(2024, 5, 1), mode="in_person", place="", country=Country.objects.get(code="BG")))
    assert set(caught.value.message_dict) == {"end_date", "place", "country"}
    with pytest.raises(ValidationError) as caught:
        services.add_participant(acting_user=user, training=training, data=services.ParticipantData(
            given_name="", family_name="B", sex="x", profession="astronaut", post_score=Decimal("101")))
    assert set(caught.value.message_dict) == {"given_name", "sex", "profession", "post_score"}
    with pytest.raises(ValidationError) as caught:
        services.add_material(acting_user=user, training=training, title="Macro", kind="slides", language="en",
                              upload=SimpleUploadedFile("slides.docx", b"not a zip", "application/octet-stream"))
    assert caught.value.message_dict == {"upload": ["slides.docx is not what its extension says."]}
    assert events() == before and Participant.objects.count() == 0


def test_embassy_officers_and_viewers_cannot_be_organisers(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_training(acting_user=world["users"]["manager"], data=training_data(
            world, organisers=(world["users"]["embassy-ro"], world["users"]["viewer"])))
    assert len(caught.value.message_dict["organisers"]) == 2
    assert Training.objects.count() == 0
