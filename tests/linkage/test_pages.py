"""The model page (match-weights chart), the unique-victim page and the diagnostics line, the networks adapter, the
candidates scored by the shipped model."""

from __future__ import annotations

import pytest
from django.test import Client

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.linkage.adapters import sync_network_persons
from palermo.linkage.models import Candidate, LinkRecord, TrainedModel, UniqueCount
from palermo.linkage.services import find_candidates, starting_model
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def test_the_model_page_draws_the_match_weights_of_the_current_version(people) -> None:
    TrainedModel.objects.create(entity_type="persons", version=1, settings_json=starting_model(), records=20000,
                                trained_by_name="tests",
                                evaluation={"pairwise": {"precision": 1, "recall": 0.99, "f1": 0.995},
                                            "cluster": {"precision": 0.99, "recall": 0.99, "f1": 0.99}})
    html = _client(people["allowed"]).get("/linkage/model/").content.decode()
    assert 'id="match-weights"' in html and "Day and month swapped" in html and "Same sound key" in html
    assert _client(people["outsider"]).get("/linkage/model/").status_code == 404


def test_the_unique_victim_figures_beside_the_victims_recorded(people, user_factory) -> None:
    UniqueCount.objects.create(counted_by_name="tests", method="Bloom", records=1234, distinct=1001,
                               by_country={"AL": {"recorded": 1234, "distinct": 1001}},
                               overlap={"ngo-a": {"ngo-a": 700, "police-b": 12}, "police-b": {"ngo-a": 12,
                                                                                                "police-b": 546}})
    html = _client(people["allowed"]).get("/linkage/unique-victims/").content.decode()
    assert "1,234" in html and "1,001" in html and "546" in html
    dashboard = _client(people["allowed"]).get("/diagnostics/").content.decode()
    assert 'id="unique-victims"' in dashboard
    assert "Victims recorded" in dashboard and "distinct victims (estimated)" in dashboard
    assert _client(people["outsider"]).get("/linkage/unique-victims/").status_code == 404
    viewer = user_factory("viewer-1", Role.VIEWER)
    assert 'id="unique-victims"' not in _client(viewer).get("/diagnostics/").content.decode()


def test_network_persons_become_records_and_the_shipped_model_scores_their_pairs(people) -> None:
    from palermo.networks.models import Entity, Network

    network = Network.objects.create(name="Durrës ring", owner_country_id="AL")
    for index, (name, dob, passport) in enumerate([("Ardit Hoxha", "1988-03-14", "AL1234567"),
                                                   ("HODJA Ardit", "1988-03-14", "AL1234567"),
                                                   ("Elena Petrova", "1995-11-02", "")]):
        Entity.objects.create(network=network, ftm_id=f"p{index}", schema="Person", caption=name, country_id="AL",
                              properties={"name": [name], "birthDate": [dob],
                                          **({"passportNumber": [passport]} if passport else {})})
    system = SYSTEM.running("tests")
    assert sync_network_persons(acting_user=system) == 3
    assert sync_network_persons(acting_user=system) == 0  # refreshed, not duplicated
    record = LinkRecord.objects.get(reference=str(Entity.objects.get(ftm_id="p1").pk))
    assert (record.names, record.dob, record.documents, record.country_id) == (
        ["HODJA Ardit"], "1988-03-14", [["AL", "AL1234567"]], "AL")
    assert find_candidates(acting_user=system) == 1
    pair = Candidate.objects.get()
    assert {pair.left.names[0], pair.right.names[0]} == {"Ardit Hoxha", "HODJA Ardit"}
    assert pair.match_probability > 0.99
