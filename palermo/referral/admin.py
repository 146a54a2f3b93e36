from django.contrib import admin

from palermo.referral.models import CountryNrm


@admin.register(CountryNrm)
class CountryNrmAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("country", "time_zone", "reflection_days", "guardian_days", "source")
