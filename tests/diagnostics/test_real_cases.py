"""The snapshot made from real Case rows (``palermo.cases.flat``) gives the same figures."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from palermo.cases.models import Case
from palermo.diagnostics import figures, snapshot
from palermo.diagnostics.figures import Scope

pytestmark = pytest.mark.django_db


def make_case(organisation, code: str, **values) -> Case:
    forms = values.pop("forms", [])
    case = Case.objects.create(case_code=code, organisation=organisation, owner_country_id="MD",
                               trafficking_status="actual", **values)
    case.forms.set(forms)
    return case


def test_refresh_writes_the_flat_rows_and_the_figures_count_them(settings, tmp_path, organisation_factory) -> None:
    settings.DIAGNOSTICS_SNAPSHOT = str(tmp_path / "cases.parquet")
    ngo = organisation_factory("ngo-md", country="MD")
    make_case(ngo, "MD-1", gender="Feminine", year_identified=2022, forms=["sexual_exploitation"],
              means_of_control=["DebtBondage"], citizenship_id="MD", country_of_exploitation_id="RO")
    make_case(ngo, "MD-2", gender="Masculine", year_identified=2022, forms=["forced_labour", "begging"])
    make_case(ngo, "MD-3", gender="", year_identified=2023)
    not_a_victim = make_case(ngo, "MD-4", gender="Feminine", year_identified=2023)
    Case.objects.filter(pk=not_a_victim.pk).update(trafficking_status="not_victim")  # not counted
    call_command("diagnostics", "refresh", stdout=None)
    assert snapshot.snapshot_path().exists()
    scope = Scope(frozenset({"MD"}), exact=True)
    with snapshot.open_snapshot() as snap:
        sex = figures.distribution(snap, "sex", scope)
        forms = figures.distribution(snap, "forms", scope)
        trend = figures.trend(snap, scope)
    assert {r.category: r.count for r in sex.rows} == {"female": 1, "male": 1}
    assert sex.unknown == 1
    assert {r.category: (r.count, r.share) for r in forms.rows} == {
        "sexual_exploitation": (1, 0.5), "forced_labour": (1, 0.5), "begging": (1, 0.5)}
    assert forms.denominator == 2
    assert [(r.category, r.count) for r in trend.rows] == [("2022", 2), ("2023", 1)]
