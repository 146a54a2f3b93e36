"""The filters of the steering lists, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from palermo.numbers import whole_number
from palermo.steering.models import Decision, SteeringMeeting


class YearField(forms.CharField):
    """A year written in ASCII digits. Anything else filters nothing, as the decisions API always did
    (kept so that its answers do not change; a 400 naming the field would be the house rule)."""

    def clean(self, value: Any) -> int | None:
        return whole_number(super().clean(value))


class YearFilter(filters.Filter):
    field_class = YearField


class MeetingFilter(filters.FilterSet):
    year = YearFilter(field_name="year", label=_("year reviewed"))
    status = filters.ChoiceFilter(choices=SteeringMeeting.Status.choices, label=_("status"))

    class Meta:
        model = SteeringMeeting
        fields: list[str] = []


class DecisionFilter(filters.FilterSet):
    year = YearFilter(field_name="meeting__year", label=_("year reviewed by the meeting"))

    class Meta:
        model = Decision
        fields: list[str] = []
