"""Imports: FollowTheMoney JSON lines and spreadsheets into a network, all or nothing, with the row named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from palermo.accounts.access import SYSTEM
from palermo.audit.models import AuditEvent
from palermo.networks import reading
from palermo.networks.importing import import_network_file
from palermo.networks.models import Entity, Fragment, Link, Network, SharedValue, Source
from tests.networks.conftest import FTM_LINES, write_lines

pytestmark = pytest.mark.django_db
ACTOR = SYSTEM.running("test")


def counts() -> tuple[int, ...]:
    return (Network.objects.count(), Source.objects.count(), Entity.objects.count(), Link.objects.count(),
            SharedValue.objects.count(), Fragment.objects.count(), AuditEvent.objects.count())


def test_an_ftm_file_gives_entities_links_and_shared_values(network: Network) -> None:
    assert network.owner_country_id == "RO" and network.version == 2
    assert Entity.objects.filter(network=network).count() == 9
    assert Entity.objects.filter(network=network, is_edge=True).count() == 4  # ownership, call, payment, associate
    ion = Entity.objects.get(network=network, ftm_id="p-ion")
    assert ion.properties["phone"] == ["+40721123456"]  # national format read with the source's country
    assert ion.country_id == "RO"
    links = sorted(Link.objects.filter(network=network).values_list("schema", "from_entity__ftm_id",
                                                                     "to_entity__ftm_id", "amount", "currency"))
    assert links == [("Associate", "p-ion", "p-ana", None, ""), ("Call", "p-ion", "p-marko", 60.0, ""),
                     ("Ownership", "p-ana", "acc-1", None, ""), ("Payment", "p-marko", "p-ana", 500.0, "EUR"),
                     ("Vehicle:owner", "veh-1", "p-marko", None, "")]
    phones = SharedValue.objects.filter(network=network, kind="phone", value="+40721123456")
    assert sorted(phones.values_list("entity__ftm_id", flat=True)) == ["p-ion", "p-marko"]
    assert SharedValue.objects.get(network=network, kind="plate").value == "B12ABC"
    assert SharedValue.objects.get(network=network, kind="account").value == "RO49AAAA1B31007593840000"
    event = AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).get()
    assert event.detail["entities_created"] == 9 and event.detail["links"] == 5 and event.country == "RO"


def test_an_unknown_schema_or_property_is_refused_with_its_line(tmp_path: Path, db: Any) -> None:
    before = counts()
    bad = write_lines(tmp_path / "bad.json", [*FTM_LINES[:3], {"id": "x", "schema": "Trafficker", "properties": {}},
                                              FTM_LINES[3], {"id": "y", "schema": "Person",
                                                             "properties": {"shoeSize": ["44"]}}])
    report = import_network_file(acting_user=ACTOR, path=bad, fmt="ftm", source="s", country="RO")
    assert [(p.row, p.column, p.value, p.reason) for p in report.problems] == [
        (4, "schema", "Trafficker", "unknown FollowTheMoney schema"),
        (6, "shoeSize", "", "unknown property of Person")]
    assert counts() == before
    with pytest.raises(CommandError, match="nothing imported: 2 problem"):
        call_command("networks", "import", str(bad), "--format", "ftm", "--source", "s", "--country", "RO",
                     "--no-progress")
    assert counts() == before


def test_a_reference_to_a_missing_entity_or_a_bad_value_is_refused(tmp_path: Path, db: Any) -> None:
    bad = write_lines(tmp_path / "bad.json", [FTM_LINES[0], {"id": "c", "schema": "Call", "properties": {
        "caller": ["p-ion"], "receiver": ["nobody"]}}, {"id": "z", "schema": "Person", "properties": {
            "birthDate": ["yesterday"]}}, "{not json"])
    report = import_network_file(acting_user=ACTOR, path=bad, fmt="ftm", source="s", country="RO")
    assert [(p.row, p.column, p.value) for p in report.problems] == [
        (3, "birthDate", "yesterday"), (4, "", "{not json"), (2, "Call", "nobody")]
    assert Network.objects.count() == 0


def test_a_csv_edge_list_with_one_bad_row_imports_nothing_and_names_the_row(tmp_path: Path, db: Any) -> None:
    path = tmp_path / "edges.csv"
    path.write_text("source,target,weight,date\nA,B,1,2024-01-02\nB,C,2,2024-02-03\nC,D,x,2024-02-03\n"
                    "D,E,1,2024-13-40\n", encoding="utf-8")
    before = counts()
    report = import_network_file(acting_user=ACTOR, path=path, fmt="csv", source="s", country="RO",
                                 mapping=reading.Mapping(kind="edges"))
    assert [(p.row, p.column, p.value, p.reason) for p in report.problems] == [
        (4, "weight", "x", "not a number of at least 0"), (5, "date", "2024-13-40", "not a date (YYYY-MM-DD)")]
    assert counts() == before
    path.write_text("source,target,weight,date\nA,B,1,2024-01-02\nB,C,2,2024-02-03\n", encoding="utf-8")
    report = import_network_file(acting_user=ACTOR, path=path, fmt="csv", source="s", country="RO",
                                 mapping=reading.Mapping(kind="edges"))
    assert report.ok and (report.entities_created, report.links) == (3, 2)
    assert sorted(Link.objects.values_list("weight", "date")) == [(1.0, __import__("datetime").date(2024, 1, 2)),
                                                                  (2.0, __import__("datetime").date(2024, 2, 3))]


def test_call_detail_records_and_money_transfers_with_a_column_mapping(tmp_path: Path, db: Any) -> None:
    cdr = tmp_path / "cdr.csv"
    cdr.write_text("a_number;b_number;start;secs\n0721 123 456;0744 000 111;2024-03-01 10:00;60\n"
                   "0744 000 111;0721 123 456;2024-03-02;30\n", encoding="utf-8")
    call_command("networks", "import", str(cdr), "--format", "csv", "--kind", "calls", "--columns",
                 "caller=a_number,receiver=b_number,date=start,duration=secs", "--source", "cdr-1", "--country", "RO",
                 "--network", "cdr", "--no-progress", stdout=__import__("io").StringIO())
    network = Network.objects.get(name="cdr")
    assert Entity.objects.filter(network=network, schema="UserAccount").count() == 2
    assert sorted(Link.objects.filter(network=network).values_list("schema", "amount")) == [("Call", 30.0),
                                                                                           ("Call", 60.0)]
    transfers = tmp_path / "transfers.csv"
    transfers.write_text("from_account,to_account,amount,currency,date\nRO49 AAAA 1,RS35 2600,120.50,EUR,2024-05-01\n",
                         encoding="utf-8")
    report = import_network_file(acting_user=ACTOR, path=transfers, fmt="csv", source="bank", country="RO",
                                 network_name="cdr", mapping=reading.Mapping(kind="payments"))
    assert report.ok
    assert Link.objects.get(network=network, schema="Payment").amount == 120.5
    assert sorted(SharedValue.objects.filter(network=network, kind="account").values_list("value", flat=True)) == [
        "RO49AAAA1", "RS352600"]
    assert Network.objects.get(pk=network.pk).version == 3


def test_the_same_source_twice_is_refused_and_an_unknown_column_is_named(tmp_path: Path, network: Network,
                                                                        ftm_file: Path) -> None:
    before = counts()
    report = import_network_file(acting_user=ACTOR, path=ftm_file, fmt="ftm", source="police-ro", country="RO",
                                 network_name="ring")
    assert "already imported" in report.error and counts() == before
    path = tmp_path / "e.csv"
    path.write_text("from,to\nA,B\n", encoding="utf-8")
    report = import_network_file(acting_user=ACTOR, path=path, fmt="csv", source="x", country="RO",
                                 mapping=reading.Mapping(kind="edges", columns={"source": "from", "target": "dest"}))
    assert [(p.row, p.column, p.value) for p in report.problems] == [(1, "target", "dest")]


def test_a_second_source_merges_into_the_same_entities(tmp_path: Path, network: Network) -> None:
    more = write_lines(tmp_path / "more.json", [
        {"id": "p-ion", "schema": "Person", "properties": {"alias": ["Nelu"]}},
        {"id": "p-new", "schema": "Person", "properties": {"name": ["Nou"]}},
        {"id": "fam", "schema": "Family", "properties": {"person": ["p-new"], "relative": ["p-marko"]}}])
    report = import_network_file(acting_user=ACTOR, path=more, fmt="ftm", source="ngo-rs", country="RS",
                                 network_name="ring")
    assert report.ok and (report.entities_created, report.entities_merged) == (2, 1)
    ion = Entity.objects.get(network=network, ftm_id="p-ion")
    assert ion.properties["alias"] == ["Nelu"] and ion.properties["name"] == ["Ion Recrutor"]
    assert sorted(ion.fragments.values_list("source__name", "source__country")) == [("ngo-rs", "RS"),
                                                                                   ("police-ro", "RO")]


def test_a_person_of_another_country_may_not_import_into_the_network(network: Network, ftm_file: Path,
                                                                    people: dict[str, Any], tmp_path: Path) -> None:
    before = counts()
    for who in ("other_country", "outsider"):
        with pytest.raises(PermissionDenied):
            import_network_file(acting_user=people[who], path=ftm_file, fmt="ftm", source=f"again-{who}",
                                country="RO", network_name="ring")
    assert counts() == before
    report = import_network_file(acting_user=people["allowed"], path=write_lines(tmp_path / "one.json", [
        {"id": "p-z", "schema": "Person", "properties": {"name": ["Z"]}}]), fmt="ftm", source="again", country="RO",
        network_name="ring")
    assert report.ok
    assert AuditEvent.objects.filter(action="import", actor=people["allowed"]).count() == 1
