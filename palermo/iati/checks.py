"""Start-up check of the IATI settings: the programme's reporting organisation identifier must begin with an
approved agency code (OrganisationRegistrationAgency codelist, IATI rule 1.14.8)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register

from palermo.iati import codes


@register()
def reporting_organisation_identifier(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    ref = str(getattr(settings, "PALERMO_IATI_REPORTING_ORG_REF", ""))
    agencies = codes.long_codelists(getattr(settings, "PALERMO_IATI_CODELIST_DIR", None)).registration_agency
    problem = codes.organisation_identifier_problem(ref, agencies)
    if problem is None:
        return []
    return [Warning(f"PALERMO_IATI_REPORTING_ORG_REF: {problem}.",
                    hint="Give the identifier the MEAE publishes under, as the IATI Registry lists it.",
                    id="iati.W001")]
