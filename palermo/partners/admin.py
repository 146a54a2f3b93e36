from django.contrib import admin

from palermo.audit.admin import AuditedModelAdmin
from palermo.partners.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ("name", "short_name", "kind", "country")
    list_filter = ("kind", "country__is_programme")
    search_fields = ("name", "short_name", "iati_identifier")
