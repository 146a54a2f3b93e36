"""Who sees the objective-3 dashboard, and over which countries: every rule of the protection app, in one place.

The dashboard is for the roles that see no identifying data (every role but the case worker, who works
from the referral worklist and the case records instead). Roles whose scope is every country (programme
managers, auditors, viewers) choose any country, or all; every other role sees only its own countries. Whether
the counts are exact or released is the diagnostics' scope rule (:func:`palermo.diagnostics.access.scope_for`):
exact over the user's own countries, released (k-rounded, with complementary suppression) otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from palermo.accounts.access import Principal, is_active_user
from palermo.accounts.models import User
from palermo.accounts.roles import IDENTIFYING_DATA_ROLES
from palermo.diagnostics.access import scope_for
from palermo.diagnostics.figures import Scope
from palermo.diagnostics.views_support import ScopeError, four_digit_year
from palermo.reference.models import Country


def may_view_dashboard(user: Principal | None) -> bool:
    """Every active user whose role sees no identifying data."""
    return is_active_user(user) and user.role not in IDENTIFYING_DATA_ROLES


class OutOfScope(ScopeError):
    """A country the user may not see: the API answers 403, the page says so and shows the user's own scope."""


def dashboard_scope(user: User, params: Mapping[str, Any]) -> Scope:
    """The scope a query asks for (``country``, ``year``), or ``ScopeError`` naming the field that is wrong:
    an unknown country, a country outside a country-bound user's own, a year that is not four digits."""
    country = str(params.get("country") or "").strip().upper()
    if country:
        if len(country) != 2 or not Country.objects.filter(code=country).exists():
            raise ScopeError("country", _("Unknown country code %(code)r: give an ISO 3166 alpha-2 code such as RO.")
                             % {"code": country})
        if not user.covers_country(country):
            raise OutOfScope("country", _("You see the figures of your own countries only: %(codes)s.")
                             % {"codes": ", ".join(sorted(user.country_codes() or ())) or "–"})
    text = str(params.get("year") or "").strip()
    year = four_digit_year(text) if text else None
    if text and year is None:
        raise ScopeError("year", _("A year is four digits, such as 2021."))
    return scope_for(user, country or None, year_from=year, year_to=year)


def scope_countries(scope: Scope) -> tuple[str, ...]:
    """The countries the figures show, one row each: the scope's, or every programme country."""
    if scope.countries is not None:
        return tuple(sorted(scope.countries))
    return tuple(Country.objects.programme().order_by("code").values_list("code", flat=True))
