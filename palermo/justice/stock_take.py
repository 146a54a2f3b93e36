"""The justice part of the steering committee's stock-take of year N (``palermo.steering.review``): persons
prosecuted and convicted per programme country in N, our records beside UNODC's, with why they differ."""

from __future__ import annotations

from django.utils.translation import gettext as _

from palermo.justice import figures
from palermo.justice.counting import Comparison, Key
from palermo.justice.dashboard import REASONS, cell_text
from palermo.reference.models import Country
from palermo.steering.figures import ExtraSection


def _official(c: Comparison | None) -> str:
    if c is None or not c.official.published:
        return "–"
    return cell_text(c.official.value) if c.official.value is not None else c.official.label


def stock_take(year: int) -> list[ExtraSection]:
    """One table: a row per programme country. The review circulates beyond the countries: counts of 1 to 4 read
    "<5", as UNODC publishes them. Three queries (four once proceedings exist), whatever their number."""
    countries = list(Country.objects.programme().order_by("code"))
    scope = figures.JusticeScope(tuple(c.code for c in countries), False, 10, year, year)
    result = figures.JusticeFigures(scope)
    found = figures.comparisons(scope, figures.proceeding_facts(scope.countries))
    prosecuted: dict[Key, Comparison] = {(c.country, c.year): c for c in found[0]}
    convicted: dict[Key, Comparison] = {(c.country, c.year): c for c in found[1]}
    rows = []
    for country in countries:
        p, v = prosecuted.get((country.code, year)), convicted.get((country.code, year))
        reasons = sorted({str(REASONS[r]) for c in (p, v) if c is not None for r in c.reasons})
        rows.append([country.name, cell_text(result.shown(p.ours if p else 0)), _official(p),
                     cell_text(result.shown(v.ours if v else 0)), _official(v), " ".join(reasons) or "–"])
    columns = [_("Country"), _("Persons prosecuted: our records"), _("Persons prosecuted: UNODC"),
               _("Persons convicted: our records"), _("Persons convicted: UNODC"), _("Why they differ")]
    return [ExtraSection(_("Prosecutions and convictions against the official figures (UNODC GLOTIP)"), columns,
                         rows)]
