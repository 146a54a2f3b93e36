"""Accounts in the admin, and the admins of the packages that sign people in (groups, second factors, API
tokens, sign-in throttling), re-registered so that every edit made there is audited too."""

from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from palermo.accounts.models import User
from palermo.audit.admin import AuditedModelAdmin, admin_actor
from palermo.audit.models import AuditEvent
from palermo.audit.services import record


@admin.register(User)
class PalermoUserAdmin(AuditedModelAdmin, UserAdmin):
    list_display = ("username", "role", "organisation", "is_active", "last_login")
    list_filter = ("role", "is_active", "countries")
    filter_horizontal = ("countries", "groups", "user_permissions")
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        (_("Programme scope"), {"fields": ("role", "countries", "organisation", "preferred_language")}),
    )


for model in (Group, TOTPDevice, TokenProxy, AccessAttempt, AccessLog, AccessFailureLog):
    admin.site.unregister(model)


@admin.register(Group)
class AuditedGroupAdmin(AuditedModelAdmin, GroupAdmin):
    pass


@admin.register(TOTPDevice)
class AuditedTOTPDeviceAdmin(AuditedModelAdmin, TOTPDeviceAdmin):
    pass


@admin.register(TokenProxy)
class AuditedTokenAdmin(AuditedModelAdmin, TokenAdmin):
    """A token's primary key is the secret itself: the audit row names its user instead."""

    def audit_object_id(self, obj: Model) -> str:
        return str(getattr(obj, "user_id", ""))

    def audit_repr(self, obj: Model) -> str:
        return f"API token of {getattr(obj, 'user', '')}"


@admin.register(AccessAttempt)
class AuditedAccessAttemptAdmin(AuditedModelAdmin, AccessAttemptAdmin):
    """Deleting an attempt lifts a lock-out: audited like every deletion, and so is the clean-up action."""

    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = self.handler.clean_expired_user_attempts(request=request)
        record(actor=admin_actor(request), action=AuditEvent.Action.DELETE, object_type="axes.accessattempt",
               detail={"via": "admin", "expired_attempts_removed": count}, request=request)
        self.message_user(request, _("Cleaned up %(count)s expired access attempts.") % {"count": count})


@admin.register(AccessLog)
class AuditedAccessLogAdmin(AuditedModelAdmin, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class AuditedAccessFailureLogAdmin(AuditedModelAdmin, AccessFailureLogAdmin):
    pass
