"""Exports of case records for the data owner, in the standards' layouts (``palermo export cases``): within the
user's scope (``Case.objects.visible_to``), identifying columns only for the roles that read identities, audited
with what was exported, and always with the note of what the layout cannot carry (docs/cases.md, "Exports")."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from palermo import tabular
from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.cases import exporting
from palermo.cases.access import may_edit_cases, may_read_cases
from palermo.cases.models import IDENTIFYING_FIELDS, Case, Perpetrator, TraffickingEvent
from palermo.reference.models import Country

EXPORT_LAYOUTS = ("htcds", "ctdc")
CHUNK = 2000  # cases read (with their forms, route and perpetrators) per round trip: memory stays bounded


@dataclass(frozen=True)
class Export:
    path: Path  # the CSV file, UTF-8, written
    note_path: Path  # the accompanying note (lossy mappings), beside it
    rows: int
    identifying: bool


def _chunks(cases: QuerySet[Case]) -> Iterator[tuple[Case, exporting.Children]]:
    """The cases in primary-key order, CHUNK at a time, with their children: one query per child table and chunk
    (no queryset per case)."""
    last = 0
    through = Case.forms.through
    while True:
        chunk = list(cases.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            return
        ids = [case.pk for case in chunk]
        children = {case_id: exporting.Children() for case_id in ids}
        for case_id, form in through.objects.filter(case_id__in=ids).order_by("exploitationform_id").values_list(
                "case_id", "exploitationform_id"):
            children[case_id].forms.append(form)
        for event in TraffickingEvent.objects.filter(case_id__in=ids).order_by("case_id", "sequence", "pk"):
            children[event.case_id].events.append(event)
        for perpetrator in Perpetrator.objects.filter(case_id__in=ids).order_by("case_id", "pk"):
            children[perpetrator.case_id].perpetrators.append(perpetrator)
        for case in chunk:
            yield case, children[case.pk]
        last = chunk[-1].pk


def export_cases(*, acting_user: User, layout: str, output: str | Path, source: str = "",
                 country: str = "") -> Export:
    """Write the cases the user sees (of one source and one owning country when given) in ``layout`` to
    ``output``, its note beside it (``<file>.note.txt``); audited. A refused request (no case reader, unknown
    layout, country outside the scope) raises, writes no file and records nothing."""
    if layout not in EXPORT_LAYOUTS:
        raise ValueError(f"unknown format {layout!r}: use one of {', '.join(EXPORT_LAYOUTS)}")
    if not may_read_cases(acting_user):
        raise PermissionDenied("this user reads no case records")
    country = country.upper()
    if country and not acting_user.covers_country(country):
        raise PermissionDenied(f"country {country} is outside this user's scope")
    identifying = layout == "htcds" and may_edit_cases(acting_user)
    cases = Case.objects.visible_to(acting_user).filter(erased_at__isnull=True)
    if source:
        cases = cases.filter(source=source)
    if country:
        cases = cases.filter(owner_country_id=country)
    if not identifying:  # never decrypted when not written
        cases = cases.defer(*IDENTIFYING_FIELDS)
    alpha3 = dict(Country.objects.values_list("code", "alpha3"))
    columns = exporting.htcds_columns(identifying=identifying) if layout == "htcds" else list(
        exporting.ctdc.COLUMNS_2024)
    path = Path(output)
    count = 0
    with transaction.atomic():
        if path.suffix.lower() == ".xlsx":  # the HTCDS template's own format (text cells, formulas guarded)
            written: list[list[str]] = list(exporting.rows(_chunks(cases), layout, identifying=identifying,
                                                           alpha3=alpha3))
            count = len(written)
            path.write_bytes(tabular.xlsx_bytes(columns, written, title=f"{layout} cases"))
        else:
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(columns)
                for row in exporting.rows(_chunks(cases), layout, identifying=identifying, alpha3=alpha3):
                    writer.writerow([tabular.csv_value(value) for value in row])
                    count += 1
        note = path.with_name(path.name + ".note.txt")
        note.write_text(exporting.lossy_note(layout), encoding="utf-8")
        record(actor=acting_user, action=AuditEvent.Action.EXPORT, object_type="cases.case",
               object_id=source or "", country=country,
               detail={"layout": layout, "source": source, "country": country, "rows": count,
                       "identifying": identifying, "file": path.name})
    return Export(path, note, count, identifying)
