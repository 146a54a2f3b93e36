"""A case's referral on its timeline (``palermo.cases.timeline``): each step, with the formal identification
decision as its own stage, and the guardian's appointment; only for those who may see the referral."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import User
from palermo.cases.models import Case
from palermo.cases.timeline import Entry, username
from palermo.referral import workflow
from palermo.referral.models import Referral

FINAL = frozenset({workflow.IDENTIFIED, workflow.NOT_IDENTIFIED})
MOVES = {"backwards": _("a step back"), "skip": _("a skipped step"), "sideways": _("a changed decision"),
         "first": _("a first step")}


def events(user: User, case: Case) -> list[Entry]:
    referral = Referral.objects.visible_to(user).filter(case=case).first()
    if referral is None:
        return []
    link = reverse("referral:case", args=[case.pk])
    entries = []
    for step in referral.steps.select_related("recorded_by", "service__organisation").order_by("at", "pk"):
        what = gettext("Referral step: %(step)s") % {"step": step.get_step_display()}
        if step.decided_by:
            what += " — " + gettext("decided by %(body)s") % {"body": step.get_decided_by_display()}
        if step.service is not None:
            what += " — " + gettext("referred to %(organisation)s") % {"organisation": step.service.organisation}
        if step.kind != "next":
            what += " (" + gettext("%(move)s, because: %(reason)s") % {
                "move": MOVES.get(step.kind, step.kind), "reason": step.reason} + ")"
        kind = "identification" if step.step in FINAL else "referral"
        entries.append(Entry(step.at, kind, what, username(step.recorded_by), link=link, order=step.pk))
    if referral.guardian_appointed_at is not None:
        entries.append(Entry(referral.guardian_appointed_at, "referral", gettext("Guardian appointed"), link=link))
    return entries
