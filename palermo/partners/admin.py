from django.contrib import admin

from palermo.audit.admin import AuditedModelAdmin
from palermo.partners.models import Organisation, Partnership, Person


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ("name", "short_name", "kind", "country")
    list_filter = ("kind", "country__is_programme")
    search_fields = ("name", "short_name", "iati_identifier")


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin):
    list_display = ("name", "organisation", "function")
    search_fields = ("name", "organisation__name")


@admin.register(Partnership)
class PartnershipAdmin(AuditedModelAdmin):
    list_display = ("title", "first_party", "second_party", "kind", "status", "start_date", "end_date")
    list_filter = ("kind", "status")
    search_fields = ("title",)
