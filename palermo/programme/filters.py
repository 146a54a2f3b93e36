"""The filters of every programme list, one FilterSet each, shared by the page and its API endpoint.

A value the list cannot use (an unknown country, a year outside 2000-2100, a status that does not
exist) is refused with a message naming the parameter, by the page and the API alike, rather than
silently ignored.
"""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field

from palermo.programme.models import (
    Action,
    ActionCountry,
    ActionObjective,
    ActionQuerySet,
    ActivityStatus,
    Channel,
    GretaRecommendation,
    GretaRecommendationQuerySet,
    TraffickingForm,
)
from palermo.programme.portfolio import PORTFOLIO_YEARS, portfolio_year, running_in
from palermo.reference.filters import CountryChoiceFilter
from palermo.reference.loading import read
from palermo.reference.models import Country, Objective


def forms_matching(form: str) -> list[str]:
    """The action forms that address ``form``: itself, and "both" for either of the two forms."""
    return [form] if form == TraffickingForm.BOTH else [form, TraffickingForm.BOTH.value]


def year_message() -> str:
    first, last = PORTFOLIO_YEARS
    return _("Give a year from %(first)s to %(last)s.") % {"first": first, "last": last}


class YearField(forms.Field):
    """A year the portfolio can hold (``portfolio.PORTFOLIO_YEARS``), written in ASCII digits."""

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        year = portfolio_year(text)
        if year is None:
            raise ValidationError(year_message(), code="invalid")
        return year


YEAR_SCHEMA = {"type": "integer", "minimum": PORTFOLIO_YEARS[0], "maximum": PORTFOLIO_YEARS[1]}


@extend_schema_field(YEAR_SCHEMA)
class YearFilter(filters.Filter):
    field_class = YearField


class CountryFilter(CountryChoiceFilter):
    """A country by its ISO alpha-2 code."""


@extend_schema_field({"type": "integer", "enum": [row["number"] for row in read("objectives.json")]})
class ObjectiveFilter(filters.ModelChoiceFilter):
    """An objective of the programme by its number (the reference data's four)."""


class WholeNumberFilter(filters.NumberFilter):
    field_class = forms.IntegerField


def _running(queryset: ActionQuerySet, _name: str, year: int) -> ActionQuerySet:
    """The actions whose dates meet the year: the matrix's own rule, so that lists and matrix agree."""
    return running_in(queryset, year)


@extend_schema_field({"type": "string", "enum": ["", "active", *(str(value) for value in ActivityStatus.values)]})
class ActionStatusFilter(filters.ChoiceFilter):
    """An IATI activity status (1 to 6) or ``active`` (under way): text in the schema, as the query carries it."""


class ActionFilter(filters.FilterSet):
    """``/programme/actions/`` and ``/api/programme/actions/``."""

    ORIGINS = (("all", gettext_lazy("all")), ("programme", gettext_lazy("this programme")),
               ("external", gettext_lazy("other donors")))

    q = filters.CharFilter(method="search", label=gettext_lazy("Search"))
    country = CountryFilter(queryset=Country.objects.all(), method="in_country", label=gettext_lazy("Country"))
    objective = ObjectiveFilter(queryset=Objective.objects.all(), to_field_name="number", method="serving",
                                label=gettext_lazy("Objective"))
    UNDER_WAY = "active"

    channel = filters.ChoiceFilter(choices=Channel.choices, label=gettext_lazy("Channel"))
    trafficking_form = filters.ChoiceFilter(choices=TraffickingForm.choices, method="addressing",
                                label=gettext_lazy("Form of trafficking"))
    status = ActionStatusFilter(
        choices=[(UNDER_WAY, gettext_lazy("under way (implementation or finalisation)")), *ActivityStatus.choices],
        method="with_status", label=gettext_lazy("Status"))
    year = YearFilter(method="running", label=gettext_lazy("Running in year"))
    origin = filters.ChoiceFilter(choices=ORIGINS, method="from_origin", label=gettext_lazy("Origin"))

    class Meta:
        model = Action
        fields: list[str] = []

    def search(self, queryset: ActionQuerySet, _name: str, text: str) -> ActionQuerySet:
        return queryset.filter(Q(title_en__icontains=text) | Q(title_fr__icontains=text)
                               | Q(iati_identifier__icontains=text) | Q(description_en__icontains=text)
                               | Q(description_fr__icontains=text))

    def in_country(self, queryset: ActionQuerySet, _name: str, country: Country) -> ActionQuerySet:
        return queryset.filter(Exists(ActionCountry.objects.filter(action=OuterRef("pk"), country_id=country.code)))

    def serving(self, queryset: ActionQuerySet, _name: str, objective: Objective) -> ActionQuerySet:
        return queryset.filter(Exists(ActionObjective.objects.filter(action=OuterRef("pk"), objective=objective)))

    def running(self, queryset: ActionQuerySet, name: str, year: int) -> ActionQuerySet:
        return _running(queryset, name, year)
    def addressing(self, queryset: ActionQuerySet, _name: str, form: str) -> ActionQuerySet:
        """The actions addressing ``form``: those of that form and those addressing both."""
        return queryset.filter(trafficking_form__in=forms_matching(form))

    def with_status(self, queryset: ActionQuerySet, _name: str, status: str) -> ActionQuerySet:
        """One IATI status, or ``active``: the actions under way, as the home page counts them."""
        return queryset.active() if status == self.UNDER_WAY else queryset.filter(status=int(status))

    def from_origin(self, queryset: ActionQuerySet, _name: str, origin: str) -> ActionQuerySet:
        if origin == "all":
            return queryset
        return queryset.filter(is_external=origin == "external")


