from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from palermo.linkage.models import Candidate, Verdict
from palermo.web.filters import YesNoFilter


class CandidateFilter(django_filters.FilterSet):
    verdict = django_filters.ChoiceFilter(choices=Verdict.choices, label=_("verdict"))
    open = YesNoFilter(method="is_open", label=_("waiting for a verdict"))

    class Meta:
        model = Candidate
        fields = ["verdict", "open"]

    def is_open(self, queryset: QuerySet[Candidate], name: str, value: bool) -> QuerySet[Candidate]:
        return queryset.filter(verdict="") if value else queryset.exclude(verdict="")
