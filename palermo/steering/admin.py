"""Admin of the steering committee. Closing goes through ``services.close_meeting`` (the meeting page): here
status and closing fields are read-only, a closed meeting and its decisions cannot change, and a frozen review
is shown with its hash, never edited or deleted."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from palermo.audit.admin import AuditedModelAdmin
from palermo.steering.models import Decision, FrozenReview, SteeringMeeting

CLOSING_FIELDS = ("status", "closed_at", "closed_by")


def _closed(obj: Any) -> bool:
    meeting = obj if isinstance(obj, SteeringMeeting) else getattr(obj, "meeting", None)
    return bool(meeting is not None and meeting.is_closed)


class DecisionInline(admin.StackedInline):
    model = Decision
    extra = 0
    autocomplete_fields = ["actions"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _closed(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _closed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _closed(obj) and super().has_delete_permission(request, obj)


class FrozenReviewInline(admin.TabularInline):
    model = FrozenReview
    extra = 0
    fields = readonly_fields = ("scope", "language", "format", "sha256", "created_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SteeringMeeting)
class SteeringMeetingAdmin(AuditedModelAdmin):
    list_display = ("year", "date", "place", "status", "closed_at")
    list_filter = ("status",)
    search_fields = ("place", "participants")
    inlines = [DecisionInline, FrozenReviewInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if _closed(obj):
            return ("year", "date", "place", "participants", *CLOSING_FIELDS)
        return CLOSING_FIELDS

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _closed(obj) and super().has_delete_permission(request, obj)


@admin.register(Decision)
class DecisionAdmin(AuditedModelAdmin):
    list_display = ("meeting", "owner", "due_date", "text_en")
    list_filter = ("meeting__year",)
    search_fields = ("text_en", "text_fr", "owner")
    autocomplete_fields = ["actions"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("meeting", "text_en", "text_fr", "actions", "owner", "due_date") if _closed(obj) else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _closed(obj) and super().has_delete_permission(request, obj)


@admin.register(FrozenReview)
class FrozenReviewAdmin(AuditedModelAdmin):
    """Read-only: the stored review is the committee's record."""

    list_display = ("meeting", "scope", "language", "format", "sha256", "created_at")
    list_filter = ("format", "language")
    fields = readonly_fields = ("meeting", "scope", "language", "format", "sha256", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
