"""Grants that wait for a second person (docs/security.md, "Separation of duties").

An administrator's save of an account (``sync_access_approval``, called by the admin) either stays within what
was approved (the approval follows a narrowed account, or is dropped when nothing sensitive is left) or opens a
pending request for the new access profile; the account reads identities, or approves, only within the approved
profile until another person approves (``approve_access_change``). An activation code for a new second factor
is asked for (``request_activation_code``) and issued only when another person approves it, to that person.
No one decides their own request or a request about their own account (``access.refusal_to_decide``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.accounts import grants
from palermo.accounts.access import (
    Actor,
    SystemActor,
    is_system,
    may_approve_access,
    may_request_access_change,
    person_of,
    refusal_to_decide,
)
from palermo.accounts.models import AccessChange, User
from palermo.accounts.services.second_factor import actor_name, issue_activation_code, revoke_activation_codes
from palermo.audit.models import AuditEvent
from palermo.audit.services import record


class ApprovalRefused(Exception):
    """A request that may not be made or decided, and why (shown to the person as it is)."""


def _fresh(user: User) -> User:
    """The account as stored now (its countries read again: a form may just have saved them)."""
    return User.objects.select_for_update().get(pk=user.pk)


def _audit(actor: Actor, change: AccessChange, event: str, request: HttpRequest | None, **detail: Any) -> None:
    action = AuditEvent.Action.CREATE if event == "requested" else AuditEvent.Action.UPDATE
    record(actor=actor, action=action, object_type="accounts.accesschange", object_id=change.pk,
           detail={"event": event, "kind": change.kind, "user": change.user.get_username(), **detail},
           request=request)


def _withdraw_pending(actor: Actor, user: User, kind: str, request: HttpRequest | None, because: str) -> None:
    for change in AccessChange.objects.select_for_update().filter(user=user, kind=kind,
                                                                  status=AccessChange.Status.PENDING):
        change.status = AccessChange.Status.WITHDRAWN
        change.decided_by, change.decided_by_name, change.decided_at = person_of(actor), actor_name(actor), \
            timezone.now()
        change.decision_note = because
        change.save(update_fields=["status", "decided_by", "decided_by_name", "decided_at", "decision_note"])
        _audit(actor, change, "withdrawn", request, because=because)


def _check_requester(actor: Actor) -> None:
    if not is_system(actor) and not may_request_access_change(actor):
        raise ApprovalRefused(_("Only an account administrator asks for a grant."))


def _new_request(actor: Actor, user: User, kind: str, proposed: dict[str, Any], reason: str,
                 request: HttpRequest | None, **detail: Any) -> AccessChange:
    _withdraw_pending(actor, user, kind, request, because="superseded by a newer request")
    change = AccessChange.objects.create(
        user=user, kind=kind, proposed=proposed, reason=reason, requested_by=person_of(actor),
        requested_by_name=actor_name(actor), requested_at=timezone.now())
    _audit(actor, change, "requested", request, **detail)
    return change


@transaction.atomic
def request_access_change(*, acting_user: Actor, user: User, reason: str = "",
                          request: HttpRequest | None = None) -> AccessChange:
    """Ask for the account's current access profile to be approved (an older pending request is withdrawn)."""
    _check_requester(acting_user)
    fresh = _fresh(user)
    profile = fresh.access_profile()
    if not profile.sensitive:
        raise ApprovalRefused(_("This account neither reads identifying data nor approves: nothing to approve."))
    return _new_request(acting_user, fresh, AccessChange.Kind.ACCESS, profile.as_json(), reason, request,
                        changes=grants.changes(fresh.approved_profile, profile))


@transaction.atomic
def request_activation_code(*, acting_user: Actor, user: User, reason: str = "",
                            request: HttpRequest | None = None) -> AccessChange:
    """Ask for an activation code for the account's next second factor; another administrator issues it."""
    _check_requester(acting_user)
    fresh = _fresh(user)
    if not fresh.needs_two_factor:
        raise ApprovalRefused(_("%(user)s signs in without a second factor: no activation code is needed.")
                              % {"user": fresh.get_username()})
    return _new_request(acting_user, fresh, AccessChange.Kind.ACTIVATION, {}, reason, request)


def _set_approval(user: User, profile: grants.AccessProfile | None, by: Actor | None) -> None:
    user.approved_access = profile.as_json() if profile is not None else {}
    if by is not None:
        user.access_approved_by, user.access_approved_by_name = person_of(by), actor_name(by)
        user.access_approved_at = timezone.now()
    elif profile is None:
        user.access_approved_by, user.access_approved_by_name, user.access_approved_at = None, "", None
    user.save(update_fields=["approved_access", "access_approved_by", "access_approved_by_name",
                             "access_approved_at"])


