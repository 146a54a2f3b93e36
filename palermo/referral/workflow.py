"""The national referral mechanism's steps and deadlines. Pure Python: no Django here.

Steps, in order: possible (presumed) victim → referred → accepted or refused → formally identified or not.
Moving to the next step needs nothing more; going backwards, sideways (accepted ↔ refused) or skipping a step
needs a recorded reason. Deadlines are calendar days in the country's time zone: a period of N days that starts
on a local day D ends at the local midnight that closes day D + N, whatever daylight-saving change lies between.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

POSSIBLE, REFERRED, ACCEPTED, REFUSED, IDENTIFIED, NOT_IDENTIFIED = (
    "possible_victim", "referred", "accepted", "refused", "identified", "not_identified")
LEVELS = {POSSIBLE: 0, REFERRED: 1, ACCEPTED: 2, REFUSED: 2, IDENTIFIED: 3, NOT_IDENTIFIED: 3}
STEPS = tuple(LEVELS)
NEXT = {None: {POSSIBLE}, POSSIBLE: {REFERRED}, REFERRED: {ACCEPTED, REFUSED}, ACCEPTED: {IDENTIFIED, NOT_IDENTIFIED},
        REFUSED: set(), IDENTIFIED: set(), NOT_IDENTIFIED: set()}
MIN_REFLECTION_DAYS = 30  # Warsaw Convention Art. 13: at least 30 days
DUE_SOON_DAYS = 3


class WorkflowError(ValueError):
    """A step that the workflow refuses, with the reason in words."""


@dataclass(frozen=True)
class Move:
    previous: str | None
    step: str
    kind: str  # "next", "backwards", "skip", "sideways", "first"

    @property
    def needs_reason(self) -> bool:
        return self.kind != "next"


def classify(previous: str | None, step: str) -> Move:
    if step not in LEVELS:
        raise WorkflowError(f"unknown step {step!r}; the steps are {', '.join(STEPS)}")
    if step in NEXT[previous]:
        return Move(previous, step, "next")
    if previous is None:
        return Move(previous, step, "skip")
    if step == previous:
        raise WorkflowError(f"the referral is already at {step!r}")
    level, before = LEVELS[step], LEVELS[previous]
    kind = "backwards" if level < before else "sideways" if level == before else "skip"
    return Move(previous, step, kind)


def check_move(previous: str | None, step: str, reason: str) -> Move:
    """The move, if allowed: any move other than to the next step needs a reason."""
    move = classify(previous, step)
    if move.needs_reason and not reason.strip():
        raise WorkflowError(
            f"moving from {previous or 'nothing'} to {step} is a {move.kind} move: record the reason")
    return move


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise WorkflowError(f"unknown time zone {name!r}") from error


def local_day(moment: datetime, time_zone: str) -> date:
    if moment.tzinfo is None:
        raise WorkflowError("a moment needs its time zone")
    return moment.astimezone(zone(time_zone)).date()


def period_end(start: datetime, days: int, time_zone: str) -> datetime:
    """The end of a period of ``days`` calendar days starting on ``start``'s local day: the local midnight that
    closes the last day, as an aware datetime in the country's zone."""
    if days < 0:
        raise WorkflowError("a period cannot be negative")
    last = local_day(start, time_zone) + timedelta(days=days)
    return datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone(time_zone))


def last_day(start: datetime, days: int, time_zone: str) -> date:
    """The last day of the period, as the country's calendar reads it."""
    return local_day(start, time_zone) + timedelta(days=days)


def reflection_days(country_days: int | None) -> int:
    """The country's recovery and reflection period, never below the Warsaw minimum of 30 days."""
    if country_days is None:
        return MIN_REFLECTION_DAYS
    if country_days < MIN_REFLECTION_DAYS:
        raise WorkflowError(f"a recovery and reflection period lasts at least {MIN_REFLECTION_DAYS} days")
    return country_days


def urgency(due: datetime | None, now: datetime, done: bool = False) -> str:
    """``overdue``, ``due_soon`` (within three days), ``later``, ``done`` or ``none`` (no deadline)."""
    if done:
        return "done"
    if due is None:
        return "none"
    if now >= due:
        return "overdue"
    return "due_soon" if due - now <= timedelta(days=DUE_SOON_DAYS) else "later"


URGENCY_ORDER = {"overdue": 0, "due_soon": 1, "later": 2, "none": 3, "done": 4}


def worklist_key(urgency_: str, minor: bool | None, due: datetime | None) -> tuple[int, int, float]:
    """Overdue first, then due soon; within each, minors first; then the earliest deadline."""
    return (URGENCY_ORDER[urgency_], 0 if minor else 1, due.timestamp() if due else float("inf"))
