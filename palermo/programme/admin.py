from django.contrib import admin

from palermo.audit.admin import AuditedModelAdmin
from palermo.programme.models import (
    Action,
    ActionCountry,
    ActionObjective,
    ActionParticipation,
    Budget,
    Document,
    GretaRecommendation,
    Indicator,
    Period,
    Programme,
    Result,
    Transaction,
)


class CountryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ActionCountry
    extra = 0


class ObjectiveInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ActionObjective
    extra = 0


class ParticipationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ActionParticipation
    extra = 0


class BudgetInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Budget
    extra = 0


class TransactionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Transaction
    extra = 0
    fk_name = "action"


class DocumentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Document
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(AuditedModelAdmin):
    list_display = ("iati_identifier", "title_en")


@admin.register(Action)
class ActionAdmin(AuditedModelAdmin):
    list_display = ("iati_identifier", "title_en", "channel", "status", "is_external")
    list_filter = ("channel", "status", "is_external")
    search_fields = ("iati_identifier", "title_en", "title_fr")
    inlines = [CountryInline, ObjectiveInline, ParticipationInline, BudgetInline, TransactionInline, DocumentInline]


class PeriodInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Period
    extra = 0


@admin.register(Result)
class ResultAdmin(AuditedModelAdmin):
    list_display = ("title_en", "action", "result_type")
    search_fields = ("title_en", "action__iati_identifier")


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    list_display = ("title_en", "result", "measure", "unit")
    inlines = [PeriodInline]


@admin.register(GretaRecommendation)
class GretaRecommendationAdmin(AuditedModelAdmin):
    list_display = ("country", "round", "paragraph", "level", "theme", "follow_up", "is_demo")
    list_filter = ("level", "follow_up", "round", "country")
    search_fields = ("text", "paragraph")
