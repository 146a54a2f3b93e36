"""Who may do what with case records: every rule of the cases app, in one place.

Reads go through ``Case.objects.visible_to(user)`` and ``ImportJob.objects.visible_to(user)`` (models.py);
the ``access_*`` helpers answer 404 for a forbidden object exactly as for a missing one. The system
(``SYSTEM.running("palermo import cases")``) passes every ``may_*`` rule.
"""

from __future__ import annotations

from django.http import Http404

from palermo.accounts.access import Actor, Principal, is_active_user, is_system
from palermo.accounts.models import User
from palermo.accounts.roles import CASE_RECORD_ROLES, RETENTION_POLICY_ROLES, RETENTION_READER_ROLES
from palermo.cases.models import Case, ImportJob


def may_read_cases(user: User) -> bool:
    """Case workers and analysts read (pseudonymised) case records; the other roles read aggregates only."""
    return is_active_user(user) and user.role in CASE_RECORD_ROLES


def may_edit_cases(actor: Actor) -> bool:
    """Case workers of an organisation record, edit and import cases and read identities."""
    if is_system(actor):
        return True
    return is_active_user(actor) and actor.may_see_identifying_data and bool(actor.organisation_id)


def may_edit_case(actor: Actor, case: Case) -> bool:
    """A case of the case worker's own organisation, owned by one of the case worker's countries; never a case
    erased on request (a tombstone is not edited, its identity not read, it is not reopened)."""
    if is_system(actor):
        return True
    return (may_edit_cases(actor) and is_active_user(actor) and actor.organisation_id == case.organisation_id
            and actor.covers_country(case.owner_country_id) and case.erased_at is None)


def may_search_by_name(user: Actor) -> bool:
    """Case workers of an organisation search its cases by name and birth date (the blind index): a person's act,
    audited, never the system's."""
    return isinstance(user, User) and may_edit_cases(user)


def may_hold_case(actor: Actor, case: Case) -> bool:
    """A legal hold is set and lifted by whoever may edit the case: the case worker of the owning organisation
    records the hold a court, a prosecutor or a complaint requires (no other role reads case records by name)."""
    return may_edit_case(actor, case)


def may_exercise_subject_rights(actor: Actor, case: Case) -> bool:
    """The person's access and erasure requests are answered by the case worker of the owning organisation,
    the one role that may read the identity; never by the system (a person acts, and is named)."""
    return not is_system(actor) and may_edit_case(actor, case)


def may_read_retention(user: Principal) -> bool:
    """Programme managers and auditors read every country's retention policy; national coordinators, case
    workers and analysts their countries'."""
    return is_active_user(user) and user.role in RETENTION_READER_ROLES


def may_set_retention(actor: Actor) -> bool:
    """Programme managers set the retention policy of any country (as they administer reference data)."""
    if is_system(actor):
        return True
    return is_active_user(actor) and actor.role in RETENTION_POLICY_ROLES


def may_purge(actor: Actor) -> bool:
    """Purging identities at the end of retention is an operator's command (``palermo cases purge``)."""
    return is_system(actor)


def may_import(actor: Actor, *, organisation_id: int, country: str) -> bool:
    """Imports write cases owned by the case worker's organisation, in one of the case worker's countries."""
    if is_system(actor):
        return True
    return (may_edit_cases(actor) and is_active_user(actor) and actor.organisation_id == organisation_id
            and actor.covers_country(country))


def may_rotate_keys(actor: Actor) -> bool:
    """Re-encrypting every identifying value is an operator's command, never a person's page."""
    return is_system(actor)


def access_case(user: User, pk: int) -> Case:
    """The case if the user may read it; Http404 for a forbidden case exactly as for a missing one."""
    case = Case.objects.visible_to(user).filter(pk=pk).select_related(
        "organisation", "owner_country", "citizenship", "country_of_exploitation").first()
    if case is None:
        raise Http404
    return case


def access_import_job(user: User, pk: int) -> ImportJob:
    """One of the user's own import jobs; Http404 for anyone else's, exactly as for a missing one."""
    job = ImportJob.objects.visible_to(user).select_related("job", "owner_country").filter(pk=pk).first()
    if job is None:
        raise Http404
    return job
