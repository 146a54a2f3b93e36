from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import User
from palermo.diagnostics.disclosure import DEFAULT_K
from palermo.diagnostics.models import Release
from palermo.diagnostics.releases import MAX_DIMS, RELEASE_DIMS
from palermo.diagnostics.views_support import FIGURE_TITLES
from palermo.reference.models import Country

# What each dimension of a release is called on the form; the release file keeps the column names.
DIMENSION_LABELS = {
    **FIGURE_TITLES,
    "year": _("Year identified"),
    "status": _("Status"),
    "owner_country": _("Country recording the case"),
}


class ReleaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Release.Kind.choices)
    dims = forms.MultipleChoiceField(label=_("dimensions (aggregates)"), required=False,
                                     choices=[(d, DIMENSION_LABELS.get(d, d)) for d in RELEASE_DIMS],
                                     widget=forms.CheckboxSelectMultiple)
    k = forms.IntegerField(label=_("privacy resolution k"), min_value=2, max_value=1000, initial=DEFAULT_K)
    epsilon = forms.FloatField(label=_("epsilon (differential privacy)"), required=False, min_value=0.01,
                               max_value=10.0)
    country = forms.ChoiceField(label=_("owner country"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = user.country_codes()
        countries = Country.objects.all() if codes is None else Country.objects.filter(code__in=codes)
        everyone = _("every country") if codes is None else _("all my countries")
        choices = [("", everyone), *((c.code, c.name) for c in countries)]
        cast("forms.ChoiceField", self.fields["country"]).choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in (Release.Kind.AGGREGATES, Release.Kind.DP_AGGREGATES):
            dims = data.get("dims") or []
            if not dims:
                self.add_error("dims", _("Choose at least one dimension."))
            elif len(dims) > MAX_DIMS:
                self.add_error("dims", _("Choose at most %(n)d dimensions.") % {"n": MAX_DIMS})
        if kind == Release.Kind.DP_AGGREGATES and data.get("epsilon") is None:
            self.add_error("epsilon", _("A differentially private release needs an epsilon."))
        return data
