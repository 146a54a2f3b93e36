"""The pure rules of accounts.grants: what is sensitive, what an approval covers, what a request changes."""

from __future__ import annotations

from palermo.accounts.grants import AccessProfile, changes, covered, identifying_covered, superuser_covered

WORKER = AccessProfile.of(role="case_worker", organisation=7, countries=["RS"], superuser=False)


def test_what_is_sensitive() -> None:
    assert WORKER.sensitive and WORKER.identifying
    assert AccessProfile.of(role="programme_manager", organisation=None, countries=None, superuser=True).sensitive
    assert not AccessProfile.of(role="analyst", organisation=None, countries=["RS"], superuser=False).sensitive


def test_an_approval_covers_the_same_or_less_never_more() -> None:
    assert covered(WORKER, WORKER)
    wider = AccessProfile.of(role="case_worker", organisation=7, countries=["RS", "AL"], superuser=False)
    assert covered(WORKER, wider) and not covered(wider, WORKER)
    assert not covered(AccessProfile.of(role="case_worker", organisation=8, countries=["RS"], superuser=False), WORKER)
    assert not covered(WORKER, None) and not identifying_covered(WORKER, None)
    assert not covered(AccessProfile.of(role="case_worker", organisation=7, countries=None, superuser=False), WORKER)
    assert covered(AccessProfile.of(role="viewer", organisation=None, countries=None, superuser=False), None)
    boss = AccessProfile.of(role="programme_manager", organisation=None, countries=None, superuser=True)
    assert not covered(boss, None) and not superuser_covered(WORKER) and superuser_covered(boss)
    assert not covered(AccessProfile.of(role="case_worker", organisation=7, countries=["RS"], superuser=True), WORKER)


def test_a_profile_round_trips_and_a_request_names_what_it_changes() -> None:
    assert AccessProfile.from_json(WORKER.as_json()) == WORKER
    assert AccessProfile.from_json({}) is None and AccessProfile.from_json(None) is None
    wider = AccessProfile.of(role="case_worker", organisation=7, countries=["AL", "RS"], superuser=False)
    assert changes(WORKER, wider) == {"countries": [["RS"], ["AL", "RS"]]}
    assert changes(None, WORKER) == {"role": [None, "case_worker"], "organisation": [None, 7],
                                     "countries": [None, ["RS"]], "superuser": [None, False]}
