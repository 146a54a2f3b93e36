"""The dashboard's words: titles, notes and the names of its categories, in the active language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from palermo.cases import codes
from palermo.cases.choices import choices
from palermo.diagnostics.disclosure import TOTAL
from palermo.protection import measures
from palermo.reference.models import Country

TITLES = {
    "durations": gettext_lazy("Time from first contact to referral and to formal identification"),
    "guardians": gettext_lazy("Minors with a guardian appointed within the deadline"),
    "assistance": gettext_lazy("Assistance received, by type of support (HTCDS)"),
    "referrals": gettext_lazy("Referrals by country, sex and age band"),
}
NOTES = {
    "durations": gettext_lazy(
        "Days, in the country's calendar, from first contact (the earliest of the case's date of identification, "
        "its first screening and its entry into the referral mechanism) to the first “referred” step and to the "
        "first “formally identified” step. "
        "Median and 90th percentile by linear interpolation between the closest ranks. A median or percentile "
        "over fewer than %(k)s persons is not shown (“–”): it would describe individuals."),
    "guardians": gettext_lazy(
        "Minors in the referral mechanism, by the outcome of the guardian deadline their country set. The share "
        "counts those appointed within the deadline among those appointed, on time or late, and those still "
        "without a guardian once the deadline passed."),
    "assistance": gettext_lazy(
        "Persons who received each type of support (HTCDS support plan types), each counted once per type; a "
        "total counts each person once, so it can be less than the sum of the types."),
    "referrals": gettext_lazy(
        "Persons in the referral mechanism (from the possible-victim step on), by sex and by CTDC age band when "
        "identified. The two tables are margins of one table protected as a whole."),
}


def support_type_codes() -> tuple[str, ...]:
    """The HTCDS support plan types (``spl_Type``), in the standard's order."""
    return tuple(codes.SupportPlanType.values)


def support_type_names() -> dict[str, str]:
    return {value: str(label) for value, label in choices(codes.SupportPlanType)}


def names(options: measures.Options) -> dict[str, str]:
    """Readable names of every code the dashboard shows."""
    out: dict[str, str] = {c.code: c.name for c in Country.objects.filter(code__in=options.countries)}
    out.update({TOTAL: pgettext("the total row or column of a table", "All"),
                "female": _("female"), "male": _("male"), "other": _("other"),
                measures.UNKNOWN: _("unknown"),
                measures.ON_TIME: _("appointed within the deadline"), measures.LATE: _("appointed late"),
                measures.OVERDUE: _("none appointed, deadline passed"), measures.PENDING: _("deadline still ahead"),
                measures.NO_DEADLINE: _("no deadline set")})
    out.update(support_type_names())
    return out
