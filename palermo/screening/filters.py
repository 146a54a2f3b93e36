from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from palermo.reference.filters import CountryCodeFilter
from palermo.screening.models import Screening
from palermo.web.filters import YesNoFilter


class ScreeningFilter(django_filters.FilterSet):
    country = CountryCodeFilter(field_name="country_id", label=_("country (ISO code)"))
    possible_victim = YesNoFilter(label=_("possible victim"))
    list = django_filters.CharFilter(field_name="indicator_list__code", label=_("indicator list"))

    class Meta:
        model = Screening
        fields = ["country", "possible_victim", "list"]
