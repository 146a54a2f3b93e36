"""Load GRETA recommendations from CSV: validate every row first, then write all or nothing."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.numbers import whole_number
from palermo.programme.access import greta_countries, may_upload_greta
from palermo.programme.models import GretaRecommendation
from palermo.reference.models import Country

COLUMNS = ("country", "round", "report_date", "paragraph", "theme", "level", "text", "articles", "follow_up",
           "is_demo", "source_url")
REQUIRED = ("country", "round", "report_date", "paragraph", "theme", "level", "text")
TRUE, FALSE = {"1", "true", "yes", "oui"}, {"", "0", "false", "no", "non"}
# GRETA publishes a few dozen recommendations per country and round: a file far beyond that is refused unread.
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Problem:
    row: int  # line number in the file, the header being line 1
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}, value {self.value!r}: {self.reason}"


class GretaImportError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int


def parse(text: str, allowed_countries: frozenset[str] | None = None) -> list[dict[str, Any]]:
    """Validated rows ready to save; raises GretaImportError listing every problem found.

    With ``allowed_countries`` (a national coordinator's countries), a row of another country is a problem."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        raise GretaImportError(
            [Problem(1, c, "", _("required column missing")) for c in missing]
            + [Problem(1, c, c, _("unknown column")) for c in unknown]
        )
    countries = set(Country.objects.values_list("code", flat=True))
    problems: list[Problem] = []
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, int, str], int] = {}
    for line, raw in enumerate(reader, start=2):
        if line > MAX_ROWS + 1:
            raise GretaImportError([Problem(line, "", "", _("the file has more than %(limit)s rows") % {
                "limit": f"{MAX_ROWS:,}"})])
        values = {c: (raw.get(c) or "").strip() for c in COLUMNS}
        row_problems = len(problems)

        def fail(column: str, reason: str, line: int = line, values: dict[str, str] = values) -> None:
            problems.append(Problem(line, column, values[column], reason))

        for column in REQUIRED:
            if not values[column]:
                fail(column, _("a value is required"))
        country = values["country"].upper()
        if country == "XKX":
            country = "XK"
        if values["country"] and country not in countries:
            fail("country", _("not an ISO alpha-2 country code"))
        elif values["country"] and allowed_countries is not None and country not in allowed_countries:
            fail("country", _("outside your countries (%(codes)s): the whole file is refused")
                 % {"codes": ", ".join(sorted(allowed_countries)) or "-"})
        round_ = 0
        if values["round"]:
            if (number := whole_number(values["round"])) is not None and 1 <= number <= 9:
                round_ = number
            else:
                fail("round", _("a round is a whole number from 1 to 9"))
        report_date = None
        if values["report_date"]:
            try:
                report_date = date.fromisoformat(values["report_date"])
            except ValueError:
                fail("report_date", _("use the date format YYYY-MM-DD"))
        for column, choices in (("theme", GretaRecommendation.Theme.values),
                                ("level", GretaRecommendation.Level.values),
                                ("follow_up", GretaRecommendation.FollowUp.values)):
            if values[column] and values[column] not in choices:
                fail(column, _("expected one of: %(values)s") % {"values": ", ".join(choices)})
        if values["is_demo"].lower() not in TRUE | FALSE:
            fail("is_demo", _("expected true or false"))
        if values["source_url"]:
            try:
                URLValidator()(values["source_url"])
            except ValidationError:
                fail("source_url", _("not a web address"))
        candidate = GretaRecommendation(
            country_id=country, round=round_ or 1, report_date=report_date or date(2000, 1, 1),
            paragraph=values["paragraph"], theme=values["theme"] or "prevention", level=values["level"] or "urges",
            text=values["text"] or "-", articles=values["articles"],
            follow_up=values["follow_up"] or GretaRecommendation.FollowUp.NOT_ASSESSED,
        )
        try:
            candidate.clean_fields(exclude=["country", "theme", "level", "follow_up", "source_url", "round"])
        except ValidationError as error:
            for column, messages in error.message_dict.items():
                if column in values:
                    fail(column, " ".join(messages))
        key = (country, round_, values["paragraph"])
        if key in seen:
            fail("paragraph", _("the same country, round and paragraph is already on row %(row)s") % {"row": seen[key]})
        seen[key] = line
        if len(problems) == row_problems:
            rows.append({
                "country_id": country, "round": round_, "paragraph": values["paragraph"],
                "report_date": report_date, "theme": values["theme"], "level": values["level"],
                "text": values["text"], "articles": values["articles"],
                "follow_up": values["follow_up"] or GretaRecommendation.FollowUp.NOT_ASSESSED,
                "is_demo": values["is_demo"].lower() in TRUE, "source_url": values["source_url"],
            })
    if problems:
        raise GretaImportError(problems)
    if not rows:
        raise GretaImportError([Problem(2, "country", "", _("the file holds no recommendation"))])
    return rows


@transaction.atomic
def import_recommendations(*, acting_user: Actor, text: str, source: str = "") -> ImportReport:
    """Create or update (by country, round, paragraph) every row, or none when a row is wrong or, for a
    national coordinator, of a country outside theirs. PermissionDenied for whoever may not load GRETA."""
    if not may_upload_greta(acting_user):
        raise PermissionDenied
    rows = parse(text, greta_countries(acting_user))
    created = updated = 0
    countries = sorted({row["country_id"] for row in rows})
    for row in rows:
        keys = {k: row.pop(k) for k in ("country_id", "round", "paragraph")}
        _object, was_created = GretaRecommendation.objects.update_or_create(**keys, defaults=row)
        created += was_created
        updated += not was_created
    record(actor=acting_user, action=AuditEvent.Action.IMPORT,
           object_type="programme.greta_recommendation", object_id=source[:100],
           country=countries[0] if len(countries) == 1 else "",
           detail={"source": source, "created": created, "updated": updated, "countries": countries})
    return ImportReport(created, updated)
