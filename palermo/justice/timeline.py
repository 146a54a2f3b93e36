"""A case's criminal proceedings on its timeline (``palermo.cases.timeline``, kind "prosecution"): the opening of
the investigation, the start of the prosecution and each court decision, for the proceedings in which the case's
person is a victim; only for those who read them (``Proceeding.objects.visible_to``)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext

from palermo.accounts.models import User
from palermo.cases.models import Case
from palermo.cases.timeline import Entry, day_end, day_start, username
from palermo.justice.models import Decision, Proceeding


def events(user: User, case: Case) -> list[Entry]:
    entries = []
    proceedings = Proceeding.objects.visible_to(user).filter(victims__case=case).select_related(
        "defendant", "recorded_by").prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.select_related("recorded_by").order_by("decided_on", "pk")))
    for p in proceedings.order_by("investigation_opened", "pk"):
        link = reverse("justice:proceeding", args=[p.pk])
        names = {"file": p.file_number or p.pk, "defendant": p.defendant.reference}
        entries.append(Entry(day_start(p.investigation_opened), "prosecution",
                             gettext("Investigation opened: %(file)s against %(defendant)s") % names,
                             username(p.recorded_by), whole_day=True, link=link, order=3 * p.pk))
        if p.prosecuted_on is not None:
            entries.append(Entry(day_end(p.prosecuted_on), "prosecution",
                                 gettext("Prosecution started: %(file)s against %(defendant)s") % names,
                                 username(p.recorded_by), whole_day=True, link=link, order=3 * p.pk + 1))
        for decision in p.decisions.all():
            what = gettext("Court decision (%(instance)s): %(outcome)s — %(file)s") % {
                **names, "instance": decision.get_instance_display(), "outcome": decision.get_outcome_display()}
            entries.append(Entry(day_end(decision.decided_on), "prosecution", what, username(decision.recorded_by),
                                 whole_day=True, link=link, order=3 * p.pk + 2))
    return entries
