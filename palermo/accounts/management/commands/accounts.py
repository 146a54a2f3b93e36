from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.accounts import services
from palermo.accounts.access import SYSTEM
from palermo.accounts.models import User


class Command(BaseCommand):
    help = ("The operator's path for the first administrators, who have no second person yet: approve an account's "
            "current access, or issue its second-factor activation code. Both are audited as the system.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        approve = sub.add_parser("approve", help="record USER's current access (role, organisation, countries, "
                                                 "superuser status) as approved")
        approve.add_argument("username")
        code = sub.add_parser("activation-code", help="print a one-time code with which USER enrols a second factor")
        code.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as error:
            raise CommandError(f"No user named {options['username']!r}.") from error
        actor = SYSTEM.running(f"palermo accounts {options['action']}")
        if options["action"] == "approve":
            changed = services.approve_as_system(acting_user=actor, user=user)
            profile = user.access_profile()
            if not profile.sensitive:
                self.stdout.write(f"{user.get_username()} neither reads identifying data nor approves: nothing to "
                                  "approve.")
            else:
                self.stdout.write(f"Access of {user.get_username()} approved: {profile.as_json()}"
                                  + ("" if changed else " (already approved)"))
            return
        if not user.needs_two_factor:
            raise CommandError(f"{user.get_username()} signs in without a second factor: no code needed.")
        code = services.issue_activation_code_as_system(acting_user=actor, user=user)
        hours = int(services.ACTIVATION_CODE_LIFETIME.total_seconds() // 3600)
        self.stdout.write(f"Activation code for {user.get_username()} (once, within {hours} hours): {code}")
