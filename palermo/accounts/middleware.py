"""Users whose role may see identifying data must pass a second factor before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

OPEN_PREFIXES = ("/static/", "/i18n/", "/accounts/login/", "/accounts/logout/", "/accounts/two-factor/")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "needs_two_factor", False)
            and not getattr(user, "is_verified", lambda: False)()
            and not request.path.startswith(OPEN_PREFIXES)
            and not getattr(request, "_palermo_token_auth", False)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Your role requires a second factor: verify it in the web interface first.")},
                    status=403,
                )
            return redirect(f"{reverse('accounts:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
