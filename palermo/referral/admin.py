from django.contrib import admin

from palermo.audit.admin import AuditedModelAdmin
from palermo.referral.models import CountryNrm


@admin.register(CountryNrm)
class CountryNrmAdmin(AuditedModelAdmin):
    list_display = ("country", "time_zone", "reflection_days", "guardian_days", "source")
