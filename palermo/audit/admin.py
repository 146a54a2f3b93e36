"""Admin edits write audit rows in the admin's own transaction: the object saved or deleted, and every
object an inline adds, changes or deletes (with its own type, id and country, so that a search by
country finds it)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from palermo.accounts.access import is_active_user
from palermo.accounts.models import User
from palermo.audit.models import AuditEvent
from palermo.audit.services import record


def admin_actor(request: HttpRequest) -> User:
    user = request.user
    if not is_active_user(user):  # the admin lets only active staff in
        raise PermissionDenied
    return user


def _country(obj: Model) -> str:
    value = getattr(obj, "country_id", "") or ""
    return value if isinstance(value, str) and len(value) == 2 else ""


class AuditedInlineFormSet(BaseInlineFormSet):
    """An inline's formset whose every saved, changed or deleted object writes its audit row.

    ``AuditedModelAdmin`` derives each inline's formset class from this one, with the request bound."""

    audit_request: HttpRequest

    def _audit(self, action: str, obj: Model, detail: dict[str, Any]) -> None:
        parent = self.instance
        record(
            actor=admin_actor(self.audit_request),
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            country=_country(obj) or _country(parent),
            detail={"via": "admin", "inline_of": f"{parent._meta.label_lower} {parent.pk}", **detail},
            request=self.audit_request,
        )

    def save_new(self, form: ModelForm[Any], commit: bool = True) -> Any:
        obj = super().save_new(form, commit=commit)
        if commit:
            self._audit(AuditEvent.Action.CREATE, obj, {"repr": str(obj)})
        return obj

    def save_existing(self, form: ModelForm[Any], obj: Any, commit: bool = True) -> Any:
        saved = super().save_existing(form, obj, commit=commit)
        if commit:
            self._audit(AuditEvent.Action.UPDATE, saved, {"changed": list(form.changed_data)})
        return saved

    def delete_existing(self, obj: Any, commit: bool = True) -> None:
        if commit:
            self._audit(AuditEvent.Action.DELETE, obj, {"repr": str(obj)})
        super().delete_existing(obj, commit=commit)


def audited_formset(formset: type[BaseInlineFormSet[Any, Any, Any]],
                    request: HttpRequest) -> type[AuditedInlineFormSet]:
    """``formset`` (an inline's) made to audit its saves on behalf of ``request``'s user."""
    return type(formset.__name__, (AuditedInlineFormSet, formset), {"audit_request": request})


class AuditedModelAdmin(admin.ModelAdmin):
    """Every admin registered subclasses this (``tests/audit/test_admin_audited.py`` checks it)."""

    def audit_object_id(self, obj: Model) -> str:
        """How the audit row names the object (a secret primary key, like a token's, is never written)."""
        return str(obj.pk)

    def audit_repr(self, obj: Model) -> str:
        return str(obj)

    def _record(self, request: HttpRequest, action: str, obj: Model, detail: dict[str, str]) -> None:
        record(
            actor=admin_actor(request),
            action=action,
            object_type=obj._meta.label_lower,
            object_id=self.audit_object_id(obj),
            country=_country(obj),
            detail={"via": "admin", **detail},
            request=request,
        )

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._record(request, AuditEvent.Action.CREATE, obj, {"change": str(message)})
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._record(request, AuditEvent.Action.UPDATE, obj, {"change": str(message)})
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for obj in queryset:
            self._record(request, AuditEvent.Action.DELETE, obj, {"repr": self.audit_repr(obj)})
        return super().log_deletions(request, queryset)

    def get_formsets_with_inlines(self, request: HttpRequest, obj: Model | None = None) -> Iterator[Any]:
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield audited_formset(formset, request), inline
