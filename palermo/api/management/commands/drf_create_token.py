from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Replaced by `palermo token create USER`, which is audited and refuses roles that see identifying data."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("args", nargs="*")
        parser.add_argument("-r", "--reset", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError("drf_create_token is disabled: use `palermo token create USER` (audited).")
