"""Forms of the results framework, documents and GRETA upload; validation that needs the database runs
in the services, which key their messages by the same field names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.programme import framework_rules as rules
from palermo.programme.documents import CATEGORY_LABELS, LANGUAGES
from palermo.programme.forms import DATE
from palermo.programme.models import Indicator, Period, Result
from palermo.programme.results_services import EDITABLE_RESULT_TYPES, Breakdown

AMOUNT = {"max_digits": 16, "decimal_places": 2, "required": False}
SEX_LABELS = {"female": _("female"), "male": _("male"), "other": _("other")}
AMOUNT_LABELS = {"target": _("target"), "actual": _("actual")}


class ServiceValidatedForm(forms.ModelForm):  # type: ignore[type-arg]
    def _post_clean(self) -> None:
        """Model validation runs in the service, in the transaction that writes."""


class ResultForm(ServiceValidatedForm):
    class Meta:
        model = Result
        fields = ["result_type", "title_en", "title_fr", "description", "aggregation_status", "order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = {*EDITABLE_RESULT_TYPES, self.instance.result_type}
        self.fields["result_type"].choices = [  # type: ignore[attr-defined]
            (k, v) for k, v in Result.Type.choices if k in keep
        ]


class IndicatorForm(ServiceValidatedForm):
    class Meta:
        model = Indicator
        fields = ["title_en", "title_fr", "description", "measure", "unit", "ascending", "baseline_year",
                  "baseline_value", "baseline_comment", "disaggregated_by_sex", "disaggregated_by_age",
                  "means_of_verification", "order"]


class PeriodForm(ServiceValidatedForm):
    """A period with, when the indicator is disaggregated, one target and one actual per sex and age band."""

    class Meta:
        model = Period
        fields = ["period_start", "period_end", "target", "actual", "comment"]
        widgets = {"period_start": DATE, "period_end": DATE}

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        recorded: dict[tuple[str, str], Any] = {}
        if self.instance.pk:
            recorded = {(d.dimension, d.value): d for d in self.instance.disaggregations.all()}
        for dimension in self.dimensions():
            for value in rules.DIMENSIONS[dimension]:
                label = SEX_LABELS.get(value, value)
                for amount in rules.AMOUNTS:
                    name = rules.breakdown_field(dimension, value, amount)
                    self.fields[name] = forms.DecimalField(
                        label=_("%(amount)s, %(value)s") % {"amount": AMOUNT_LABELS[amount], "value": label}
                        if dimension == "sex" else
                        _("%(amount)s, aged %(value)s") % {"amount": AMOUNT_LABELS[amount], "value": label},
                        **AMOUNT,  # type: ignore[arg-type]
                    )
                    if (dimension, value) in recorded:
                        self.initial[name] = getattr(recorded[(dimension, value)], amount)

    def dimensions(self) -> list[str]:
        return [d for d, on in (("sex", self.indicator.disaggregated_by_sex),
                                ("age", self.indicator.disaggregated_by_age)) if on]

    def breakdown(self) -> list[Breakdown]:
        data = self.cleaned_data
        found: list[Breakdown] = []
        for dimension in self.dimensions():
            for value in rules.DIMENSIONS[dimension]:
                target: Decimal | None = data.get(rules.breakdown_field(dimension, value, "target"))
                actual: Decimal | None = data.get(rules.breakdown_field(dimension, value, "actual"))
                if target is not None or actual is not None:
                    found.append(Breakdown(dimension, value, target, actual))
        return found

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in self.Meta.fields} | {"breakdown": self.breakdown()}


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    category = forms.ChoiceField(label=_("Category (IATI)"),
                                 choices=[(code, f"{code} – {label}") for code, label in CATEGORY_LABELS.items()])
    language = forms.ChoiceField(label=_("Language"), choices=list(LANGUAGES.items()), initial="en")
    document_date = forms.DateField(label=_("Document date"), required=False, widget=DATE)
    url = forms.CharField(label=_("Web address"), required=False, max_length=200,
                          help_text=_("Either a web address or a file."))
    upload = forms.FileField(label=_("File"), required=False,
                             help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG."))


class GretaUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file (UTF-8)"))
    check_only = forms.BooleanField(label=_("Check only, import nothing"), required=False)
