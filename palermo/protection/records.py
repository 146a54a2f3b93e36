"""The aggregate read path: referrals, screenings and support plans as plain records that name nobody.

Like the diagnostics snapshot, this reads every row of the countries asked for, not ``visible_to`` a user: what
leaves this module is only counts and durations (``palermo.protection.measures``), exact or released by the
scope rule. Only non-identifying columns are read (no encrypted field is ever loaded).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Min

from palermo.assistance.models import SupportEntry
from palermo.cases.codes import SEX_OF_GENDER
from palermo.diagnostics.figures import Scope
from palermo.protection.access import scope_countries
from palermo.protection.measures import (
    UNKNOWN,
    Dashboard,
    Options,
    ReferralRecord,
    SupportRecord,
    dashboard,
    first_contact,
)
from palermo.referral import workflow
from palermo.referral.models import Referral, ReferralStep
from palermo.screening.models import Screening


def _first_steps(referral_ids: list[int]) -> dict[tuple[int, str], datetime]:
    """The first time each referral reached ``referred`` and ``identified``."""
    rows = (ReferralStep.objects.filter(referral_id__in=referral_ids, step__in=(workflow.REFERRED, workflow.IDENTIFIED))
            .values("referral_id", "step").annotate(first=Min("at")))
    return {(row["referral_id"], row["step"]): row["first"] for row in rows}


def referral_records(countries: Iterable[str]) -> list[ReferralRecord]:
    """One record per referral of the countries, with its first contact and the moments the dashboard measures."""
    rows = list(Referral.objects.filter(country_id__in=list(countries)).order_by("pk").values(
        "pk", "case_id", "country_id", "time_zone", "presumed_at", "minor", "guardian_due", "guardian_appointed_at",
        "case__gender", "case__age_band", "case__identification_date"))
    ids = [row["pk"] for row in rows]
    steps = _first_steps(ids)
    screened = dict(Screening.objects.filter(case_id__in=[row["case_id"] for row in rows]).values("case_id")
                    .annotate(first=Min("screened_at")).values_list("case_id", "first"))
    records = []
    for row in rows:
        contact = first_contact(row["time_zone"], (row["presumed_at"], screened.get(row["case_id"])),
                                row["case__identification_date"])
        records.append(ReferralRecord(
            country=row["country_id"], time_zone=row["time_zone"], first_contact=contact,
            sex=SEX_OF_GENDER.get(row["case__gender"] or "", UNKNOWN), age_band=row["case__age_band"] or "",
            minor=row["minor"], referred=steps.get((row["pk"], workflow.REFERRED)),
            identified=steps.get((row["pk"], workflow.IDENTIFIED)), guardian_due=row["guardian_due"],
            guardian_appointed=row["guardian_appointed_at"]))
    return records


def support_records(countries: Iterable[str]) -> list[SupportRecord]:
    """The support plans of the countries' cases: the person is the case, the year the one the support started."""
    rows = SupportEntry.objects.filter(country_id__in=list(countries)).order_by("pk").values_list(
        "country_id", "case_id", "support_type", "start_date")
    return [SupportRecord(country, str(case_id), support_type, started.year)
            for country, case_id, support_type, started in rows]


def compute(scope: Scope, now: datetime, support_types: tuple[str, ...] = ()) -> Dashboard:
    """Every figure of the dashboard for a scope (``palermo.protection.access.dashboard_scope``)."""
    countries = scope_countries(scope)
    year = scope.year_from if scope.year_from == scope.year_to else None
    options = Options(countries=countries, exact=scope.exact, k=scope.k, now=now, year=year,
                      support_types=support_types)
    return dashboard(referral_records(countries), support_records(countries), options)
