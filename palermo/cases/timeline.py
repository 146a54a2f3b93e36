"""A case's timeline: what happened to the person, in date order, each with who and when.

The cases app knows only the case itself (first contact, recording, trafficking status decisions). Every other
capability adds its own events from its ``AppConfig.ready`` with ``add_source`` (screening, referral,
assistance; later prosecution), each reading only what the user may see through its ``visible_to``; the cases
app imports none of them.

Some events carry a time, others only a day (a date of identification, a support plan's start). A day-only event
is placed at the start of its day when it opens the day's story (first contact), at its end when it records the
outcome of the day (a status decision, a support plan starting or ending), in the platform's time zone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, TypeAlias

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from palermo.cases import codes

if TYPE_CHECKING:
    from palermo.accounts.models import User
    from palermo.cases.models import Case

# The kinds of events, in the order they sort when they fall at the same moment.
KINDS: dict[str, Promise] = {
    "contact": _("contact"),
    "screening": _("screening"),
    "referral": _("referral"),
    "identification": _("identification"),
    "assistance": _("assistance"),
    "prosecution": _("prosecution"),
}
KIND_ORDER = {kind: position for position, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class Entry:
    when: datetime  # aware
    kind: str  # one of KINDS
    what: str  # in the reader's language
    who: str = ""  # the username of whoever recorded it, "" when unknown or the system
    whole_day: bool = False  # only the day is known: show the date alone
    link: str = ""  # the page of the event, if it has one
    order: int = 0  # among events of one source at the same moment

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


Source: TypeAlias = "Callable[[User, Case], Iterable[Entry]]"
_sources: list[Source] = []


def add_source(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def day_end(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def entries_for(user: User, case: Case) -> list[Entry]:
    """Every source's events for a case the user may read (the caller checked), oldest first."""
    found = [entry for source in _sources for entry in source(user, case)]
    return sorted(found, key=lambda e: (e.when, KIND_ORDER[e.kind], e.order))


def username(user: User | None) -> str:
    return user.get_username() if user is not None else ""


def case_events(user: User, case: Case) -> list[Entry]:
    """The case's own events: first contact, the record, and each decision on the trafficking status (the first
    status is left out when it is only the presumption every new case starts with)."""
    history = list(case.status_history.select_related("recorded_by").order_by("recorded_at", "pk"))
    entries = []
    if case.identification_date:
        entries.append(Entry(day_start(case.identification_date), "contact",
                             gettext("Identified as a possible victim: the date of identification on the case"),
                             whole_day=True))
    what = gettext("Case recorded")
    if case.source:
        what = gettext("Case recorded (imported from %(source)s)") % {"source": case.source}
    entries.append(Entry(case.created_at, "contact", what, username(history[0].recorded_by) if history else "",
                         order=1))
    for position, change in enumerate(history):
        presumption = (change.status == codes.TraffickingStatus.POSSIBLE and not change.decided_by
                       and not change.decided_on)
        if position == 0 and presumption:
            continue
        what = gettext("Trafficking status: %(status)s") % {"status": change.get_status_display()}
        if change.decided_by:
            what += " — " + gettext("decided by %(body)s") % {"body": change.get_decided_by_display()}
        if change.source == "referral":
            what += " " + gettext("(from the referral mechanism)")
        when, whole_day = (day_end(change.decided_on), True) if change.decided_on else (change.recorded_at, False)
        entries.append(Entry(when, "identification", what, username(change.recorded_by), whole_day=whole_day,
                             order=position))
    return entries
