"""Who is acting: the signed-in request, the guard every page uses, and the system actor.

Every app's ``access.py`` builds on these three pieces:

- ``AuthenticatedHttpRequest``: a request whose ``user`` is a real, signed-in ``User`` (the type
  views receive once ``signed_in`` has let them through);
- ``signed_in``: the one guard for pages (signed in, active, second factor verified where the
  role needs one); ``SignedInMixin`` is the same for class-based views. The second-factor page
  itself, the one page a person reaches between password and second factor, is guarded by
  ``awaiting_second_factor`` (signed in and active; the second factor is what it asks for);
- ``SYSTEM``: the one actor for commands, background jobs and the demo loader. It passes every
  ``may_*`` rule and is named in audit rows with the command that acted
  (``SYSTEM.running("palermo import cases")``). No service takes ``None`` to mean "skip the check".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeAlias, TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from palermo.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request that ``signed_in`` has let through: ``user`` is a signed-in, active ``User``."""

    user: User


@dataclass(frozen=True)
class SystemActor:
    """Commands, background jobs and the demo loader: every right, named in the audit log by what acted."""

    command: str = "system"

    def running(self, command: str) -> SystemActor:
        return SystemActor(command)

    @property
    def audit_name(self) -> str:
        return f"system: {self.command}"[:150]


SYSTEM = SystemActor()

# Whoever performs a state change: a signed-in person, or the system running a named command.
Actor: TypeAlias = User | SystemActor
# Whom a rule may be asked about (the security "principal"): an actor, or a visitor who has not signed in
# (``request.user`` before a guard narrowed it, as in an API view). Rules answer False for the anonymous.
Principal: TypeAlias = User | AnonymousUser | SystemActor


def is_system(actor: Principal | None) -> TypeGuard[SystemActor]:
    return isinstance(actor, SystemActor)


def is_active_user(user: Principal | None) -> TypeGuard[User]:
    """A signed-in, active person (not the system, not an anonymous visitor)."""
    return isinstance(user, User) and user.is_authenticated and user.is_active


def person_of(actor: Actor) -> User | None:
    """The person to name in a record's own columns (``recorded_by``...): the system is named in the audit row
    only."""
    return actor if isinstance(actor, User) else None


def second_factor_passed(user: User) -> bool:
    """This session passed a second factor (django-otp's ``OTPMiddleware`` tells), whatever the role."""
    verified: Callable[[], bool] | None = getattr(user, "is_verified", None)
    return bool(verified and verified())


def has_verified_second_factor(user: User) -> bool:
    """False only for a role that needs a second factor whose session has not passed it."""
    return not user.needs_two_factor or second_factor_passed(user)


def is_signed_in(user: User | AnonymousUser | None) -> TypeGuard[User]:
    """Signed in, active, and past the second factor where the role needs one."""
    return is_active_user(user) and has_verified_second_factor(user)


def may_approve_access(user: Principal | None) -> bool:
    """Approvers of other people's grants: active superusers whose own status a second person approved, past their
    second factor. Who may approve one request is narrower still (``may_decide``)."""
    return is_active_user(user) and user.superuser_approved and second_factor_passed(user)


def may_request_access_change(user: Principal | None) -> bool:
    """Account administrators (the admin's staff allowed to change accounts) ask for grants; they never decide
    their own request."""
    return is_active_user(user) and user.is_staff and user.has_perm("accounts.change_user")


def refusal_to_decide(user: User, *, requested_by_id: int | None, target_id: int,
                      password_set_by_id: int | None = None) -> str:
    """Why ``user`` may not decide a request (``""``: they may): not an approver, their own request, their own
    account, or (for an activation code) the account whose password they set."""
    if not may_approve_access(user):
        return _("Only a superuser whose own access was approved, signed in with a second factor, decides requests.")
    if user.pk == requested_by_id:
        return _("You asked for this change: another administrator decides it.")
    if user.pk == target_id:
        return _("This request concerns your own account: another administrator decides it.")
    if password_set_by_id is not None and user.pk == password_set_by_id:
        return _("You set this account's password: another administrator hands over its activation code, so that "
                 "no one holds both.")
    return ""


P = ParamSpec("P")
View: TypeAlias = Callable[Concatenate[AuthenticatedHttpRequest, P], HttpResponseBase]  # files stream too


def _guard(view: View[P], *, second_factor: bool) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    @wraps(view)
    def guarded(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        user = request.user
        if not is_active_user(user):
            return redirect_to_login(request.get_full_path())
        if second_factor and not has_verified_second_factor(user):
            return redirect(f"{reverse('accounts:two_factor')}?next={request.get_full_path()}")
        return view(request, *args, **kwargs)  # type: ignore[arg-type]  # narrowed by the checks above

    return guarded


def signed_in(view: View[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """The guard for every page: anonymous or inactive → the sign-in page; second factor pending → its page."""
    return _guard(view, second_factor=True)


def awaiting_second_factor(view: View[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """The guard of the second-factor page only: signed in and active, the second factor not yet passed
    (``signed_in`` would send the person back to this very page)."""
    return _guard(view, second_factor=False)


class SignedInMixin:
    """``signed_in`` for class-based views."""

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., HttpResponseBase]:
        return signed_in(super().as_view(**initkwargs))  # type: ignore[misc]
