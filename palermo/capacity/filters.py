"""The filters of the training list, shared by the page and the API (``/api/capacity/trainings/``)."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from palermo.capacity.choices import Mode, Status
from palermo.capacity.models import Training, TrainingQuerySet
from palermo.programme.filters import YearFilter
from palermo.reference.filters import CountryCodeFilter
from palermo.web.filters import WholeNumberFilter


class TrainingFilter(filters.FilterSet):
    q = filters.CharFilter(method="search", max_length=200, label=_("Search"))
    country = CountryCodeFilter(field_name="country_id", label=_("country (ISO code)"))
    year = YearFilter(field_name="end_date__year", label=_("year (of the training's last day)"))
    action = WholeNumberFilter(field_name="action_id", min_value=1, label=_("funding action (id)"))
    status = filters.ChoiceFilter(choices=Status.choices, label=_("status"))
    mode = filters.ChoiceFilter(choices=Mode.choices, label=_("format"))

    class Meta:
        model = Training
        fields = ["q", "country", "year", "action", "status", "mode"]

    def search(self, queryset: TrainingQuerySet, _name: str, text: str) -> TrainingQuerySet:
        text = text.strip()
        if not text:
            return queryset
        return queryset.filter(Q(title_en__icontains=text) | Q(title_fr__icontains=text) | Q(place__icontains=text)
                               | Q(action__iati_identifier__icontains=text))
