from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.accounts.access import SYSTEM
from palermo.accounts.models import User
from palermo.api.services import TokenRefused, create_token, revoke_token


class Command(BaseCommand):
    help = "Make or revoke a user's API token; each is an audit row (the key itself is never recorded)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="print a new token for USER")
        create.add_argument("username")
        create.add_argument("--replace", action="store_true", help="revoke the user's token first")
        revoke = sub.add_parser("revoke", help="revoke USER's token")
        revoke.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as error:
            raise CommandError(f"No user named {options['username']!r}.") from error
        actor = SYSTEM.running(f"palermo token {options['action']}")
        if options["action"] == "revoke":
            if not revoke_token(acting_user=actor, user=user):
                raise CommandError(f"{user.get_username()} has no token.")
            self.stdout.write(f"Token of {user.get_username()} revoked.")
            return
        try:
            token = create_token(acting_user=actor, user=user, replace=options["replace"])
        except TokenRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Token for {user.get_username()}: {token.key}")
