from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from palermo.accounts.access import SYSTEM
from palermo.audit.models import AuditEvent
from palermo.audit.services import record

# Each capability adds its loader here, after those it builds on.
DEMO_LOADERS = [
    "palermo.partners.demo",
    "palermo.accounts.demo",
    "palermo.cases.demo",
    "palermo.screening.demo",
    "palermo.referral.demo",
    "palermo.assistance.demo",
    "palermo.programme.demo",
    "palermo.justice.demo",
    "palermo.capacity.demo",
    "palermo.steering.demo",
    "palermo.diagnostics.demo",
    "palermo.awareness.demo",
    "palermo.networks.demo",
    "palermo.linkage.demo",
]


class Command(BaseCommand):
    help = "Load the demo dataset (idempotent and deterministic) into the configured database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", nargs="*", help="run only these loaders (module names)")
        parser.add_argument("--cases", type=int, default=None, metavar="N",
                            help="how many synthetic cases to make (default 20,000; fewer load faster)")

    def handle(self, *args: Any, **options: Any) -> None:
        loaders = [name for name in DEMO_LOADERS if not options["only"] or name.rsplit(".", 2)[-2] in options["only"]]
        log: list[str] = []
        for name in loaders:
            with transaction.atomic():
                if name == "palermo.cases.demo" and options["cases"] is not None:
                    import_module(name).load(log, total=options["cases"])
                else:
                    import_module(name).load(log)
                record(
                    actor=SYSTEM.running("demo"),
                    action=AuditEvent.Action.IMPORT,
                    object_type="demo",
                    object_id=name,
                    detail={"loader": name},
                )
        for line in log:
            self.stdout.write(line)
        from palermo.accounts.demo import DEMO_PASSWORD, demo_users

        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in at http://127.0.0.1:8000 with:"))
        names = [username for username, *_ in demo_users()]
        self.stdout.write("  " + ", ".join(names))
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
        self.stdout.write("  (managers, the auditor and case workers enrol an authenticator app at their first "
                          "sign-in, with the activation code printed above)")
