"""Accounts in the admin, and the admins of the packages that sign people in (groups, second factors, API
tokens, sign-in throttling), re-registered so that every edit made there is audited too."""

from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from palermo.accounts import services
from palermo.accounts.models import AccessChange, User
from palermo.audit.admin import AuditedModelAdmin, admin_actor
from palermo.audit.models import AuditEvent
from palermo.audit.services import record


@admin.register(User)
class PalermoUserAdmin(AuditedModelAdmin, UserAdmin):
    """Accounts. A save that widens what an account reaches in identifying data, or makes it a superuser, is kept
    but takes no effect: it opens a request that another administrator approves (Access approvals). A password set
    here is remembered (its setter never approves the account's activation code) and revokes unused codes."""

    list_display = ("username", "role", "organisation", "is_active", "last_login")
    list_filter = ("role", "is_active", "countries")
    filter_horizontal = ("countries", "groups", "user_permissions")
    readonly_fields = ("access_approval", "password_set_by")
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        (_("Programme scope"), {"fields": ("role", "countries", "organisation", "preferred_language")}),
        (_("Separation of duties"), {"fields": ("access_approval", "password_set_by")}),
    )
    actions = ["request_activation_codes"]

    @admin.display(description=_("approved access"))
    def access_approval(self, obj: User) -> str:
        if obj.pk is None:
            return "—"
        pending = obj.access_changes.filter(status=AccessChange.Status.PENDING).count()
        if obj.access_pending_approval:
            state = str(_("not in effect: waiting for a second administrator's approval"))
        elif obj.approved_access:
            state = str(_("approved by %(name)s on %(date)s") % {
                "name": obj.access_approved_by_name, "date": f"{obj.access_approved_at:%Y-%m-%d %H:%M}"})
        else:
            state = str(_("nothing that needs approval"))
        if pending:
            state += " " + str(_("(%(count)s request(s) waiting)") % {"count": pending})
        return state

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        pending = services.sync_access_approval(acting_user=admin_actor(request), user=form.instance,
                                                request=request)
        if pending is not None:
            self.message_user(request, _(
                "This change grants access that takes effect only once another administrator approves it: "
                "request %(pk)s waits under Access approvals.") % {"pk": pending.pk}, messages.WARNING)

    def _password_set(self, request: HttpRequest, obj: Model) -> None:
        if isinstance(obj, User) and obj.password_was_set:
            services.password_set_by_administrator(acting_user=admin_actor(request), user=obj, request=request)

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._password_set(request, obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._password_set(request, obj)
        return super().log_change(request, obj, message)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        with transaction.atomic():  # the password, its audit rows and the codes it revokes: all or nothing
            return super().user_change_password(request, id, form_url)

    @admin.action(description=_("Ask for a second-factor activation code (another administrator issues it)"))
    def request_activation_codes(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            try:
                change = services.request_activation_code(acting_user=admin_actor(request), user=user,
                                                          request=request)
            except services.ApprovalRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
                continue
            self.message_user(request, _("Activation code for %(user)s asked for: request %(pk)s waits under Access "
                                         "approvals.") % {"user": user, "pk": change.pk}, messages.SUCCESS)


@admin.register(AccessChange)
class AccessChangeAdmin(AuditedModelAdmin):
    """Requests are read here; they are made by saving an account and decided on the Access approvals page."""

    list_display = ("user", "kind", "status", "requested_by_name", "requested_at", "decided_by_name", "decided_at")
    list_filter = ("kind", "status")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


for model in (Group, TOTPDevice, TokenProxy, AccessAttempt, AccessLog, AccessFailureLog):
    admin.site.unregister(model)


@admin.register(Group)
class AuditedGroupAdmin(AuditedModelAdmin, GroupAdmin):
    pass


@admin.register(TOTPDevice)
class AuditedTOTPDeviceAdmin(AuditedModelAdmin, TOTPDeviceAdmin):
    """Second factors are seen and removed here (audited), never added or edited: an authenticator added with a key
    its administrator chose, or moved to another account, would pass that person's second factor. A new one is
    enrolled by its holder with an activation code."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def audit_repr(self, obj: Model) -> str:
        return f"second factor {getattr(obj, 'name', '')!r} of {getattr(obj, 'user', '')}"


@admin.register(TokenProxy)
class AuditedTokenAdmin(AuditedModelAdmin, TokenAdmin):
    """A token's primary key is the secret itself: the audit row names its user instead."""

    def audit_object_id(self, obj: Model) -> str:
        return str(getattr(obj, "user_id", ""))

    def audit_repr(self, obj: Model) -> str:
        return f"API token of {getattr(obj, 'user', '')}"


@admin.register(AccessAttempt)
class AuditedAccessAttemptAdmin(AuditedModelAdmin, AccessAttemptAdmin):
    """Deleting an attempt lifts a lock-out: audited like every deletion (naming whose lock-out), and so is the
    clean-up action."""

    def audit_repr(self, obj: Model) -> str:
        return (f"sign-in failures of {getattr(obj, 'username', '')!r} from {getattr(obj, 'ip_address', '')} "
                f"({getattr(obj, 'failures_since_start', 0)})")

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
