"""The second person's pages: the requests waiting for approval, and one request to approve or refuse."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from palermo.accounts import services
from palermo.accounts.access import AuthenticatedHttpRequest, may_approve_access, refusal_to_decide, signed_in
from palermo.accounts.forms import DecisionForm
from palermo.accounts.grants import AccessProfile
from palermo.accounts.models import ROLE_LABELS, AccessChange
from palermo.accounts.roles import Role
from palermo.partners.models import Organisation
from palermo.reference.models import Country

RECENT_DECISIONS = 30


@dataclass(frozen=True)
class ProfileText:
    role: str
    organisation: str
    countries: str
    superuser: str


def describe(profile: AccessProfile | None) -> ProfileText | None:
    """An access profile in words: role, organisation, countries, superuser status."""
    if profile is None:
        return None
    organisation = Organisation.objects.filter(pk=profile.organisation).first() if profile.organisation else None
    if profile.countries is None:
        countries = _("All countries")
    else:
        names = sorted(country.name for country in Country.objects.filter(code__in=profile.countries))
        countries = ", ".join(names) or _("None")
    role = str(ROLE_LABELS[Role(profile.role)]) if profile.role in set(Role) else profile.role
    return ProfileText(role, str(organisation) if organisation else "—", countries,
                       _("yes") if profile.superuser else _("no"))


def _approver(request: AuthenticatedHttpRequest) -> None:
    if not may_approve_access(request.user):
        raise Http404


@signed_in
def approvals(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Pending requests first, then the latest decisions: for superusers whose own access was approved."""
    _approver(request)
    changes = AccessChange.objects.select_related("user")
    pending = list(changes.filter(status=AccessChange.Status.PENDING).order_by("requested_at", "pk"))
    decided = list(changes.exclude(status=AccessChange.Status.PENDING).order_by("-decided_at", "-pk")
                   [:RECENT_DECISIONS])
    return render(request, "accounts/approvals.html", {"pending": pending, "decided": decided})


@signed_in
def approval(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One request: what it grants, who asked; approve it (never one's own request nor about one's own account)
    or refuse it with a reason. An approved activation code is shown here, once."""
    _approver(request)
    change = get_object_or_404(AccessChange.objects.select_related("user", "user__organisation"), pk=pk)
    target = change.user
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        decision = request.POST.get("decision")
        try:
            if decision == "approve":
                code = services.approve_access_change(acting_user=request.user, change=change,
                                                      note=form.cleaned_data["note"], request=request)
                if code:
                    hours = int(services.ACTIVATION_CODE_LIFETIME.total_seconds() // 3600)
                    response = render(request, "accounts/activation_code.html",
                                      {"change": change, "target": target, "code": code, "lifetime_hours": hours})
                    add_never_cache_headers(response)  # the code is shown once and never stored by a browser
                    return response
                messages.success(request, _("Approved: %(user)s's access is in effect.") % {"user": target})
                return redirect("accounts:approvals")
            if decision == "refuse":
                services.refuse_access_change(acting_user=request.user, change=change,
                                              note=form.cleaned_data["note"], request=request)
                messages.success(request, _("Refused: your note is kept with the request."))
                return redirect("accounts:approvals")
            form.add_error(None, _("Choose to approve or to refuse."))
        except services.ApprovalRefused as refusal:
            form.add_error(None, str(refusal))
            status = 403
    elif request.method == "POST":
        status = 400
    change.refresh_from_db()
    blocked = refusal_to_decide(
        request.user, requested_by_id=change.requested_by_id, target_id=target.pk,
        password_set_by_id=target.password_set_by_id if change.kind == AccessChange.Kind.ACTIVATION else None)
    context = {
        "change": change, "target": target, "form": form, "blocked": blocked,
        "proposed": describe(change.proposed_profile), "approved": describe(target.approved_profile),
        "current_matches": change.kind != AccessChange.Kind.ACCESS
        or target.access_profile().as_json() == change.proposed,
    }
    return render(request, "accounts/approval.html", context, status=status)