class GretaRecommendationFilter(filters.FilterSet):
    """``/programme/greta/`` and ``/api/programme/greta-recommendations/``."""

    q = filters.CharFilter(method="search", label=gettext_lazy("Search"))
    country = CountryChoiceFilter(label=gettext_lazy("Country"))
    round = WholeNumberFilter(min_value=1, max_value=9, label=gettext_lazy("Round"))
    level = filters.ChoiceFilter(choices=GretaRecommendation.Level.choices, label=gettext_lazy("Level"))
    follow_up = filters.ChoiceFilter(choices=GretaRecommendation.FollowUp.choices,
                                     label=gettext_lazy("Follow-up"))
    theme = filters.ChoiceFilter(choices=GretaRecommendation.Theme.choices, label=gettext_lazy("Theme"))
    answered = filters.ChoiceFilter(choices=(("yes", gettext_lazy("yes")), ("no", gettext_lazy("no"))),
                                    method="answered_by_action", label=gettext_lazy("Answered by an action"))

    class Meta:
        model = GretaRecommendation
        fields: list[str] = []

    def search(self, queryset: GretaRecommendationQuerySet, _name: str,
               text: str) -> GretaRecommendationQuerySet:
        return queryset.filter(Q(text__icontains=text) | Q(paragraph=text) | Q(articles__icontains=text))

    def answered_by_action(self, queryset: GretaRecommendationQuerySet, _name: str,
                           answered: str) -> GretaRecommendationQuerySet:
        return queryset.answered(answered == "yes")


class MatrixFilter(filters.FilterSet):
    """``/programme/complementarity/`` and ``/api/programme/matrix/``: which actions and money count.

    The matrix reads the cleaned values (``matrix_parameters``) and filters in SQL itself."""

    year = YearFilter(method="running", label=gettext_lazy("Year"))
    status = filters.MultipleChoiceFilter(choices=ActivityStatus.choices, label=gettext_lazy("Status"))
    trafficking_form = filters.ChoiceFilter(choices=TraffickingForm.choices, method="addressing",
                                            label=gettext_lazy("Form of trafficking"))

    class Meta:
        model = Action
        fields: list[str] = []

    def running(self, queryset: ActionQuerySet, name: str, year: int) -> ActionQuerySet:
        return _running(queryset, name, year)

    def addressing(self, queryset: ActionQuerySet, _name: str, form: str) -> ActionQuerySet:
        return queryset.filter(trafficking_form__in=forms_matching(form))

    def matrix_actions(self, actions: ActionQuerySet) -> ActionQuerySet:
        """``actions`` narrowed to the form of trafficking asked for (all when none); call once valid."""
        form = self.form.cleaned_data.get("trafficking_form")
        return actions.filter(trafficking_form__in=forms_matching(form)) if form else actions

    def matrix_parameters(self) -> tuple[int | None, list[int] | None]:
        """The year and the statuses asked for (None: every year, every status); call once valid."""
        data = self.form.cleaned_data
        statuses = sorted({int(s) for s in data.get("status") or ()})
        return data.get("year"), statuses or None


class GapFilter(filters.FilterSet):
    """``/programme/complementarity/gaps/``: the year the gaps are looked for in (this year by default) and the
    country they are shown for (every programme country when not given). The page reads the cleaned values."""

    year = YearFilter(method="running", label=gettext_lazy("Year"))
    country = CountryFilter(queryset=Country.objects.programme(), method="keep", label=gettext_lazy("Country"))

    class Meta:
        model = Action
        fields: list[str] = []

    def running(self, queryset: ActionQuerySet, name: str, year: int) -> ActionQuerySet:
        return _running(queryset, name, year)

    def keep(self, queryset: ActionQuerySet, _name: str, _value: Any) -> ActionQuerySet:
        return queryset
