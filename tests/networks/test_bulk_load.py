"""The large-import path: a plain edge list checked in one pass and written from arrays, and the secondary indexes
and foreign keys dropped around a large load and made again (here with the threshold lowered to one row)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from palermo.accounts.access import SYSTEM
from palermo.audit.models import AuditEvent
from palermo.networks import bulk, plain, reading
from palermo.networks.graphs import analyse_network
from palermo.networks.importing import import_network_file
from palermo.networks.models import Entity, Fragment, Link, Network

pytestmark = pytest.mark.django_db
ACTOR = SYSTEM.running("test")


def indexes_and_keys(table: str) -> list[str]:
    return sorted(create for _drop, create in bulk._definitions(table))


def test_a_plain_edge_list_names_every_bad_row_and_imports_nothing(tmp_path: Path, db: Any) -> None:
    path = tmp_path / "edges.txt"
    path.write_text("1 2\n2 3 2.5\n\n3\n4 5 -1\n5 6 x\n" + "a" * 301 + " 7\n", encoding="utf-8")
    report = import_network_file(acting_user=ACTOR, path=path, fmt="csv", source="s", country="RO",
                                 mapping=reading.Mapping(kind="edges", header=False))
    assert [(p.row, p.column, p.value, p.reason) for p in report.problems] == [
        (4, "target", "", "missing value"), (5, "weight", "-1", "not a number of at least 0"),
        (6, "weight", "x", "not a number of at least 0"), (7, "source", "a" * 80, "longer than 300 characters")]
    assert (Network.objects.count(), Entity.objects.count(), Link.objects.count()) == (0, 0, 0)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_a_plain_edge_list_gives_the_same_rows_as_the_general_path(tmp_path: Path, db: Any) -> None:
    path = tmp_path / "edges.csv"
    path.write_text("source,target,weight\nAna,Ion,2\nIon,Marko,\nAna,Ion,1,5\n", encoding="utf-8")
    check = reading.check_sheet(path, reading.Mapping(kind="edges"))
    assert check.edges is not None and check.nodes == {"Ana": 2, "Ion": 2, "Marko": 3}
    report = import_network_file(acting_user=ACTOR, path=path, fmt="csv", source="s", country="RO",
                                 mapping=reading.Mapping(kind="edges"))
    assert report.ok and (report.entities_created, report.links, report.rows) == (3, 3, 3)
    assert sorted(Link.objects.values_list("from_entity__caption", "to_entity__caption", "weight", "schema",
                                           "date", "amount", "currency")) == [
        ("Ana", "Ion", 1.0, "Associate", None, None, ""), ("Ana", "Ion", 2.0, "Associate", None, None, ""),
        ("Ion", "Marko", 1.0, "Associate", None, None, "")]
    assert sorted(Fragment.objects.values_list("entity__caption", "row")) == [("Ana", 2), ("Ion", 2), ("Marko", 3)]
    figures = analyse_network(Network.objects.get(), values=False)
    assert (figures["nodes"], figures["edges"], figures["links"], figures["total_weight"]) == (3, 2, 3, 4.0)


def test_a_large_load_drops_and_makes_again_the_indexes_and_keys(tmp_path: Path, db: Any,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    before = indexes_and_keys("networks_link")
    assert any("network_link_from_idx" in statement for statement in before)
    monkeypatch.setattr(bulk, "LARGE_LOAD", 1)
    seen: list[list[str]] = []
    original = bulk.insert_edges

    def spy(**kwargs: Any) -> int:
        seen.append(indexes_and_keys("networks_link"))
        return original(**kwargs)

    monkeypatch.setattr(bulk, "insert_edges", spy)
    path = tmp_path / "edges.txt"
    path.write_text("1 2\n2 3\n3 1\n", encoding="utf-8")
    report = import_network_file(acting_user=ACTOR, path=path, fmt="csv", source="s", country="RO",
                                 mapping=reading.Mapping(kind="edges", header=False))
    assert report.ok and report.links == 3
    assert seen == [[]]  # during the load: no secondary index, no foreign key on the links
    assert indexes_and_keys("networks_link") == before
    assert Link.objects.filter(from_entity__caption="1", to_entity__caption="2").count() == 1
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_key_check(networks_link)")
            assert cursor.fetchall() == []


@pytest.mark.parametrize("text", [
    "1 2\n\n2   3 2.5\n 3\t1 \n  \n4 1 0.25\n",
    "source;target;weight\nAna;Ion;1,5\n;;\nIon ; Marko;\nMarko;Ana;2;x\n",
    "a,b\nc,d,3\n\nd,a,1\n"])
def test_the_vectorised_check_gives_what_the_python_check_gives(tmp_path: Path, text: str) -> None:
    path = tmp_path / "edges.csv"
    path.write_text(text, encoding="utf-8")
    mapping = reading.Mapping(kind="edges")
    fast = reading.check_sheet(path, mapping)
    records = reading._records(path)
    first = next(records)
    slow = plain.check_edges(records if fast.header else reading._chain(first, records), fast.positions, mapping,
                             fast.header, None, reading._row_problems, reading.MAX_PROBLEMS)
    assert plain.vectorised_edges(path, first[2], fast.positions, fast.header) is not None
    assert fast.edges is not None and slow.edges is not None and not fast.problems
    assert (fast.nodes, fast.rows, fast.links, [a.tolist() for a in fast.edges]) == (
        slow.nodes, slow.rows, slow.links, [a.tolist() for a in slow.edges])


def test_a_quote_or_a_bad_row_goes_through_the_python_check(tmp_path: Path) -> None:
    path = tmp_path / "edges.csv"
    path.write_text('source,target\n"Ana, Maria",Ion\n', encoding="utf-8")
    positions = {"source": 0, "target": 1}
    assert plain.vectorised_edges(path, ",", positions, True) is None
    assert reading.check_sheet(path, reading.Mapping(kind="edges")).nodes == {"Ana, Maria": 2, "Ion": 2}
    path.write_text("source,target\nAna,\n", encoding="utf-8")
    assert plain.vectorised_edges(path, ",", positions, True) is None
    path.write_text("Ana\u00a0Ion 2\n", encoding="utf-8")  # a no-break space: Python's split is the reference
    assert plain.vectorised_edges(path, " ", positions, False) is None
    assert reading.check_sheet(path, reading.Mapping(kind="edges", header=False)).nodes == {"Ana": 1, "Ion": 1}