@transaction.atomic
def sync_access_approval(*, acting_user: Actor, user: User, request: HttpRequest | None = None
                         ) -> AccessChange | None:
    """After an account was saved (by the admin): within its approval, the approval narrows to what was saved, or
    goes when nothing sensitive is left, and pending requests are withdrawn; beyond it, a request is opened (the
    one already pending for the same profile is kept) and returned."""
    fresh = _fresh(user)
    current, approved = fresh.access_profile(), fresh.approved_profile
    if grants.covered(current, approved):
        _withdraw_pending(acting_user, fresh, AccessChange.Kind.ACCESS, request, because="no longer needed")
        kept = current if current.sensitive and approved is not None else None
        if (kept.as_json() if kept else {}) != fresh.approved_access:
            old = fresh.approved_access
            _set_approval(fresh, kept, None)
            record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="user", object_id=fresh.pk,
                   detail={"event": "approval reduced" if kept else "approval withdrawn",
                           "approved_access": [old, fresh.approved_access]}, request=request)
        return None
    pending = AccessChange.objects.filter(user=fresh, kind=AccessChange.Kind.ACCESS,
                                          status=AccessChange.Status.PENDING).first()
    if pending is not None and pending.proposed == current.as_json():
        return pending
    return request_access_change(acting_user=acting_user, user=fresh, request=request)


@transaction.atomic
def approve_access_change(*, acting_user: Actor, change: AccessChange, note: str = "",
                          request: HttpRequest | None = None) -> str:
    """Approve a pending request as the second person. An access request makes the proposed profile effective
    (refused if the account changed since); an activation request issues the code, returned once in clear for the
    approver to hand over out of band (``""`` for an access request)."""
    if not isinstance(acting_user, User):
        raise ApprovalRefused(_("A person decides requests, never the system."))
    change = AccessChange.objects.select_for_update().select_related("user").get(pk=change.pk)
    if change.status != AccessChange.Status.PENDING:
        raise ApprovalRefused(_("This request was already decided or withdrawn."))
    target = _fresh(change.user)
    why = refusal_to_decide(
        acting_user, requested_by_id=change.requested_by_id, target_id=target.pk,
        password_set_by_id=target.password_set_by_id if change.kind == AccessChange.Kind.ACTIVATION else None)
    if why:
        raise ApprovalRefused(why)
    code = ""
    if change.kind == AccessChange.Kind.ACCESS:
        if target.access_profile().as_json() != change.proposed:
            raise ApprovalRefused(_("The account changed since this request: decide its newer request."))
        _set_approval(target, change.proposed_profile, acting_user)
    change.status = AccessChange.Status.APPROVED
    change.decided_by, change.decided_by_name, change.decided_at = acting_user, acting_user.get_username(), \
        timezone.now()
    change.decision_note = note
    change.save(update_fields=["status", "decided_by", "decided_by_name", "decided_at", "decision_note"])
    _audit(acting_user, change, "approved", request, requested_by=change.requested_by_name,
           **({"approved_access": change.proposed} if change.kind == AccessChange.Kind.ACCESS else {}))
    if change.kind == AccessChange.Kind.ACTIVATION:
        code = issue_activation_code(acting_user=acting_user, user=target, change=change, request=request)
    return code


@transaction.atomic
def refuse_access_change(*, acting_user: Actor, change: AccessChange, note: str,
                         request: HttpRequest | None = None) -> None:
    """Refuse a pending request, saying why. Refusing grants nothing, so any approver may (the requester too)."""
    if not may_approve_access(acting_user if isinstance(acting_user, User) else None):
        raise ApprovalRefused(
            _("Only a superuser whose own access was approved, signed in with a second factor, decides requests."))
    if not note.strip():
        raise ApprovalRefused(_("Say why the request is refused."))
    change = AccessChange.objects.select_for_update().select_related("user").get(pk=change.pk)
    if change.status != AccessChange.Status.PENDING:
        raise ApprovalRefused(_("This request was already decided or withdrawn."))
    change.status = AccessChange.Status.REFUSED
    change.decided_by, change.decided_by_name, change.decided_at = person_of(acting_user), \
        actor_name(acting_user), timezone.now()
    change.decision_note = note.strip()
    change.save(update_fields=["status", "decided_by", "decided_by_name", "decided_at", "decision_note"])
    _audit(acting_user, change, "refused", request, note=change.decision_note)


@transaction.atomic
def approve_as_system(*, acting_user: SystemActor, user: User) -> bool:
    """Record the account's current profile as approved by the operator's command line or the demo (the first
    administrators have no second person yet). ``False`` when there was nothing to change."""
    if not isinstance(acting_user, SystemActor):
        raise ApprovalRefused("Only the system approves without a second person.")
    fresh = _fresh(user)
    profile = fresh.access_profile()
    wanted = profile.as_json() if profile.sensitive else {}
    if fresh.approved_access == wanted:
        return False
    old = fresh.approved_access
    _set_approval(fresh, profile if profile.sensitive else None, acting_user if profile.sensitive else None)
    _withdraw_pending(acting_user, fresh, AccessChange.Kind.ACCESS, None, because="approved by the system")
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="user", object_id=fresh.pk,
           detail={"event": "approved" if wanted else "approval withdrawn", "approved_access": [old, wanted]})
    return True


@transaction.atomic
def password_set_by_administrator(*, acting_user: User, user: User, request: HttpRequest | None = None) -> None:
    """An administrator set the account's password (creating it or resetting it): they never approve its activation
    code, and codes not yet turned into a second factor are revoked (whoever saw one could now hold both)."""
    User.objects.filter(pk=user.pk).update(password_set_by=acting_user)
    user.password_set_by = acting_user
    revoked = revoke_activation_codes(acting_user=acting_user, user=user, request=request,
                                      because="password set by an administrator")
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="user", object_id=user.pk,
           detail={"event": "password set by an administrator", "user": user.get_username(),
                   "activation_codes_revoked": revoked}, request=request)
