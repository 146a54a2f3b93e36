"""``palermo release aggregates|microdata``: a disclosure-controlled file, logged and audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.diagnostics.disclosure import DEFAULT_K
from palermo.diagnostics.releases import RELEASE_DIMS, ReleaseError


class Command(BaseCommand):
    help = "Release k-rounded (or differentially private) aggregates, or CTDC 2024 k-anonymous microdata."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["aggregates", "microdata"])
        parser.add_argument("--user", required=True, help="user name of the person releasing (logged)")
        parser.add_argument("--dims", default="year", help=f"comma-separated, among: {', '.join(RELEASE_DIMS)}")
        parser.add_argument("--k", type=int, default=DEFAULT_K, help="privacy resolution (default 10)")
        parser.add_argument("--epsilon", type=float, default=None,
                            help="differential privacy budget; omit for k-rounding")
        parser.add_argument("--country", default=None, help="ISO alpha-2 code of one owner country")
        parser.add_argument("--output", required=True, help="where to write a copy of the released CSV")

    def handle(self, *args: Any, **options: Any) -> None:
        from palermo.accounts.models import User
        from palermo.diagnostics.models import Release
        from palermo.diagnostics.services import create_release, release_file

        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['user']!r}")
        if options["kind"] == "microdata":
            kind = Release.Kind.MICRODATA
        else:
            kind = Release.Kind.DP_AGGREGATES if options["epsilon"] is not None else Release.Kind.AGGREGATES
        try:
            release = create_release(acting_user=user, kind=kind, k=options["k"],
                                     dims=options["dims"].split(","), epsilon=options["epsilon"],
                                     country=(options["country"] or "").upper() or None)
        except (PermissionDenied, ReleaseError) as error:
            raise CommandError(f"release refused: {error}") from error
        output = Path(options["output"])
        output.write_bytes(release_file(release).read_bytes())
        self.stdout.write(self.style.SUCCESS(
            f"release #{release.pk}: {release.rows} rows, {release.cells_suppressed} suppressed, "
            f"sha256 {release.sha256} -> {output}"
        ))
