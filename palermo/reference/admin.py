"""Admin for reference data: staff with the model permissions edit it, every edit is audited."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from palermo.audit.admin import AuditedModelAdmin
from palermo.reference.models import (
    Country,
    ExploitationForm,
    Indicator,
    IndicatorDimension,
    IndicatorList,
    InstrumentStatus,
    LegalInstrument,
    Objective,
    ThbForm,
)


@admin.register(Country)
class CountryAdmin(AuditedModelAdmin):
    list_display = ("code", "alpha3", "numeric", "name_en", "name_fr", "is_programme", "is_steering", "is_eu_member")
    list_display_links = ("code", "name_en")
    list_filter = ("is_programme", "is_eu_member", "is_steering")
    search_fields = ("code", "alpha3", "numeric", "name_en", "name_fr")
    fieldsets = (
        (None, {"fields": ("code", "alpha3", "numeric", "name_en", "name_fr")}),
        (_("Flags"), {"fields": ("is_programme", "is_steering", "is_eu_member")}),
        (_("Provenance"), {"fields": ("source",)}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Country | None = None) -> tuple[str, ...]:
        # The code is the primary key that cases, users and statistics point at: set it once.
        return ("code",) if obj is not None else ()


@admin.register(Objective)
class ObjectiveAdmin(AuditedModelAdmin):
    list_display = ("number", "code", "name_en", "name_fr")
    list_display_links = ("number", "code")
    search_fields = ("code", "name_en", "name_fr", "description_en", "description_fr")


@admin.register(ThbForm)
class ThbFormAdmin(AuditedModelAdmin):
    list_display = ("code", "name_en", "name_fr")
    search_fields = ("code", "name_en", "name_fr", "description_en", "description_fr")


class InstrumentStatusInline(admin.TabularInline):
    model = InstrumentStatus
    extra = 0
    fields = ("country", "status", "signed_on", "ratified_on", "transposed_on", "note", "source")
    autocomplete_fields = ("country",)
    verbose_name = _("status in a country")
    verbose_name_plural = _("statuses in the programme countries")

    def get_queryset(self, request: HttpRequest) -> QuerySet[InstrumentStatus]:
        return super().get_queryset(request).select_related("country")


@admin.register(LegalInstrument)
class LegalInstrumentAdmin(AuditedModelAdmin):
    list_display = ("code", "short_name", "body", "adopted_on", "in_force_on", "binds_eu_members_only")
    list_filter = ("binds_eu_members_only",)
    search_fields = ("code", "short_name", "name_en", "name_fr", "body")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = (InstrumentStatusInline,)


@admin.register(InstrumentStatus)
class InstrumentStatusAdmin(AuditedModelAdmin):
    list_display = ("instrument", "country", "status", "signed_on", "ratified_on", "transposed_on", "short_note")
    list_display_links = ("instrument", "country")
    list_filter = ("status", "instrument", ("country", admin.RelatedOnlyFieldListFilter))  # only countries with a row
    list_select_related = ("instrument", "country")
    search_fields = (
        "instrument__code", "instrument__short_name", "country__code", "country__name_en", "note", "source",
    )
    autocomplete_fields = ("country",)
    fields = ("instrument", "country", "status", "signed_on", "ratified_on", "transposed_on", "note", "source")

    @admin.display(description=_("note"))
    def short_note(self, obj: InstrumentStatus) -> str:
        return obj.note if len(obj.note) <= 80 else obj.note[:79] + "…"


@admin.register(ExploitationForm)
class ExploitationFormAdmin(AuditedModelAdmin):
    list_display = (
        "order", "code", "name_en", "instrument", "article", "htcds_code", "ctdc2017_code", "ctdc2024_code",
        "glotip_category", "version",
    )
    list_display_links = ("order", "code")
    list_filter = ("instrument", "glotip_category", "version")
    list_select_related = ("instrument",)
    search_fields = ("code", "name_en", "name_fr", "htcds_code", "ctdc2017_code", "ctdc2024_code")


@admin.register(IndicatorDimension)
class IndicatorDimensionAdmin(AuditedModelAdmin):
    list_display = ("order", "code", "name_en", "name_fr", "stage")
    list_display_links = ("order", "code")
    list_filter = ("stage",)
    search_fields = ("code", "name_en", "name_fr")


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("dimension", "code", "strength", "text_en", "text_fr")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Indicator]:
        return super().get_queryset(request).select_related("dimension")


@admin.register(IndicatorList)
class IndicatorListAdmin(AuditedModelAdmin):
    list_display = ("code", "version", "name_en", "population", "exploitation", "verified", "indicator_count")
    list_filter = ("population", "exploitation", "verified", "version")
    search_fields = ("code", "name_en", "name_fr", "source")
    inlines = (IndicatorInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[IndicatorList]:
        return super().get_queryset(request).annotate(indicator_total=Count("indicators"))

    @admin.display(description=_("indicators"), ordering="indicator_total")
    def indicator_count(self, obj: IndicatorList) -> int:
        return obj.indicator_total  # type: ignore[attr-defined]


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    list_display = ("code", "indicator_list", "dimension", "strength", "text_en")
    list_filter = ("indicator_list", "dimension", "strength")
    list_select_related = ("indicator_list", "dimension")
    search_fields = ("code", "text_en", "text_fr")
