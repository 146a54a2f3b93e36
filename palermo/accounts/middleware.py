"""Accounts that need a second factor (roles that see identifying data, administer accounts or read the audit log, and
every staff or superuser account: ``User.needs_two_factor``) must pass it before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from palermo.accounts.access import has_verified_second_factor, is_active_user

# What a person reaches between password and second factor: the sign-in, the sign-out and the second-factor
# pages (guarded by ``awaiting_second_factor``), the language switch and the static files.
OPEN_PREFIXES = ("/static/", "/i18n/", "/accounts/login/", "/accounts/logout/", "/accounts/two-factor/")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            is_active_user(user)
            and not has_verified_second_factor(user)
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Your role requires a second factor: verify it in the web interface first.")},
                    status=403,
                )
            return redirect(f"{reverse('accounts:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
