"""Exports of case records for the data owner, in the standards' layouts (``palermo export cases``): within the
user's scope (``Case.objects.visible_to``), identifying columns only for the roles that read identities, audited
with what was exported, and always with the note of what the layout cannot carry (docs/cases.md, "Exports")."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction

from palermo import tabular
from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.cases import exporting
from palermo.cases.access import may_edit_cases, may_read_cases
from palermo.cases.models import Case
from palermo.reference.models import Country

EXPORT_LAYOUTS = ("htcds", "ctdc")


@dataclass(frozen=True)
class Export:
    data: bytes  # the CSV file, UTF-8
    note: str  # the accompanying note (lossy mappings)
    rows: int
    identifying: bool


def export_cases(*, acting_user: User, layout: str, source: str = "", country: str = "") -> Export:
    """The cases the user sees (of one source and one owning country when given) in ``layout``; audited. A
    refused request (no case reader, unknown layout or country outside the scope) raises and records nothing."""
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
    cases = cases.order_by("pk").prefetch_related("forms", "events", "perpetrators")
    alpha3 = dict(Country.objects.values_list("code", "alpha3"))
    columns = exporting.htcds_columns(identifying=identifying) if layout == "htcds" else list(
        exporting.ctdc.COLUMNS_2024)
    with transaction.atomic():
        chosen = list(cases)
        data = tabular.csv_bytes(columns, exporting.rows(chosen, layout, identifying=identifying, alpha3=alpha3))
        record(actor=acting_user, action=AuditEvent.Action.EXPORT, object_type="cases.case",
               object_id=source or "", country=country,
               detail={"layout": layout, "source": source, "country": country, "rows": len(chosen),
                       "identifying": identifying})
    return Export(data, exporting.lossy_note(layout), len(chosen), identifying)


def write_export(export: Export, output: str | Path) -> Path:
    """The file and its note beside it (``<file>.note.txt``)."""
    path = Path(output)
    path.write_bytes(export.data)
    note = path.with_name(path.name + ".note.txt")
    note.write_text(export.note, encoding="utf-8")
    return note
