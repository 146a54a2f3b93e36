"""The review queue: judgements attributed, dated, audited and reversible; merges of conflicting facts warned;
an undo restores the records exactly; three users per permission case."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from palermo.audit.models import AuditEvent
from palermo.linkage.models import Candidate, Judgement, LinkRecord
from palermo.linkage.services import ConflictingMerge, judge_pair, merge_conflicts, undo_judgement
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db


def _state() -> list[tuple[int, str]]:
    return list(LinkRecord.objects.order_by("pk").values_list("pk", "canonical_id"))


def _verdicts() -> list[tuple[int, str]]:
    return list(Candidate.objects.order_by("pk").values_list("pk", "verdict"))


def test_accepting_merges_under_one_canonical_id_and_undo_restores_exactly(people, records, pairs) -> None:
    analyst = people["allowed"]
    before = _state()
    audit_before = AuditEvent.objects.count()
    judgement = judge_pair(acting_user=analyst, candidate=pairs["police_ngo"], verdict="accepted")
    police, ngo = (LinkRecord.objects.get(pk=records[k].pk) for k in ("police", "ngo"))
    assert police.canonical_id == ngo.canonical_id and police.canonical_id.startswith("NK-")
    assert LinkRecord.objects.get(pk=records["other"].pk).canonical_id == ""
    assert (judgement.judged_by, judgement.judged_by_name, judgement.judged_at is not None) == (
        analyst, "analyst-al", True)
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.object_type, event.object_id, event.actor_username) == (
        "update", "linkage.candidate", str(pairs["police_ngo"].pk), "analyst-al")
    assert event.detail["verdict"] == "accepted" and "Ardit" not in str(event.detail)

    undo_judgement(acting_user=analyst, judgement=judgement)
    assert _state() == before
    assert Candidate.objects.get(pk=pairs["police_ngo"].pk).verdict == ""
    judgement.refresh_from_db()
    assert judgement.undone_at is not None and judgement.undone_by_name == "analyst-al"
    assert AuditEvent.objects.count() == audit_before + 2
    with pytest.raises(ValidationError, match="already undone"):
        undo_judgement(acting_user=analyst, judgement=judgement)


def test_a_merge_joining_conflicting_facts_warns_and_changes_nothing_until_confirmed(people, records, pairs) -> None:
    analyst = people["allowed"]
    judge_pair(acting_user=analyst, candidate=pairs["police_ngo"], verdict="accepted")
    assert merge_conflicts(pairs["ngo_other"]) == [
        "two dates of birth: 1988-03-14, 1988-04-14", "two passports of AL: AL1234567, AL9999999"]
    state, verdicts, audit = _state(), _verdicts(), AuditEvent.objects.count()
    with pytest.raises(ConflictingMerge) as refused:
        judge_pair(acting_user=analyst, candidate=pairs["ngo_other"], verdict="accepted")
    assert "two dates of birth" in str(refused.value.messages)
    assert (_state(), _verdicts(), AuditEvent.objects.count()) == (state, verdicts, audit)

    judgement = judge_pair(acting_user=analyst, candidate=pairs["ngo_other"], verdict="accepted", confirm=True)
    assert len({c for _pk, c in _state()}) == 1  # the three records are one person
    assert len(judgement.conflicts) == 2
    undo_judgement(acting_user=analyst, judgement=judgement)
    assert _state() == state


def test_an_earlier_judgement_cannot_be_undone_under_a_later_one(people, records, pairs) -> None:
    analyst = people["allowed"]
    initial = _state()
    first = judge_pair(acting_user=analyst, candidate=pairs["police_other"], verdict="accepted", confirm=True)
    after_first = _state()
    second = judge_pair(acting_user=analyst, candidate=pairs["ngo_other"], verdict="accepted", confirm=True)
    with pytest.raises(ValidationError, match="later judgement"):
        undo_judgement(acting_user=analyst, judgement=first)
    undo_judgement(acting_user=analyst, judgement=second)
    assert _state() == after_first
    undo_judgement(acting_user=analyst, judgement=first)
    assert _state() == initial


def test_a_rejected_pair_warns_a_later_merge_of_the_same_persons(people, records, pairs) -> None:
    analyst = people["allowed"]
    judge_pair(acting_user=analyst, candidate=pairs["police_other"], verdict="rejected")
    judge_pair(acting_user=analyst, candidate=pairs["police_ngo"], verdict="accepted")
    assert "an analyst judged records of these two persons to be different people" in merge_conflicts(
        pairs["ngo_other"])


def test_the_queue_puts_persons_tied_to_cases_first_then_the_most_uncertain(people, pairs) -> None:
    order = list(Candidate.objects.visible_to(people["allowed"]).queue().values_list("pk", flat=True))
    assert order == [pairs["police_other"].pk, pairs["ngo_other"].pk, pairs["police_ngo"].pk]


@pytest.mark.parametrize("who", ["other_country", "outsider"])
def test_judging_is_refused_to_the_same_role_elsewhere_and_to_an_outsider(people, pairs, who) -> None:
    client = Client()
    verified_login(client, people[who])
    state, verdicts, audit = _state(), _verdicts(), AuditEvent.objects.exclude(action="login").count()
    response = client.post(f"/linkage/pairs/{pairs['police_ngo'].pk}/judge/", {"verdict": "a"})
    assert response.status_code == 404
    assert client.get("/linkage/").status_code == 404 if who == "outsider" else "Ardit" not in client.get(
        "/linkage/").content.decode()
    assert (_state(), _verdicts(), Judgement.objects.count()) == (state, verdicts, 0)
    assert AuditEvent.objects.exclude(action="login").count() == audit


def test_the_allowed_analyst_judges_by_keyboard_page_and_undoes(people, records, pairs) -> None:
    client = Client()
    verified_login(client, people["allowed"])
    page = client.get("/linkage/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-key="a"' in html and 'data-key="r"' in html and 'data-key="u"' in html and 'data-key="n"' in html
    assert "linkage/queue.js" in html
    assert f"pair-{pairs['police_other'].pk}" in html  # tied to a case: first
    assert "two dates of birth" in html  # the conflict shown before the merge
    response = client.post(f"/linkage/pairs/{pairs['police_ngo'].pk}/judge/", {"verdict": "a"})
    assert response.status_code == 302
    judgement = Judgement.objects.get()
    assert judgement.verdict == "accepted" and judgement.judged_by == people["allowed"]
    # a conflicting merge: warned, nothing merged, the page asks to confirm
    state = _state()
    response = client.post(f"/linkage/pairs/{pairs['ngo_other'].pk}/judge/", {"verdict": "accepted"})
    assert response.status_code == 302 and "confirm=" in response["Location"]
    assert _state() == state
    history = client.get("/linkage/judgements/").content.decode()
    assert "analyst-al" in history
    assert client.post(f"/linkage/judgements/{judgement.pk}/undo/").status_code == 302
    assert all(c == "" for _pk, c in _state())


def test_unknown_verdict_names_the_field_and_changes_nothing(people, pairs) -> None:
    state = _state()
    with pytest.raises(ValidationError) as error:
        judge_pair(acting_user=people["allowed"], candidate=pairs["police_ngo"], verdict="maybe")
    assert "verdict" in error.value.message_dict
    assert _state() == state and Judgement.objects.count() == 0


def test_undo_is_refused_to_other_people(people, pairs) -> None:
    judgement = judge_pair(acting_user=people["allowed"], candidate=pairs["police_ngo"], verdict="accepted")
    state = _state()
    for who in ("other_country", "outsider"):
        client = Client()
        verified_login(client, people[who])
        assert client.post(f"/linkage/judgements/{judgement.pk}/undo/").status_code == 404
    assert _state() == state
    judgement.refresh_from_db()
    assert judgement.undone_at is None

