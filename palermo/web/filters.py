"""Filters that several lists share (pages and API alike, through django-filter)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

# The largest integer a database column holds (64 bits): SQLite cannot even compare with a larger one (a 500).
LARGEST_WHOLE_NUMBER = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class WholeNumberFilter(filters.NumberFilter):
    """A whole number (``min_value`` and ``max_value`` say its bounds, in the schema too); at most
    ``LARGEST_WHOLE_NUMBER`` unless a smaller bound is given, so an id beyond any column answers 400 naming it."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_value", LARGEST_WHOLE_NUMBER)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "enum": ["true", "false", ""]})
class YesNoFilter(filters.TypedChoiceFilter):
    """``true`` or ``false``; empty filters nothing. Any other value answers 400 naming the parameter
    (django-filter's ``BooleanFilter`` reads anything it does not know as "no filter")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", (("", _("All")), ("true", _("yes")), ("false", _("no"))))
        kwargs.setdefault("coerce", lambda value: value == "true")
        kwargs.setdefault("empty_value", None)
        super().__init__(*args, **kwargs)
