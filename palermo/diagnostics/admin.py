from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from palermo.audit.admin import AuditedModelAdmin
from palermo.diagnostics.models import OfficialStatistic, Release, StatisticsImport


@admin.register(StatisticsImport)
class StatisticsImportAdmin(AuditedModelAdmin):
    list_display = ("source", "file_name", "values_stored", "imported_at", "imported_by")
    readonly_fields = ("source", "file_name", "sha256", "rows_read", "values_stored", "rows_skipped", "imported_at",
                       "imported_by")


@admin.register(OfficialStatistic)
class OfficialStatisticAdmin(AuditedModelAdmin):
    list_display = ("country", "year", "indicator", "dimension", "sex", "age", "form", "category_label", "value",
                    "suppressed")
    list_filter = ("indicator", "dimension", "sex", "age", "country__is_programme")
    search_fields = ("country__code", "category_label")


@admin.register(Release)
class ReleaseAdmin(AuditedModelAdmin):
    list_display = ("pk", "kind", "created_at", "created_by", "rows", "cells_suppressed", "sha256")
    readonly_fields = ("kind", "created_at", "created_by", "countries", "parameters", "file_name", "sha256", "rows",
                       "cells_suppressed")

    def has_add_permission(self, request: HttpRequest, obj: Release | None = None) -> bool:
        return False  # releases are made through the release page or command, which log and audit them
