"""Admin edits write audit rows in the admin's own transaction."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from palermo.audit.models import AuditEvent
from palermo.audit.services import record


def _label(obj: Model) -> str:
    return obj._meta.label_lower


def _country(obj: Model) -> str:
    value = getattr(obj, "country_id", "") or ""
    return value if isinstance(value, str) and len(value) == 2 else ""


class AuditedModelAdmin(admin.ModelAdmin):
    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        record(actor=request.user, action=AuditEvent.Action.CREATE, object_type=_label(obj),  # type: ignore[arg-type]
               object_id=str(obj.pk), country=_country(obj), detail={"via": "admin", "change": str(message)},
               request=request)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        record(actor=request.user, action=AuditEvent.Action.UPDATE, object_type=_label(obj),  # type: ignore[arg-type]
               object_id=str(obj.pk), country=_country(obj), detail={"via": "admin", "change": str(message)},
               request=request)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for obj in queryset:
            record(actor=request.user, action=AuditEvent.Action.DELETE, object_type=_label(obj),  # type: ignore[arg-type]
                   object_id=str(obj.pk), country=_country(obj), detail={"via": "admin", "repr": str(obj)},
                   request=request)
        return super().log_deletions(request, queryset)
