"""The filters of the steering lists, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from palermo.numbers import whole_number
from palermo.steering.models import Decision, SteeringMeeting

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the validators of SteeringMeeting.year


class YearField(forms.CharField):
    """A year a meeting can review (2000-2100, as ``SteeringMeeting.year``), written in ASCII digits; anything
    else answers 400 naming the parameter (the page lists nothing and says why)."""

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        if not text:
            return None
        year = whole_number(text)
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            raise forms.ValidationError(gettext("Give a year from %(first)s to %(last)s.") % {
                "first": FIRST_YEAR, "last": LAST_YEAR}, code="invalid")
        return year


@extend_schema_field({"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR})
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
