from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import User
from palermo.audit.admin import AuditedModelAdmin


@admin.register(User)
class PalermoUserAdmin(AuditedModelAdmin, UserAdmin):
    list_display = ("username", "role", "organisation", "is_active", "last_login")
    list_filter = ("role", "is_active", "countries")
    filter_horizontal = ("countries", "groups", "user_permissions")
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        (_("Programme scope"), {"fields": ("role", "countries", "organisation", "preferred_language")}),
    )
