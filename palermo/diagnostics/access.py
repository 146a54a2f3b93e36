"""Who may see which figures and make which releases: every rule of the diagnostics app, in one place.

The scope rule (docs/diagnostics.md) decides whether a user's figures are exact or released; releases and
official statistics are read through ``Release.objects.visible_to(user)`` and
``OfficialStatistic.objects.visible_to(user)`` (models.py). The system passes every ``may_*`` rule.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor, is_active_user, is_system
from palermo.accounts.models import User
from palermo.accounts.roles import ALL_COUNTRY_ROLES, RELEASE_ROLES, Role
from palermo.diagnostics.figures import Scope
from palermo.diagnostics.models import Release
from palermo.diagnostics.snapshot import ALL, privacy_resolution
from palermo.reference.models import Country


def scope_for(user: User, country: str | None = None, *, year_from: int | None = None,
              year_to: int | None = None) -> Scope:
    """The scope rule: exact figures only over the user's own countries.

    A country-scoped user asking for its countries (or one of them) gets exact counts; any other request —
    another country, every country, or anything asked by a role whose scope is every country — is computed
    through the released path (k-rounded, with complementary suppression).
    """
    own = user.country_codes()
    is_scoped = user.role not in ALL_COUNTRY_ROLES and own is not None
    countries: frozenset[str] | None
    if country == ALL:
        countries, exact = None, False
    elif country:
        countries, exact = frozenset({country}), is_scoped and own is not None and country in own
    else:
        countries, exact = (own, True) if is_scoped else (None, False)
    return Scope(countries, exact, privacy_resolution(), year_from=year_from, year_to=year_to)


def may_release(user: User) -> bool:
    """Programme managers (any country), national coordinators and analysts (their countries) make releases."""
    return is_active_user(user) and user.role in RELEASE_ROLES


def release_countries(user: User, country: str | None) -> frozenset[str] | None:
    """The owner countries a release by ``user`` covers (None: every country); PermissionDenied, saying why,
    when the user may not make it."""
    if not may_release(user):
        raise PermissionDenied(_("This role may not make releases."))
    if country:
        if not Country.objects.filter(code=country).exists():
            raise PermissionDenied(_("Unknown country code %(code)r.") % {"code": country})
        if not user.covers_country(country):
            raise PermissionDenied(_("A release may only cover your own countries."))
        return frozenset({country})
    return user.country_codes()


def may_refresh_snapshot(actor: Actor) -> bool:
    """The snapshot is refreshed when cases change (the system), or by a programme manager."""
    return is_system(actor) or (is_active_user(actor) and actor.role == Role.PROGRAMME_MANAGER)


def may_import_official_statistics(actor: Actor) -> bool:
    """Official statistics replace a whole source: the operator's command, or a programme manager."""
    return is_system(actor) or (is_active_user(actor) and actor.role == Role.PROGRAMME_MANAGER)


def access_release(user: User, pk: int) -> Release:
    """A release the user may read; Http404 for anyone else's, exactly as for a missing one."""
    release = Release.objects.visible_to(user).filter(pk=pk).first()
    if release is None:
        raise Http404
    return release
