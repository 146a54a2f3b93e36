"""A case's support plans on its timeline (``palermo.cases.timeline``): each start and each end, with the
outcome; only for those who may see them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext

from palermo.accounts.models import User
from palermo.assistance.models import SupportEntry
from palermo.cases.models import Case
from palermo.cases.timeline import Entry, day_end, username


def events(user: User, case: Case) -> list[Entry]:
    entries = []
    link = reverse("referral:case", args=[case.pk])
    supports = SupportEntry.objects.visible_to(user).filter(case=case).select_related(
        "provider", "recorded_by", "closed_by")
    for entry in supports.order_by("start_date", "pk"):
        names = {"type": entry.get_support_type_display(), "provider": entry.provider}
        entries.append(Entry(day_end(entry.start_date), "assistance",
                             gettext("Support started: %(type)s, by %(provider)s") % names,
                             username(entry.recorded_by), whole_day=True, link=link, order=2 * entry.pk))
        if entry.actual_end_date is not None:
            what = gettext("Support ended: %(type)s, by %(provider)s — %(outcome)s") % {
                **names, "outcome": entry.get_outcome_display()}
            entries.append(Entry(day_end(entry.actual_end_date), "assistance", what, username(entry.closed_by),
                                 whole_day=True, link=link, order=2 * entry.pk + 1))
    return entries
