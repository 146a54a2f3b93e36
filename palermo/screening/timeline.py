"""The screenings of a case on its timeline (``palermo.cases.timeline``), as far as the reader may see them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext

from palermo.accounts.models import User
from palermo.cases.models import Case
from palermo.cases.timeline import Entry, username
from palermo.screening.models import Screening
from palermo.screening.qualifying import active_language


def events(user: User, case: Case) -> list[Entry]:
    entries = []
    screenings = Screening.objects.visible_to(user).filter(case=case).select_related("indicator_list", "screened_by")
    for screening in screenings.order_by("screened_at", "pk"):
        result = screening.result.get(active_language()) or screening.result.get("en", {})
        verdict = gettext("possible victim") if screening.possible_victim else gettext("no possible victim")
        what = gettext("Indicator screening with %(list)s (version %(version)s): %(verdict)s. %(referral)s") % {
            "list": screening.indicator_list.name, "version": screening.indicator_list.version, "verdict": verdict,
            "referral": result.get("referral", {}).get("text", "")}
        entries.append(Entry(screening.screened_at, "screening", what.strip(), username(screening.screened_by),
                             link=reverse("screening:detail", args=[screening.pk]), order=screening.pk))
    return entries
