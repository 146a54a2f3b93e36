"""The two state changes of the IATI exchange, each audited in its own transaction.

``import_file`` validates the whole file first (``import_checks``) and then writes it in one
transaction, or nothing; ``export_file`` writes the portfolio as an ``iati-activities`` file once
the codelist and IATI rules (and, when asked, the XSD) pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from palermo.accounts.access import Actor
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.iati import export, safexml, validation
from palermo.iati.access import require_exchange
from palermo.iati.database_writer import ActionWriter, Registry, save_programme
from palermo.iati.import_checks import check, configured_codelists, is_programme, own_reporting_refs, schema_problems
from palermo.iati.problems import IatiRefused, Problem
from palermo.programme.models import Programme

AUDIT_OBJECT_TYPE = "programme.iati"  # what the audit rows of the exchange have always been filed under


@dataclass
class ImportReport:
    source: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    external: int = 0
    warnings: list[Problem] = field(default_factory=list)


@transaction.atomic
def import_file(*, acting_user: Actor, data: bytes, source: str) -> ImportReport:
    """All or nothing: a refused file raises ``IatiRefused`` and leaves the database untouched."""
    require_exchange(acting_user)
    activities, warnings = check(data)
    report = ImportReport(source=source, warnings=warnings)
    own_refs = own_reporting_refs()
    registry = Registry(configured_codelists().crs_channel)
    programme_ids = set(Programme.objects.values_list("iati_identifier", flat=True))
    programmes: dict[str, Programme] = {p.iati_identifier: p for p in Programme.objects.all()}
    for item in activities:
        if is_programme(item, item.reporting_org.ref in own_refs, programme_ids):
            programmes[item.identifier] = save_programme(item, registry)
            report.programmes.append(item.identifier)
    writer = ActionWriter(registry, programmes, source)
    for item in activities:
        own = item.reporting_org.ref in own_refs
        if is_programme(item, own, programme_ids):
            continue
        created = writer.save(item, own=own)
        (report.created if created else report.updated).append(item.identifier)
        report.external += 0 if own else 1
    record(
        actor=acting_user,
        action=AuditEvent.Action.IMPORT,
        object_type=AUDIT_OBJECT_TYPE,
        object_id=source[:100],
        detail={
            "created": len(report.created),
            "updated": len(report.updated),
            "external": report.external,
            "programmes": report.programmes,
            "organisations_created": registry.created,
            "warnings": len(warnings),
        },
    )
    return report


def export_file(
    *, acting_user: Actor, output: Path, validate: bool = False, include_external: bool = False, lang: str = "en"
) -> int:
    """Write the portfolio to ``output`` and return how many activities it holds. The codelist and IATI
    rules are always checked, the XSD when ``validate``; an invalid export raises ``IatiRefused`` and
    writes nothing."""
    require_exchange(acting_user)
    data = export.export_bytes(include_external=include_external, lang=lang)
    tree = safexml.parse(data)
    problems = validation.rule_problems(tree, configured_codelists())
    if validate:
        problems = schema_problems(tree) + problems
    errors = [p for p in problems if not p.warning]
    if errors:
        raise IatiRefused(errors)
    count = len(tree.getroot())
    with transaction.atomic():  # no audit row if the file cannot be written
        record(
            actor=acting_user,
            action=AuditEvent.Action.EXPORT,
            object_type=AUDIT_OBJECT_TYPE,
            object_id=output.name[:100],
            detail={"activities": count, "validated": validate},
        )
        output.write_bytes(data)
    return count


__all__ = ["ImportReport", "export_file", "import_file"]
