from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from palermo.accounts.access import SYSTEM
from palermo.steering import services
from palermo.steering.models import SteeringMeeting


class Command(BaseCommand):
    help = (
        "Steering committee. 'report YEAR' writes the review of YEAR: the frozen one when the meeting is "
        "closed, else computed from the data now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        report = sub.add_parser("report", help="write the review of a year as PDF or HTML")
        report.add_argument("year", type=int)
        report.add_argument("--lang", choices=["fr", "en"], default="fr")
        report.add_argument("--format", choices=["pdf", "html"], default="pdf", dest="fmt")
        report.add_argument("--output", required=True, help="file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        meeting = SteeringMeeting.objects.filter(year=year).first()
        if meeting is None:
            if year >= timezone.localdate().year + 1:
                raise CommandError(f"{year} has not started: there is nothing to review")
            meeting = SteeringMeeting(year=year, date=timezone.localdate(), place="—")
        try:
            content = services.review_bytes(
                acting_user=SYSTEM.running("palermo steering report"),
                meeting=meeting,
                language=options["lang"],
                fmt=options["fmt"],
            )
        except services.FrozenReviewAltered as error:
            raise CommandError(str(error)) from error
        output = Path(options["output"])
        output.write_bytes(content)
        state = "frozen" if meeting.is_closed else "computed now"
        self.stdout.write(
            self.style.SUCCESS(
                f"Review {year} ({options['lang']}, {options['fmt']}, {state}) "
                f"written to {output} ({len(content)} bytes)."
            )
        )
