"""The audit search: one FilterSet for the page (the log has no API)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from palermo.audit.models import AuditEvent


class AuditSearchForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class CountryCodeFilter(filters.CharFilter):
    field_class = forms.RegexField


class AuditEventFilter(filters.FilterSet):
    user = filters.CharFilter(field_name="actor_username", lookup_expr="icontains", label=_("User name"),
                              max_length=150)
    action = filters.ChoiceFilter(choices=AuditEvent.Action.choices, empty_label=_("All actions"), label=_("Action"))
    object_type = filters.CharFilter(field_name="object_type", label=_("Object type"), max_length=100)
    country = CountryCodeFilter(method="in_country", label=_("Country"), regex=r"^[A-Za-z]{2}$",
                                error_messages={"invalid": _("Give a two-letter ISO country code.")})
    date_from = filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("From"),
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("To"),
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    class Meta:
        model = AuditEvent
        fields: list[str] = []
        form = AuditSearchForm

    def in_country(self, queryset: QuerySet[AuditEvent], name: str, value: str) -> QuerySet[AuditEvent]:
        return queryset.filter(country=value.upper())
