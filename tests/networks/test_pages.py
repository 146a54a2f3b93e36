"""Pages of the networks, with three users each: allowed (Romania's analyst, Romania owns the network), the same
role in another country (Moldova), an outsider (a case worker in Romania). A refused request changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from palermo.audit.models import AuditEvent
from palermo.jobs.models import Job
from palermo.networks.models import Entity, Network, RoleAnnotation
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def state() -> tuple[Any, ...]:
    return (AuditEvent.objects.count(), RoleAnnotation.objects.count(),
            list(Network.objects.values_list("name", "version")),
            sorted(Network.shared_with.through.objects.values_list("network_id", "country_id")))


def test_the_list_and_the_network_page_in_scope_only(network: Network, people: dict[str, Any]) -> None:
    allowed = client_for(people["allowed"])
    response = allowed.get(reverse("networks:list"))
    assert response.status_code == 200 and "ring" in response.content.decode()
    page = allowed.get(reverse("networks:detail", args=[network.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="figure-nodes">6<' in body  # 3 persons, an account, a vehicle and a shared phone as a value node
    assert "vendor/vis-network.min.js" in body and "https://" not in body.split("<body")[0]
    other = client_for(people["other_country"])
    assert "ring" not in other.get(reverse("networks:list")).content.decode()
    for name in ("detail", "graph", "entities", "export"):
        args = [network.pk, "csv"] if name == "export" else [network.pk]
        assert other.get(reverse(f"networks:{name}", args=args)).status_code == 404
    outsider = client_for(people["outsider"])
    assert outsider.get(reverse("networks:list")).status_code == 404
    assert outsider.get(reverse("networks:detail", args=[network.pk])).status_code == 404


def test_the_chart_data_filters_and_expands(network: Network, people: dict[str, Any]) -> None:
    client = client_for(people["allowed"])
    url = reverse("networks:graph", args=[network.pk])
    data = client.get(url).json()
    labels = sorted(node["label"] for node in data["nodes"])
    assert labels == ["+40721123456", "Ana Banca", "B 12 ABC", "Ion Recrutor", "Marko Vozač",
                      "RO49AAAA1B31007593840000"]
    assert {e["type"] for e in data["edges"]} == {"Associate", "Call", "Ownership", "Payment", "Vehicle:owner",
                                                  "value:phone"}
    persons = client.get(url, {"type": "Person", "values": "0"}).json()
    assert sorted(n["label"] for n in persons["nodes"]) == ["Ana Banca", "Ion Recrutor", "Marko Vozač"]
    dated = client.get(url, {"from": "2024-04-01", "values": "0"}).json()
    assert [e["type"] for e in dated["edges"]] == ["Payment"]
    ion = Entity.objects.get(ftm_id="p-ion")
    around = client.get(url, {"focus": ion.pk, "depth": "1", "values": "0"}).json()
    assert sorted(n["label"] for n in around["nodes"]) == ["Ana Banca", "Ion Recrutor", "Marko Vozač"]
    annotated = next(n for n in data["nodes"] if n["label"] == "Ion Recrutor")
    assert "recruiter" in annotated["suggested"]  # "recruiter" named on its Associate link: a suggestion


def test_exports_are_audited(network: Network, people: dict[str, Any]) -> None:
    client = client_for(people["allowed"])
    for fmt, marker in (("graphml", b"<graphml"), ("gexf", b"<gexf"), ("csv", b"source,target"),
                        ("ftm", b'"schema": "Person"')):
        response = client.get(reverse("networks:export", args=[network.pk, fmt]))
        assert response.status_code == 200 and marker in response.content
    assert sorted(AuditEvent.objects.filter(action="export", object_type="networks.network").values_list(
        "detail__format", flat=True)) == ["csv", "ftm", "gexf", "graphml"]
    response = client.get(reverse("networks:entities", args=[network.pk]), {"format": "csv"})
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="export", object_type="networks.entities").count() == 1


def test_sharing_opens_the_network_to_another_country(network: Network, people: dict[str, Any]) -> None:
    url = reverse("networks:share", args=[network.pk])
    clients = {who: client_for(people[who]) for who in ("other_country", "outsider")}
    before = state()
    for who in ("other_country", "outsider"):
        assert clients[who].post(url, {"countries": ["MD"]}).status_code == 404
    assert state() == before
    assert client_for(people["allowed"]).post(url, {"countries": ["MD"]}).status_code == 302
    assert list(network.shared_with.values_list("code", flat=True)) == ["MD"]
    assert AuditEvent.objects.filter(object_type="networks.network", action="update").get().detail["shared_with"] == [
        "MD"]
    other = clients["other_country"]
    assert other.get(reverse("networks:detail", args=[network.pk])).status_code == 200
    # shared to read, not to edit
    ion = Entity.objects.get(ftm_id="p-ion")
    before = state()
    assert other.post(reverse("networks:annotate", args=[network.pk, ion.pk]), {"role": "recruiter"}).status_code == 404
    assert state() == before


def test_annotating_a_role_is_audited_and_refused_to_others(network: Network, people: dict[str, Any]) -> None:
    ion = Entity.objects.get(ftm_id="p-ion")
    url = reverse("networks:annotate", args=[network.pk, ion.pk])
    clients = {who: client_for(people[who]) for who in ("other_country", "outsider")}
    before = state()
    for who in ("other_country", "outsider"):
        assert clients[who].post(url, {"role": "recruiter"}).status_code == 404
    assert state() == before
    allowed = client_for(people["allowed"])
    assert allowed.post(url, {"role": "recruiter", "note": "named by two victims"}).status_code == 302
    assert list(RoleAnnotation.objects.values_list("role", "note")) == [("recruiter", "named by two victims")]
    assert Network.objects.get(pk=network.pk).version == 3
    page = allowed.get(reverse("networks:entity", args=[network.pk, ion.pk]))
    assert page.status_code == 200 and "police-ro" in page.content.decode()
    assert allowed.post(url, {"role": "boss"}).status_code == 302
    assert RoleAnnotation.objects.count() == 1


def test_a_web_upload_becomes_a_background_job(people: dict[str, Any], tmp_path: Any, db: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("networks:upload")
    assert client_for(people["outsider"]).get(url).status_code == 404
    client = client_for(people["allowed"])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"file": SimpleUploadedFile("e.csv", b"a,b\n"), "format": "csv", "source": "s",
                                "country": "RS"})
    assert refused.status_code == 400 and Job.objects.count() == 0
    response = client.post(url, {"file": SimpleUploadedFile("e.csv", b"source,target\nA,B\n"), "format": "csv",
                                 "kind": "edges", "source": "s", "country": "RO"})
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.kind == "networks.import" and job.created_by == people["allowed"]


def _grow(tmp_path: Any, name: str) -> Callable[[], object]:
    from palermo.accounts.access import SYSTEM
    from palermo.networks import services
    from palermo.networks.importing import import_network_file
    from tests.networks.conftest import FTM_LINES, write_lines

    def grow() -> object:
        import_network_file(acting_user=SYSTEM.running("test"), path=write_lines(tmp_path / f"{name}.json", FTM_LINES),
                            fmt="ftm", source=name, country="RO", network_name=name)
        more = Network.objects.get(name=name)
        services.share_network(acting_user=SYSTEM.running("test"), network=more, countries=["RS", "MD"])
        return services.draft_diagnosis(acting_user=SYSTEM.running("test"), network=more, year=2026)

    return grow


def test_query_pins_of_the_lists(network: Network, people: dict[str, Any], tmp_path: Any,
                                 django_assert_num_queries: Any) -> None:
    from tests.pins import pin

    client = client_for(people["allowed"])
    pin(client, reverse("networks:list"), 5, django_assert_num_queries, grow=_grow(tmp_path, "second"))
    pin(client, reverse("networks:entities", args=[network.pk]), 6, django_assert_num_queries)
    pin(client, reverse("networks:diagnoses"), 5, django_assert_num_queries, grow=_grow(tmp_path, "third"))
    api_client = client_for(people["allowed"])
    pin(api_client, "/api/networks/", 6, django_assert_num_queries, grow=_grow(tmp_path, "fourth"))
    pin(api_client, "/api/network-diagnoses/", 5, django_assert_num_queries, grow=_grow(tmp_path, "fifth"))


def test_a_person_is_linked_to_a_case_in_scope_only(network: Network, people: dict[str, Any]) -> None:
    from palermo.cases.models import Case
    from palermo.networks.models import CaseLink
    from palermo.partners.models import Organisation

    organisation = Organisation.objects.create(name="Org RO", short_name="ORG-RO", country_id="RO")
    from palermo.accounts.access import SYSTEM
    from palermo.cases.services import Route, create_case

    case_ro, case_rs = (create_case(acting_user=SYSTEM.running("test"), case=Case(
        organisation=organisation, owner_country_id=code), forms=[], route=Route()) for code in ("RO", "RS"))
    ana = Entity.objects.get(ftm_id="p-ana")
    url = reverse("networks:link_case", args=[network.pk, ana.pk])
    clients = {who: client_for(people[who]) for who in ("allowed", "other_country", "outsider")}
    for who in ("other_country", "outsider"):
        assert clients[who].post(url, {"case_code": case_ro.case_code, "role": "victim"}).status_code == 404
    assert CaseLink.objects.count() == 0
    clients["allowed"].post(url, {"case_code": case_rs.case_code, "role": "victim"})  # outside the analyst's scope
    assert CaseLink.objects.count() == 0
    assert clients["allowed"].post(url, {"case_code": case_ro.case_code, "role": "victim"}).status_code == 302
    assert list(CaseLink.objects.values_list("case__case_code", "role")) == [(case_ro.case_code, "victim")]
    assert AuditEvent.objects.filter(object_type="networks.entity", detail__case_role="victim").count() == 1
