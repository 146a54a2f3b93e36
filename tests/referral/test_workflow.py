"""The referral steps and deadlines (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from palermo.referral import workflow as wf


@pytest.mark.parametrize(("previous", "step"), [
    (None, wf.POSSIBLE), (wf.POSSIBLE, wf.REFERRED), (wf.REFERRED, wf.ACCEPTED), (wf.REFERRED, wf.REFUSED),
    (wf.ACCEPTED, wf.IDENTIFIED), (wf.ACCEPTED, wf.NOT_IDENTIFIED),
])
def test_the_next_step_needs_no_reason(previous: str | None, step: str) -> None:
    assert wf.check_move(previous, step, "").kind == "next"


@pytest.mark.parametrize(("previous", "step", "kind"), [
    (None, wf.REFERRED, "skip"),
    (wf.POSSIBLE, wf.ACCEPTED, "skip"),
    (wf.POSSIBLE, wf.IDENTIFIED, "skip"),
    (wf.REFERRED, wf.NOT_IDENTIFIED, "skip"),
    (wf.REFUSED, wf.IDENTIFIED, "skip"),
    (wf.REFERRED, wf.POSSIBLE, "backwards"),
    (wf.REFUSED, wf.REFERRED, "backwards"),
    (wf.IDENTIFIED, wf.ACCEPTED, "backwards"),
    (wf.ACCEPTED, wf.REFUSED, "sideways"),
    (wf.IDENTIFIED, wf.NOT_IDENTIFIED, "sideways"),
])
def test_backwards_sideways_and_skipped_steps_need_a_reason(previous: str | None, step: str, kind: str) -> None:
    with pytest.raises(wf.WorkflowError, match=f"is a {kind} move: record the reason"):
        wf.check_move(previous, step, "  ")
    assert wf.check_move(previous, step, "identified by the police directly").kind == kind


def test_an_unknown_or_repeated_step_is_refused() -> None:
    with pytest.raises(wf.WorkflowError, match="unknown step 'rescued'"):
        wf.check_move(wf.POSSIBLE, "rescued", "why")
    with pytest.raises(wf.WorkflowError, match="already at 'referred'"):
        wf.check_move(wf.REFERRED, wf.REFERRED, "why")


BUCHAREST = "Europe/Bucharest"  # EET (UTC+2) / EEST (UTC+3); clocks go forward on 29 March 2026, back on 25 Oct


def test_a_period_across_the_spring_change_ends_at_local_midnight() -> None:
    start = datetime(2026, 3, 27, 21, 30, tzinfo=UTC)  # 23:30 in Bucharest on 27 March (EET)
    end = wf.period_end(start, 3, BUCHAREST)
    assert end.isoformat() == "2026-03-31T00:00:00+03:00"  # the close of 30 March, in summer time
    assert end.astimezone(UTC) == datetime(2026, 3, 30, 21, 0, tzinfo=UTC)
    assert end - start == timedelta(days=2, hours=23, minutes=30)  # 3 days 30 minutes on the clock, less the lost hour
    assert wf.last_day(start, 3, BUCHAREST) == date(2026, 3, 30)


def test_a_period_across_the_autumn_change() -> None:
    start = datetime(2026, 10, 24, 22, 30, tzinfo=UTC)  # 01:30 on 25 October in Bucharest (EEST), before 04:00
    end = wf.period_end(start, 1, BUCHAREST)
    assert end.isoformat() == "2026-10-27T00:00:00+02:00"
    assert wf.local_day(start, BUCHAREST) == date(2026, 10, 25)  # already the next day locally, not in UTC


def test_the_local_day_decides_not_the_utc_day() -> None:
    late = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)  # 1 July 01:30 in Bucharest, still 30 June in London
    assert wf.last_day(late, 30, BUCHAREST) == date(2026, 7, 31)
    assert wf.last_day(late, 30, "Europe/London") == date(2026, 7, 30)


def test_the_reflection_period_is_at_least_thirty_days() -> None:
    assert wf.reflection_days(None) == 30
    assert wf.reflection_days(45) == 45
    with pytest.raises(wf.WorkflowError, match="at least 30 days"):
        wf.reflection_days(29)


def test_bad_zones_and_naive_moments_are_refused() -> None:
    with pytest.raises(wf.WorkflowError, match="unknown time zone 'Europe/Atlantis'"):
        wf.period_end(datetime(2026, 1, 1, tzinfo=UTC), 1, "Europe/Atlantis")
    with pytest.raises(wf.WorkflowError, match="needs its time zone"):
        wf.local_day(datetime(2026, 1, 1), BUCHAREST)


def test_urgency_and_the_worklist_order() -> None:
    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    assert wf.urgency(now - timedelta(seconds=1), now) == "overdue"
    assert wf.urgency(now, now) == "overdue"
    assert wf.urgency(now + timedelta(days=3), now) == "due_soon"
    assert wf.urgency(now + timedelta(days=3, seconds=1), now) == "later"
    assert wf.urgency(None, now) == "none"
    assert wf.urgency(now - timedelta(days=9), now, done=True) == "done"
    items = [("adult later", "later", False, now + timedelta(days=9)),
             ("minor later", "later", True, now + timedelta(days=20)),
             ("adult overdue", "overdue", False, now - timedelta(days=1)),
             ("minor due soon", "due_soon", True, now + timedelta(days=2)),
             ("minor overdue", "overdue", True, now - timedelta(hours=1)),
             ("adult due soon", "due_soon", False, now + timedelta(days=1))]
    ordered = sorted(items, key=lambda item: wf.worklist_key(item[1], item[2], item[3]))
    assert [item[0] for item in ordered] == ["minor overdue", "adult overdue", "minor due soon", "adult due soon",
                                             "minor later", "adult later"]
