"""Who may read and record justice records, and who sees the justice figures: every rule of the app, in one place.

- Records (defendants, proceedings, their charges, decisions and victims) are read through
  ``Proceeding.objects.visible_to(user)`` / ``Defendant.objects.visible_to(user)`` (models.py): a case worker its
  organisation's records in its countries (it records them: it follows its clients' proceedings), national
  coordinators and analysts their countries', programme managers and auditors every country's. Embassy officers,
  international partners and viewers read none (the figures only). A record of another country answers 404, as a
  missing one.
- The figures (counts beside the official ones, durations, sentences, compensation, victims' participation) are
  read by every signed-in user over the countries of their scope; outside the user's own countries counts of 1 to 4
  read "<5" and victims' figures go through the diagnostics' disclosure control (``palermo.justice.figures``).
- The system (the demo) passes every ``may_*`` rule.
"""

from __future__ import annotations

from django.http import Http404

from palermo.accounts.access import Actor, Principal, is_active_user, is_system
from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.cases.models import Case
from palermo.justice.models import READER_ROLES, Defendant, Proceeding


def may_read_justice(user: Principal | None) -> bool:
    """Case workers of an organisation and the reader roles (models.READER_ROLES) read records of their scope."""
    if not is_active_user(user):
        return False
    return user.role in READER_ROLES or (user.role == Role.CASE_WORKER and bool(user.organisation_id))


def may_record_justice(actor: Principal | None, country: str = "") -> bool:
    """Case workers of an organisation record the proceedings their clients take part in, in their countries."""
    if is_system(actor):
        return True
    if not (is_active_user(actor) and actor.role == Role.CASE_WORKER and actor.organisation_id):
        return False
    return not country or actor.covers_country(country)


def may_edit(actor: Actor, record: Proceeding | Defendant) -> bool:
    """A record of the case worker's own organisation, in one of its countries."""
    if is_system(actor):
        return True
    return (may_record_justice(actor, record.country_id) and is_active_user(actor)
            and actor.organisation_id == record.organisation_id)


def may_link_case(actor: Actor, case: Case) -> bool:
    """A victim's case record the case worker reads (its organisation's, in its countries); never an erased one."""
    if case.erased:
        return False
    if is_system(actor):
        return True
    return is_active_user(actor) and Case.objects.visible_to(actor).filter(pk=case.pk).exists()


def may_view_figures(user: Principal | None) -> bool:
    """Every signed-in user reads the figures of its scope."""
    return is_active_user(user)


def access_proceeding(user: User, pk: int) -> Proceeding:
    found = Proceeding.objects.visible_to(user).filter(pk=pk).select_related(
        "defendant", "country", "organisation", "defendant__citizenship").first()
    if found is None:
        raise Http404
    return found


def access_defendant(user: User, pk: int) -> Defendant:
    found = Defendant.objects.visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
