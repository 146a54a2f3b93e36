"""Edit forms of the portfolio; shares are typed as ``RO=60, MD=40`` and checked to sum to 100."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.numbers import whole_number
from palermo.partners.models import Organisation
from palermo.programme import codes
from palermo.programme.models import Action, Budget, GretaRecommendation, TargetGroup, Transaction
from palermo.programme.services import ActionContent, validate_shares
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
                  "status", "planned_start", "planned_end", "actual_start", "actual_end"]
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
                "implementers": list(action.participations.filter(role=4).values_list("organisation_id", flat=True)),
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
        participations = None
        if existing is not None:
            participations = [(p.organisation_id, p.role) for p in existing.participations.exclude(role=4)]
        else:
            participations = []
        participations += [(o.pk, 4) for o in data["implementers"]]
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
        fields = ["transaction_type", "date", "value", "description"]
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
