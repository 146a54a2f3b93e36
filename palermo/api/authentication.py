"""Token authentication whose refusals say plainly what is wrong with the token."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.request import Request


class ClearTokenAuthentication(TokenAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
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
        if getattr(user, "needs_two_factor", False):
            raise exceptions.AuthenticationFailed(
                _("API tokens are not accepted for roles that see identifying data; sign in with two factors.")
            )
        return user, token

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        try:
            return super().authenticate_credentials(key)
        except exceptions.AuthenticationFailed as error:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked token.")) from error
