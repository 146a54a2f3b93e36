"""Token authentication whose refusals say plainly what is wrong with the token."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from palermo.accounts.access import is_active_user
from palermo.accounts.models import User


class ClearTokenAuthentication(TokenAuthentication):
    def authenticate(self, request: Request) -> tuple[User, Token] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Malformed Authorization header: expected 'Token <40 hexadecimal characters>'.")
            )
        try:
            key = header[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(_("Malformed token: it contains non-ASCII characters.")) from error
        if len(key) != 40 or any(c not in "0123456789abcdef" for c in key):
            raise exceptions.AuthenticationFailed(_("Malformed token: a token is 40 hexadecimal characters."))
        user, token = self.authenticate_credentials(key)
        if user.identifying_role:
            raise exceptions.AuthenticationFailed(
                _("API tokens are not accepted for roles that see identifying data; sign in with two factors.")
            )
        return user, token

    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        try:
            user, token = super().authenticate_credentials(key)
        except exceptions.AuthenticationFailed as error:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked token.")) from error
        if not is_active_user(user):  # DRF refuses inactive users before: never reached
            raise exceptions.AuthenticationFailed(_("Unknown or revoked token."))
        return user, token


def user_of(request: Request) -> User:
    """The signed-in, active user behind an API request (the default permission lets no one else in)."""
    user = request.user
    if not isinstance(user, User) or not is_active_user(user):
        raise NotAuthenticated
    return user
