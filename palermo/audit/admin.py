"""Admin edits write audit rows in the admin's own transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from palermo.audit.models import AuditEvent
from palermo.audit.services import record

if TYPE_CHECKING:
    from palermo.accounts.models import User


def _actor(request: HttpRequest) -> User | None:
    return cast("User", request.user) if request.user.is_authenticated else None


def _country(obj: Model) -> str:
    value = getattr(obj, "country_id", "") or ""
    return value if isinstance(value, str) and len(value) == 2 else ""


def _record(request: HttpRequest, action: str, obj: Model, detail: dict[str, str]) -> None:
    record(
        actor=_actor(request),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        country=_country(obj),
        detail={"via": "admin", **detail},
        request=request,
    )


class AuditedModelAdmin(admin.ModelAdmin):
    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        _record(request, AuditEvent.Action.CREATE, obj, {"change": str(message)})
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        _record(request, AuditEvent.Action.UPDATE, obj, {"change": str(message)})
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for obj in queryset:
            _record(request, AuditEvent.Action.DELETE, obj, {"repr": str(obj)})
        return super().log_deletions(request, queryset)
