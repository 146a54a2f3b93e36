from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.i18n import set_language as django_set_language
from django_otp.plugins.otp_totp.models import TOTPDevice

from palermo.accounts import services
from palermo.accounts.access import (
    AuthenticatedHttpRequest,
    awaiting_second_factor,
    has_verified_second_factor,
    is_active_user,
    second_factor_passed,
    signed_in,
)
from palermo.accounts.forms import ActivationCodeForm, LoginForm, PreferencesForm, TokenForm
from palermo.accounts.models import LANGUAGE_CHOICES, User

# The language chosen by someone not yet fully signed in (on the sign-in or the second-factor page): kept in the
# session (which survives signing in) and saved on the user once they are through.
CHOSEN_LANGUAGE_KEY = "palermo_chosen_language"
LANGUAGES = frozenset(code for code, _name in LANGUAGE_CHOICES)


def _with_language(response: HttpResponse, language: str) -> HttpResponse:
    """Make ``language`` the interface language from the next page on (the cookie LocaleMiddleware reads)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _keep_chosen_language(request: HttpRequest, user: User) -> str:
    """The language the user works in from now on: the one chosen before signing in (saved on the user once the
    second factor, if their role needs one, is passed), else the one saved on the user. The choice made last
    wins: a choice on the sign-in page is more recent than the saved one."""
    chosen = request.session.get(CHOSEN_LANGUAGE_KEY)
    if chosen not in LANGUAGES:
        return user.preferred_language
    if has_verified_second_factor(user):
        del request.session[CHOSEN_LANGUAGE_KEY]
        if chosen != user.preferred_language:
            services.set_preferred_language(acting_user=user, language=chosen, request=request)
    return str(chosen)


def set_language(request: HttpRequest) -> HttpResponse:
    """The header's language switch: Django's cookie, and the choice saved on a signed-in user (kept in the
    session until the second factor is passed, or until signing in)."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.method != "POST" or language not in LANGUAGES:
        return response
    user = request.user
    if is_active_user(user) and has_verified_second_factor(user):
        request.session.pop(CHOSEN_LANGUAGE_KEY, None)
        if user.preferred_language != language:
            services.set_preferred_language(acting_user=user, language=language, request=request)
    else:
        request.session[CHOSEN_LANGUAGE_KEY] = language
    return response


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Signed in, the user gets the interface in the language chosen last: on the sign-in page, or saved."""
        response = super().form_valid(form)
        return _with_language(response, _keep_chosen_language(self.request, form.get_user()))


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


# The activation code accepted in this session: it opens the enrolment of an authenticator, in this session only.
ACTIVATION_KEY = "palermo_activation_code"


def _activation_step(request: AuthenticatedHttpRequest) -> HttpResponse:
    """No second factor yet: the activation code first (no code, no enrolment, whoever knows the password)."""
    form = ActivationCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        activation = services.accept_activation_code(acting_user=request.user, code=form.cleaned_data["code"],
                                                     request=request)
        if activation is not None:
            request.session[ACTIVATION_KEY] = activation.pk
            return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': _safe_next(request)})}")
        form.add_error("code", _("This activation code is not valid: it may be mistyped, used, expired or "
                                 "replaced. Ask your administrator for a new one."))
    return render(request, "accounts/two_factor.html",
                  {"form": form, "activating": True, "next": _safe_next(request)})


@awaiting_second_factor
def two_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Enrol an authenticator on first use (with an activation code), then ask for its code at every login."""
    user = request.user
    if second_factor_passed(user):
        return redirect(_safe_next(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    activation = None
    if device is None:
        activation = services.activation_in_progress(user, request.session.get(ACTIVATION_KEY))
        if activation is None:
            return _activation_step(request)
        device = services.pending_totp_device(acting_user=user)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST":
        if form.is_valid():
            if activation is not None:
                request.session.pop(ACTIVATION_KEY, None)
                try:
                    services.confirm_totp_device(acting_user=user, device=device, activation=activation,
                                                 request=request)
                except services.EnrolmentRefused as refusal:  # revoked meanwhile (a new code, a password reset)
                    messages.error(request, str(refusal))
                    return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': _safe_next(request)})}")
            else:
                services.verify_second_factor(acting_user=user, device=device, request=request)
            return _with_language(redirect(_safe_next(request)), _keep_chosen_language(request, user))
        services.record_second_factor_failure(acting_user=user, device=device, request=request)
    context = {"form": form, "enrolling": activation is not None, "next": _safe_next(request)}
    if activation is not None:
        context["qr"] = _qr_svg(device.config_url)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    response = render(request, "accounts/two_factor.html", context)
    add_never_cache_headers(response)  # the enrolment shows the authenticator's key
    return response


@signed_in
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = PreferencesForm(request.POST or None, initial={"preferred_language": user.preferred_language})
    if request.method == "POST" and form.is_valid():
        services.set_preferred_language(
            acting_user=user, language=form.cleaned_data["preferred_language"], request=request
        )
        messages.success(request, _("Your preferences were saved."))
        return _with_language(redirect("accounts:profile"), form.cleaned_data["preferred_language"])
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "countries": user.countries.all(), "all_countries": user.all_countries},
    )
