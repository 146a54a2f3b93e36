from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from palermo.awareness.choices import Channel, Language, Population
from palermo.awareness.models import Campaign
from palermo.reference.filters import CountryCodeFilter
from palermo.web.filters import WholeNumberFilter


class CampaignFilter(django_filters.FilterSet):
    country = CountryCodeFilter(method="in_country", label=_("country (ISO code)"))
    year = WholeNumberFilter(method="running_in", min_value=2000, max_value=2100, label=_("running in year"))
    action = WholeNumberFilter(field_name="action_id", min_value=1, max_value=2**31 - 1,
                               label=_("funding action (id)"))
    population = django_filters.ChoiceFilter(choices=Population.choices, method="json_holds",
                                             label=_("target population"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, method="json_holds", label=_("channel"))
    language = django_filters.ChoiceFilter(choices=Language.choices, method="json_holds", label=_("language"))
    q = django_filters.CharFilter(method="search", max_length=100, label=_("title or objective contains"))

    class Meta:
        model = Campaign
        fields = ["country", "year", "action", "population", "channel", "language", "q"]

    def in_country(self, queryset: QuerySet[Campaign], name: str, value: str) -> QuerySet[Campaign]:
        return queryset.filter(pk__in=Campaign.countries.through.objects.filter(country_id=value).values(
            "campaign_id"))

    def running_in(self, queryset: QuerySet[Campaign], name: str, value: int) -> QuerySet[Campaign]:
        return queryset.filter(start__year__lte=value, end__year__gte=value)

    def json_holds(self, queryset: QuerySet[Campaign], name: str, value: str) -> QuerySet[Campaign]:
        field = {"population": "populations", "channel": "channels", "language": "languages"}[name]
        return queryset.filter(**{f"{field}__icontains": f'"{value}"'})

    def search(self, queryset: QuerySet[Campaign], name: str, value: str) -> QuerySet[Campaign]:
        return queryset.filter(Q(title__icontains=value) | Q(objective__icontains=value)) if value else queryset
