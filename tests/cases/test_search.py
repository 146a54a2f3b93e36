"""Search by name and birth date through the blind index: normalisation, every path that writes names keeps the
index, the search itself (scope, audit, nothing decrypted but the candidates' birth dates)."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.audit.models import AuditEvent
from palermo.cases import blind, index
from palermo.cases.codes import ErasureReason
from palermo.cases.crypto import FieldCipher
from palermo.cases.models import Case, RetentionPolicy, SearchToken
from palermo.cases.samples import HTCDS_COLUMNS
from palermo.cases.services import Route, create_case, erase_case, import_rows, purge, update_case
from palermo.cases.services.search import search_cases
from tests.cases.conftest import sample_rows
from tests.conftest import verified_login

KEY_A = "search-key-A-Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4"
KEY_B = "search-key-B-cXV1eHF1dXhxdXV4cXV1eGZvb2Jhcg=="


@pytest.mark.parametrize(("written", "typed"), [
    ("Ștefănescu", "STEFANESCU"), ("Đorđević", "Ђорђевић"), ("Živković", "Живковић"), ("Zhivkov", "Живков"),
    ("Christos", "Χρήστος"), ("Papadopoulos", "Παπαδόπουλος"), ("Evangelos", "Ευάγγελος"), ("Eftychia", "Ευτυχία"),
    ("Nikolay", "Николай"), ("Gjorgji", "Ѓорѓи"), ("Tsvetanov", "Цветанов"), ("Shterev", "Щерев"),
    ("O'Brien", "obrien"), ("Groß", "gross"), ("Hoxha", "HOXHA"),
])
def test_a_name_and_its_other_spellings_normalise_alike(written: str, typed: str) -> None:
    assert blind.normalise(written) == blind.normalise(typed)


def test_tokens_are_each_name_part_and_the_birth_year() -> None:
    assert blind.tokens(names=["Ana-Maria", "", "Popescu A."], birth_year=1999) == [
        "n:ana", "n:maria", "n:popescu", "y:1999"]
    assert blind.read_query("Ana Popescu 1999") == blind.Query(("ana", "popescu"), 1999, None)
    assert blind.read_query("ana", "04/03/1999") == blind.Query(("ana",), 1999, date(1999, 3, 4))
    for name, birth, message in (("A", "", "Give at least one name of two letters or more."),
                                 ("Ana", "31/02/1999", "This date does not exist."),
                                 ("Ana", "next year", "Give the date of birth as 31/12/1999 or 1999-12-31, or only "
                                                      "the year.")):
        with pytest.raises(blind.QueryError, match=message):
            blind.read_query(name, birth)


def test_the_index_key_is_independent_of_the_encryption_key_and_follows_the_secret() -> None:
    a, b = FieldCipher(KEY_A), FieldCipher(KEY_B)
    assert a.index.key_id == a.key_id
    assert a.index.digest("n:ana") != b.index.digest("n:ana")
    assert -2**63 <= a.index.digest("n:ana") < 2**63
    assert a.index.digest("n:ana") == FieldCipher(KEY_A).index.digest("n:ana")


def test_the_import_path_indexes_exactly_as_the_form_path() -> None:
    import polars as pl

    names = [("O'Brien", "Ana-Maria", "Zhivkov"), ("Ђорђе", "", "Živković"), ("ștefan  Tsvetan", "A. B", "x 123"),
             ("Χρήστος", "Papadopoulos", "`Smith´"), ("", "", ""), ("Ana\u00a0Popescu", "ANA", "Groß")]
    births = [date(1999, 3, 4), None, date(1980, 1, 1), date(2001, 5, 6), None, date(1999, 1, 1)]
    frame = pl.DataFrame({"case_id": list(range(len(names))), "first_name": [n[0] for n in names],
                          "middle_name": [n[1] for n in names], "second_name": [n[2] for n in names],
                          "birth_date": births}, schema_overrides={"birth_date": pl.Date})
    hasher = index.keyring().index
    expected = {(case_id, digest) for case_id, (row, birth) in enumerate(zip(names, births, strict=True))
                for digest in index.digests_of(hasher, names=row, birth_date=birth)}
    rows = index.frame_rows(frame)
    assert set(rows.select("case_id", "token").rows()) == expected and rows.height == len(expected)
    assert set(rows["key_id"]) == {hasher.key_id}


@pytest.fixture
def people(user_factory: Any, organisation_factory: Any) -> dict[str, Any]:
    ngo = organisation_factory("NGO-RO", country="RO")
    return {"allowed": user_factory("cw-ro", Role.CASE_WORKER, ("RO",), organisation=ngo),
            "colleague_elsewhere": user_factory("cw-ro-2", Role.CASE_WORKER, ("RO",),
                                                organisation=organisation_factory("NGO-RO-2", country="RO")),
            "analyst": user_factory("analyst-ro", Role.ANALYST, ("RO",)),
            "outsider": user_factory("coordinator-ro", Role.NATIONAL_COORDINATOR, ("RO",)), "ngo": ngo}


def record(ngo: Any, first: str, second: str, birth: date, **extra: Any) -> Case:
    case = Case(organisation=ngo, owner_country_id="RO", first_name=first, second_name=second, birth_date=birth,
                identification_date=date(2024, 5, 1), gender="Feminine", **extra)
    return create_case(acting_user=SYSTEM.running("test"), case=case, forms=[], route=Route())


def client_for(user: Any) -> Client:
    client = Client()
    verified_login(client, user)
    return client


def test_the_case_worker_finds_a_case_by_name_and_birth_year_without_decrypting(people: Any) -> None:
    ana = record(people["ngo"], "Ana", "Popescu", date(1999, 3, 4))
    record(people["ngo"], "Ana", "Ionescu", date(1999, 3, 4))
    record(people["ngo"], "Ana", "Popescu", date(2001, 1, 1))
    stored = set(SearchToken.objects.filter(case=ana).values_list("token", flat=True))
    assert len(stored) == 3 and all(isinstance(value, int) and value not in (1999, 0) for value in stored)

    response = client_for(people["allowed"]).post("/cases/search/", {"name": "ana popescu 1999"})
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    assert [case.pk for case in response.context["result"].cases] == [ana.pk]
    assert ana.case_code in response.content.decode()
    audit = AuditEvent.objects.get(object_type="cases.search")
    assert (audit.action, audit.actor_id, audit.country) == ("read_identifying", people["allowed"].pk, "RO")
    assert {key: audit.detail[key] for key in ("channel", "name_parts", "birth", "results", "more")} == {
        "channel": "search", "name_parts": 2, "birth": "year", "results": 1, "more": False}
    assert "ana" not in str(audit.detail).lower() and "popescu" not in str(audit.detail).lower()


def test_a_full_birth_date_other_alphabets_and_whole_names_only(people: Any) -> None:
    djordje = record(people["ngo"], "Đorđe", "Živković", date(1990, 7, 9))
    record(people["ngo"], "Đorđe", "Živković", date(1990, 12, 1))
    found = search_cases(acting_user=people["allowed"], name="Ђорђе Живковић", birth="09/07/1990")
    assert [case.pk for case in found.cases] == [djordje.pk]
    assert found.query.birth_kind == "date"
    assert len(search_cases(acting_user=people["allowed"], name="Djordje zivkovic").cases) == 2
    assert search_cases(acting_user=people["allowed"], name="Zivk").cases == []


def test_only_the_owning_organisations_case_workers_search_and_a_refusal_changes_nothing(people: Any) -> None:
    record(people["ngo"], "Ana", "Popescu", date(1999, 3, 4))
    assert search_cases(acting_user=people["colleague_elsewhere"], name="Ana Popescu").cases == []
    for name in ("analyst", "outsider"):
        assert client_for(people[name]).post("/cases/search/", {"name": "Ana Popescu"}).status_code == 404
    assert AuditEvent.objects.filter(object_type="cases.search").count() == 1  # the colleague's search only
    refused = client_for(people["allowed"]).post("/cases/search/", {"name": "A", "birth": ""})
    assert refused.context["form"].errors == {"name": ["Give at least one name of two letters or more."]}
    assert AuditEvent.objects.filter(object_type="cases.search").count() == 1


def test_an_edit_rewrites_the_index(people: Any) -> None:
    case = record(people["ngo"], "Ana", "Popescu", date(1999, 3, 4))
    case.second_name = "Ionescu"
    update_case(acting_user=SYSTEM.running("test"), case=case, forms=[], route=Route())
    assert search_cases(acting_user=people["allowed"], name="Ana Popescu").cases == []
    assert [c.pk for c in search_cases(acting_user=people["allowed"], name="Ionescu Ana", birth="1999").cases] == [
        case.pk]
    assert SearchToken.objects.filter(case=case).count() == 3


def test_imports_fill_the_index_and_a_second_import_replaces_it(people: Any) -> None:
    rows = sample_rows(3, country="RO")
    rows[0]["prs_FirstName"], rows[0]["prs_SecondName"], rows[0]["prs_Birthdate"] = "Ioana", "Radu-Marin", "1998-02-03"
    report = import_rows(HTCDS_COLUMNS, rows, layout="htcds", source="file", organisation=people["ngo"],
                         country="RO", acting_user=SYSTEM.running("test"), file_name="file.csv")
    assert report.ok and report.created == 3
    found = search_cases(acting_user=people["allowed"], name="ioana marin", birth="1998")
    assert [case.source_record_id for case in found.cases] == [rows[0]["plm_CaseId"]]
    assert SearchToken.objects.count() == 4 + 2 * 3  # Ioana, Radu, Marin, 1998; Fictional, Person and a year each
    rows[0]["prs_SecondName"] = "Dumitru"
    again = import_rows(HTCDS_COLUMNS, rows, layout="htcds", source="file", organisation=people["ngo"],
                        country="RO", acting_user=SYSTEM.running("test"), file_name="file.csv")
    assert again.ok and again.updated == 3
    assert search_cases(acting_user=people["allowed"], name="Ioana Marin").cases == []
    assert len(search_cases(acting_user=people["allowed"], name="Ioana Dumitru 1998").cases) == 1
    assert SearchToken.objects.count() == 3 + 2 * 3


def test_the_purge_and_the_erasure_delete_the_index(people: Any) -> None:
    kept = record(people["ngo"], "Ana", "Popescu", date(1999, 3, 4))
    purged = record(people["ngo"], "Ana", "Popescu", date(1999, 3, 4), case_status="Closed")
    Case.objects.filter(pk=purged.pk).update(closed_on=date(2010, 1, 1))
    RetentionPolicy.objects.create(country_id="RO", years_after_closure=5, legal_basis="test", set_at=timezone.now())
    purge(acting_user=SYSTEM.running("test"))
    assert not SearchToken.objects.filter(case=purged).exists()
    erase_case(acting_user=people["allowed"], case=kept, reason=ErasureReason.values[0])
    assert SearchToken.objects.count() == 0
    assert search_cases(acting_user=people["allowed"], name="Ana Popescu").cases == []


def test_key_rotation_recomputes_the_index_and_the_search_works_throughout(people: Any, settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = KEY_A, []
    cases = [record(people["ngo"], "Ana", "Popescu", date(1999, 3, 4)) for _ in range(3)]
    old_id, new_id = FieldCipher(KEY_A).key_id, FieldCipher(KEY_B).key_id
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = KEY_B, [KEY_A]
    assert index.count_stale() == 3
    assert len(search_cases(acting_user=people["allowed"], name="Ana Popescu 1999").cases) == 3  # under the old key
    call_command("cases", "rotate-key", "--batch-size", "2", "--no-progress", stdout=StringIO())
    assert index.count_stale() == 0 and index.count_by_key() == {new_id: 3}
    assert set(SearchToken.objects.values_list("key_id", flat=True)) == {new_id} != {old_id}
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    assert sorted(c.pk for c in search_cases(acting_user=people["allowed"], name="Ana Popescu 1999").cases) == sorted(
        c.pk for c in cases)
    rotation = AuditEvent.objects.filter(object_type="cases.encryption", detail__table="cases.searchtoken")
    assert sorted(event.detail["cases"] for event in rotation) == [1, 2]


def test_the_search_reads_the_index_and_no_identity(people: Any) -> None:
    record(people["ngo"], "Ana", "Popescu", date(1999, 3, 4))
    queries: list[str] = []

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        assert len(search_cases(acting_user=people["allowed"], name="Ana Popescu").cases) == 1
    selects = [sql for sql in queries if sql.lstrip().upper().startswith("SELECT") and "cases_case" in sql]
    assert len(selects) == 1 and "cases_searchtoken" in selects[0]
    assert not any(f'"{name}"' in selects[0] for name in ("first_name", "second_name", "birth_date"))
