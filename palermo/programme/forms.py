"""Edit forms of the programme: actions (shares typed as ``RO=60, MD=40`` and checked to sum to 100), money,
the results framework, documents and the GRETA upload. Validation that needs the database runs in the
services, which key their messages by the same field names."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from palermo.numbers import whole_number
from palermo.partners.models import Organisation
from palermo.programme import codes, feeds
from palermo.programme import framework_rules as rules
from palermo.programme.choices import DOCUMENT_CATEGORY_LABELS, DOCUMENT_LANGUAGES, SEX_LABELS
from palermo.programme.models import (
    Action,
    Budget,
    GretaRecommendation,
    Indicator,
    Period,
    Result,
    TargetGroup,
    Transaction,
)
from palermo.programme.services.actions import IMPLEMENTING, ActionContent, Participation, validate_shares
from palermo.programme.services.results import EDITABLE_RESULT_TYPES, Breakdown
from palermo.reference.models import Country, ExploitationForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def parse_shares(text: str, label: str) -> list[tuple[str, Decimal]]:
    shares: list[tuple[str, Decimal]] = []
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        key, sep, value = part.partition("=")
        if not sep:
            raise forms.ValidationError(_("%(label)s: write each share as CODE=PERCENT, got '%(part)s'.")
                                        % {"label": label, "part": part})
        try:
            shares.append((key.strip().upper(), Decimal(value.strip())))
        except InvalidOperation:
            raise forms.ValidationError(_("%(label)s: '%(value)s' is not a number.")
                                        % {"label": label, "value": value.strip()}) from None
    return shares


class ActionForm(forms.ModelForm):  # type: ignore[type-arg]
    countries = forms.CharField(label=_("Countries and shares"), help_text=_("For example: RO=60, MD=40"))
    objectives = forms.CharField(label=_("Objectives and shares"), help_text=_("For example: 2=50, 3=50"))
    sectors = forms.CharField(label=_("DAC sectors and shares"), required=False,
                              help_text=_("For example: 15190=60, 15180=40"))
    target_groups = forms.MultipleChoiceField(label=_("Target groups"), choices=TargetGroup.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    exploitation_forms = forms.ModelMultipleChoiceField(
        label=_("Forms of exploitation"), queryset=ExploitationForm.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    implementers = forms.ModelMultipleChoiceField(
        label=_("Implementing organisations"), queryset=Organisation.objects.all(), required=False
    )
    beneficiaries = forms.ModelMultipleChoiceField(
        label=_("Beneficiary institutions"), queryset=Organisation.objects.all(), required=False
    )
    greta = forms.ModelMultipleChoiceField(
        label=_("GRETA recommendations answered"), queryset=GretaRecommendation.objects.all(), required=False
    )

    class Meta:
        model = Action
        fields = ["iati_identifier", "title_en", "title_fr", "description_en", "description_fr", "channel",
                  "trafficking_form", "status", "planned_start", "planned_end", "actual_start", "actual_end"]
        widgets = {name: DATE for name in ("planned_start", "planned_end", "actual_start", "actual_end")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.instance
        if action.pk:
            self.initial.update({
                "countries": ", ".join(f"{s.country_id}={s.percentage.normalize():f}"
                                       for s in action.country_shares.all()),
                "objectives": ", ".join(f"{s.objective.number}={s.percentage.normalize():f}"
                                        for s in action.objective_shares.select_related("objective")),
                "sectors": ", ".join(f"{s.code}={s.percentage.normalize():f}" if s.percentage else s.code
                                     for s in action.sectors.filter(vocabulary="1")),
                "target_groups": list(action.target_groups.values_list("group", flat=True)),
                "exploitation_forms": list(action.exploitation_forms.values_list("pk", flat=True)),
                "implementers": list(action.participations.filter(role=IMPLEMENTING)
                                     .values_list("organisation_id", flat=True)),
                "beneficiaries": list(action.beneficiary_organisations.values_list("pk", flat=True)),
                "greta": list(action.greta_recommendations.values_list("pk", flat=True)),
            })

    def clean_countries(self) -> list[tuple[str, Decimal]]:
        shares = parse_shares(self.cleaned_data["countries"], str(_("Countries")))
        known = set(Country.objects.values_list("code", flat=True))
        unknown = [code for code, _share in shares if code not in known]
        if unknown:
            raise forms.ValidationError(_("Unknown country code: %(codes)s.") % {"codes": ", ".join(unknown)})
        return shares

    def clean_objectives(self) -> list[tuple[int, Decimal]]:
        shares = parse_shares(self.cleaned_data["objectives"], str(_("Objectives")))
        numbers = [(whole_number(code), share) for code, share in shares]
        if any(number is None for number, _share in numbers):
            raise forms.ValidationError(_("Objectives are numbered 1 to 4."))
        return [(int(number or 0), share) for number, share in numbers]

    def clean_sectors(self) -> list[tuple[str, Decimal | None]]:
        text = self.cleaned_data["sectors"]
        if "=" not in text:
            found: list[tuple[str, Decimal | None]] = [(c.strip(), None) for c in text.split(",") if c.strip()]
        else:
            found = list(parse_shares(text, str(_("Sectors"))))
        unknown = [code for code, _share in found if code not in codes.DAC_SECTORS]
        if unknown:
            raise forms.ValidationError(_("Not a DAC purpose code of the programme: %(codes)s.")
                                        % {"codes": ", ".join(unknown)})
        if len(found) == 1:
            found = [(found[0][0], None)]
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shares = ActionContent(countries=data.get("countries"), objectives=data.get("objectives"))
        for field, problems in validate_shares(shares).items():
            for problem in problems:
                self.add_error(field, problem)
        return data

    def content(self, existing: Action | None) -> ActionContent:
        data = self.cleaned_data
        participations = [Participation(p.organisation_id, p.role)
                          for p in (existing.participations.exclude(role=IMPLEMENTING) if existing else [])]
        participations += [Participation(o.pk, IMPLEMENTING) for o in data["implementers"]]
        return ActionContent(
            fields={name: data[name] for name in self.Meta.fields},
            countries=data["countries"], objectives=data["objectives"], sectors=data["sectors"],
            target_groups=list(data["target_groups"]), exploitation_forms=[f.pk for f in data["exploitation_forms"]],
            beneficiaries=[o.pk for o in data["beneficiaries"]], greta=[r.pk for r in data["greta"]],
            participations=participations,
        )

    def _post_clean(self) -> None:
        """Model validation runs in the service, with the shares, in one transaction."""


class TransactionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Transaction
        fields = ["transaction_type", "date", "value", "description", "provider_organisation",
                  "receiver_organisation"]
        widgets = {"date": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["transaction_type"].choices = [  # type: ignore[attr-defined]
            (k, v) for k, v in self.fields["transaction_type"].choices  # type: ignore[attr-defined]
            if k in (2, 3, 4, self.instance.transaction_type)
        ]

    def _post_clean(self) -> None:
        pass


class BudgetForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Budget
        fields = ["period_start", "period_end", "value", "status"]
        widgets = {"period_start": DATE, "period_end": DATE}

    def _post_clean(self) -> None:
        pass


AMOUNT = {"max_digits": 16, "decimal_places": 2, "required": False}
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
                  "means_of_verification", "measured_by", "order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Typed by hand"))] + [(f.key, f.label) for f in feeds.all_feeds()]
        if self.instance.measured_by and not feeds.feed(self.instance.measured_by):
            choices.append((self.instance.measured_by, self.instance.measured_by))
        self.fields["measured_by"] = forms.ChoiceField(
            label=_("Actual values"), choices=choices, required=False,
            help_text=_("Measured from the platform's records, the periods' actual values are computed, not typed."))


class PeriodForm(ServiceValidatedForm):
    """A period with, when the indicator is disaggregated, one target and one actual per sex and age band."""

    class Meta:
        model = Period
        fields = ["period_start", "period_end", "target", "actual", "comment"]
        widgets = {"period_start": DATE, "period_end": DATE}

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if indicator.measured_by:
            self.fields["actual"].disabled = True
            self.fields["actual"].help_text = _("Computed from: %(source)s.") % {
                "source": indicator.measured_by_label}
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
                    if amount == "actual" and indicator.measured_by:
                        self.fields[name].disabled = True

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
    category = forms.ChoiceField(label=_("Category (IATI)"), choices=[
        (code, format_lazy("{} – {}", code, label)) for code, label in DOCUMENT_CATEGORY_LABELS.items()])
    language = forms.ChoiceField(label=_("Language"), choices=list(DOCUMENT_LANGUAGES.items()), initial="en")
    document_date = forms.DateField(label=_("Document date"), required=False, widget=DATE)
    url = forms.CharField(label=_("Web address"), required=False, max_length=200,
                          help_text=_("Either a web address or a file."))
    upload = forms.FileField(label=_("File"), required=False,
                             help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG."))


class GretaUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file (UTF-8)"))
    check_only = forms.BooleanField(label=_("Check only, import nothing"), required=False)
