"""Filters that several lists share (pages and API alike, through django-filter)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field


@extend_schema_field(OpenApiTypes.INT)
class WholeNumberFilter(filters.NumberFilter):
    """A whole number (``min_value`` and ``max_value`` say its bounds, in the schema too)."""

    field_class = forms.IntegerField


@extend_schema_field({"type": "string", "enum": ["true", "false", ""]})
class YesNoFilter(filters.TypedChoiceFilter):
    """``true`` or ``false``; empty filters nothing. Any other value answers 400 naming the parameter
    (django-filter's ``BooleanFilter`` reads anything it does not know as "no filter")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", (("", _("All")), ("true", _("yes")), ("false", _("no"))))
        kwargs.setdefault("coerce", lambda value: value == "true")
        kwargs.setdefault("empty_value", None)
        super().__init__(*args, **kwargs)
