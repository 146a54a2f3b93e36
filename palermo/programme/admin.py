"""The programme in the admin: every save of an action, its shares, participants, budget lines and
transactions goes through the services (same rules, same audit rows as the pages); the results
framework and documents are shown read-only here and edited on the action's page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeAlias

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms.formsets import BaseFormSet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from palermo.accounts.access import Actor
from palermo.audit.admin import AuditedModelAdmin, admin_actor
from palermo.programme import services
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

InlineFormSet: TypeAlias = "BaseInlineFormSet[Any, Action, Any]"


def _removed(formset: InlineFormSet, form: forms.ModelForm[Any]) -> bool:
    return formset.can_delete and bool(form.cleaned_data.get("DELETE"))


def _kept(formset: InlineFormSet) -> list[forms.ModelForm[Any]]:
    """The rows of a valid inline that stay after the save (filled in, not marked for removal)."""
    return [form for form in formset.forms if form.cleaned_data and not _removed(formset, form)]


def _add_errors(form: forms.BaseForm, errors: dict[str, list[str]]) -> None:
    """The service's messages, on the fields that have none yet (the model may have said the same)."""
    for field, messages in errors.items():
        if field not in form.errors:
            form.add_error(field if field in form.fields else None, messages)


class SharesFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """Country or objective shares: refused as a whole unless they follow the share rules (sum to 100...)."""

    relation = ""

    def shares(self) -> list[tuple[Any, Any]]:
        raise NotImplementedError

    def content(self) -> services.ActionContent:
        raise NotImplementedError

    def clean(self) -> None:
        super().clean()
        if any(form.errors for form in self.forms):
            return
        if not self.has_changed() and not self.instance._state.adding:
            return  # untouched: left as they are (the service is not asked to replace them)
        if errors := services.validate_shares(self.content()):
            raise ValidationError(errors[self.relation])


class CountrySharesFormSet(SharesFormSet):
    relation = "countries"

    def shares(self) -> list[tuple[Any, Any]]:
        return [(form.cleaned_data["country"].code, form.cleaned_data["percentage"]) for form in _kept(self)]

    def content(self) -> services.ActionContent:
        return services.ActionContent(countries=self.shares())


class ObjectiveSharesFormSet(SharesFormSet):
    relation = "objectives"

    def shares(self) -> list[tuple[Any, Any]]:
        return [(form.cleaned_data["objective"].number, form.cleaned_data["percentage"]) for form in _kept(self)]

    def content(self) -> services.ActionContent:
        return services.ActionContent(objectives=self.shares())


class MoneyFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """Budget lines or transactions, each checked by the service's rules against the action's new dates."""

    def clean(self) -> None:
        super().clean()
        for form in _kept(self):
            if not form.has_changed():
                continue
            data = form.cleaned_data
            if self.model is Budget:
                errors = services.budget_problems(self.instance, period_start=data.get("period_start"),
                                                  period_end=data.get("period_end"), value=data.get("value"))
            else:
                errors = services.transaction_problems(self.instance, date=data.get("date"), value=data.get("value"))
            _add_errors(form, errors)


class CountryInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ActionCountry
    formset = CountrySharesFormSet
    extra = 0


class ObjectiveInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ActionObjective
    formset = ObjectiveSharesFormSet
    extra = 0


class ParticipationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ActionParticipation
    extra = 0


class BudgetInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Budget
    formset = MoneyFormSet
    fields = ("budget_type", "status", "period_start", "period_end", "value", "value_date")
    readonly_fields = ("value_date",)
    extra = 0


class TransactionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Transaction
    formset = MoneyFormSet
    fk_name = "action"
    fields = ("transaction_type", "date", "value", "description", "ref", "provider_organisation",
              "receiver_organisation")
    readonly_fields = ("ref", "provider_organisation", "receiver_organisation")
    extra = 0


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    """Shown for reference; edited on the action's page (uploads are inspected there)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class DocumentInline(ReadOnlyInline):
    model = Document


class ServiceAuditedAdmin(AuditedModelAdmin):
    """An admin whose saves go through services, which write the audit row themselves: the admin keeps
    its own history (LogEntry) without a second audit row."""

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        return admin.ModelAdmin.log_addition(self, request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        return admin.ModelAdmin.log_change(self, request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        return admin.ModelAdmin.log_deletions(self, request, queryset)


@admin.register(Programme)
class ProgrammeAdmin(AuditedModelAdmin):
    list_display = ("iati_identifier", "title_en")


@admin.register(Action)
class ActionAdmin(ServiceAuditedAdmin):
    list_display = ("iati_identifier", "title_en", "channel", "trafficking_form", "status", "is_external")
    list_filter = ("channel", "trafficking_form", "status", "is_external")
    search_fields = ("iati_identifier", "title_en", "title_fr")
    inlines = [CountryInline, ObjectiveInline, ParticipationInline, BudgetInline, TransactionInline, DocumentInline]

    def save_model(self, request: HttpRequest, obj: Action, form: forms.ModelForm[Action], change: bool) -> None:
        """Nothing yet: ``save_related`` saves the action with its inlines through the services."""

    def save_related(self, request: HttpRequest, form: forms.ModelForm[Action], formsets: list[InlineFormSet],
                     change: bool) -> None:
        actor = admin_actor(request)
        data = form.cleaned_data
        by_model = {formset.model: formset for formset in formsets}
        content = services.ActionContent(
            fields={name: data[name] for name in services.SCALAR_FIELDS + services.MANAGED_FIELDS if name in data},
            exploitation_forms=[f.pk for f in data["exploitation_forms"]] if "exploitation_forms" in data else None,
            beneficiaries=[o.pk for o in data["beneficiary_organisations"]]
            if "beneficiary_organisations" in data else None,
            greta=[r.pk for r in data["greta_recommendations"]] if "greta_recommendations" in data else None,
        )
        countries, objectives = by_model.get(ActionCountry), by_model.get(ActionObjective)
        if isinstance(countries, SharesFormSet) and (countries.has_changed() or not change):
            content.countries = countries.shares()
        if isinstance(objectives, SharesFormSet) and (objectives.has_changed() or not change):
            content.objectives = objectives.shares()
        participations = by_model.get(ActionParticipation)
        if participations is not None and (participations.has_changed() or not change):
            content.participations = [
                services.Participation(f.cleaned_data["organisation"].pk, f.cleaned_data["role"],
                                       f.cleaned_data.get("activity_id", ""))
                for f in _kept(participations)]
        saved = services.save_action(acting_user=actor, action=form.instance if change else None, content=content)
        if not change:  # the admin goes on with its own copy: make it the saved action
            form.instance.pk = saved.pk
            form.instance.refresh_from_db()
        if (budgets := by_model.get(Budget)) is not None:
            self._save_money(actor, saved, budgets)
        if (transactions := by_model.get(Transaction)) is not None:
            self._save_money(actor, saved, transactions)

    def construct_change_message(self, request: HttpRequest, form: forms.Form, formsets: Iterable[BaseFormSet[Any]],
                                 add: bool = False) -> list[dict[str, dict[str, list[str]]]]:
        """The admin's history names the action's own fields; the audit rows of the services hold the rest."""
        return super().construct_change_message(request, form, [], add)

    def _save_money(self, actor: Actor, action: Action, formset: InlineFormSet) -> None:
        for form in formset.forms:
            if not form.cleaned_data:
                continue
            instance = form.instance if form.instance.pk else None
            if _removed(formset, form):
                if isinstance(instance, Budget):
                    services.delete_budget(acting_user=actor, budget=instance)
                elif isinstance(instance, Transaction):
                    services.delete_transaction(acting_user=actor, entry=instance)
            elif form.has_changed():
                values = {name: value for name, value in form.cleaned_data.items()
                          if name in ("budget_type", "status", "period_start", "period_end", "value",
                                      "transaction_type", "date", "description")}
                if formset.model is Budget:
                    services.save_budget(acting_user=actor, action=action,
                                         budget=instance if isinstance(instance, Budget) else None, **values)
                else:
                    services.save_transaction(acting_user=actor, action=action,
                                              entry=instance if isinstance(instance, Transaction) else None,
                                              **values)

    def delete_model(self, request: HttpRequest, obj: Action) -> None:
        services.delete_action(acting_user=admin_actor(request), action=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Action]) -> None:
        for action in queryset:
            services.delete_action(acting_user=admin_actor(request), action=action)


def _edited_on_the_action_page(action: Action) -> SafeString:
    return format_html('<a href="{}">{}</a>', reverse("programme:action_detail", args=[action.pk]),
                       _("edit on the action's page"))


class ReadOnlyAdmin(AuditedModelAdmin):
    """Browse and search here; the action's page edits, through the services and their rules."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class PeriodInline(ReadOnlyInline):
    model = Period


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ("title_en", "action", "result_type", "edit")
    list_select_related = ("action",)
    search_fields = ("title_en", "action__iati_identifier")

    @admin.display(description=_("edit"))
    def edit(self, result: Result) -> SafeString:
        return _edited_on_the_action_page(result.action)


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("title_en", "result", "measure", "unit", "edit")
    list_select_related = ("result__action",)
    inlines = [PeriodInline]

    @admin.display(description=_("edit"))
    def edit(self, indicator: Indicator) -> SafeString:
        return _edited_on_the_action_page(indicator.result.action)


@admin.register(GretaRecommendation)
class GretaRecommendationAdmin(AuditedModelAdmin):
    list_display = ("country", "round", "paragraph", "level", "theme", "follow_up", "is_demo")
    list_filter = ("level", "follow_up", "round", "country")
    search_fields = ("text", "paragraph")
