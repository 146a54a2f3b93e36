"""The demo networks: deterministic, idempotent, the same person under two sources joined by a phone, a co-signed
diagnosis."""

from __future__ import annotations

import pytest

from palermo.networks import demo
from palermo.networks.graphs import analyse_network
from palermo.networks.models import Diagnosis, Entity, Link, Network, SharedValue

pytestmark = pytest.mark.django_db


def test_the_demo_networks() -> None:
    log: list[str] = []
    demo.load(log)
    counts = (Network.objects.count(), Entity.objects.count(), Link.objects.count())
    demo.load(log)
    assert (Network.objects.count(), Entity.objects.count(), Link.objects.count()) == counts
    ring = Network.objects.get(name=demo.RING)
    assert sorted(ring.sources.values_list("country", flat=True)) == ["RO", "RS", "RS"]
    assert list(ring.shared_with.values_list("code", flat=True)) == ["RS"]
    holders = SharedValue.objects.filter(network=ring, kind="phone", value="+40721555101")
    assert sorted(holders.values_list("entity__ftm_id", flat=True)) == ["ro-p1", "rs-p1"]
    figures = analyse_network(ring)
    assert figures["components"] == 1 and figures["periods"]
    assert {s["role"] for s in figures["suggested_roles"]} >= {"recruiter", "transporter", "money_handler"}
    assert any(b["label"] == "Jon Marinescu" or b["label"] == "Ion Marinescu" for b in figures["cross_border_brokers"])
    diagnosis = Diagnosis.objects.get(network=ring)
    assert diagnosis.jointly and list(diagnosis.steps.values_list("step", flat=True)) == [
        "drafted", "shared", "commented", "cosigned"]
    transfers = Network.objects.get(name=demo.TRANSFERS)
    assert Link.objects.filter(network=transfers, schema="Call").count() == 150
    assert Link.objects.filter(network=transfers, schema="Payment").count() == 80
