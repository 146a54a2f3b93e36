from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.cases import codes
from palermo.cases.choices import choices
from palermo.partners.models import Organisation
from palermo.referral.models import Service, ServiceType, Step


class OpenReferralForm(forms.Form):
    minor = forms.ChoiceField(label=_("Is the person a minor (under 18)?"), widget=forms.RadioSelect,
                              choices=[("yes", _("yes")), ("no", _("no")), ("unknown", _("not known"))])

    def value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data["minor"])


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=Step.choices)
    reason = forms.CharField(label=_("Reason (needed to go back, change a decision or skip a step)"),
                             required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    decided_by = forms.ChoiceField(label=_("Decided by"), choices=[("", "—"), *choices(codes.DecisionMaker)],
                                   required=False)
    service = forms.ModelChoiceField(label=_("Service referred to"), queryset=Service.objects.none(), required=False)

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Service.objects.filter(country_id=country).select_related("organisation")


class ServiceForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.order_by("name"))
    country = forms.ChoiceField(label=_("Country"))
    service_types = forms.MultipleChoiceField(label=_("Services"), choices=ServiceType.choices,
                                              widget=forms.CheckboxSelectMultiple)
    area = forms.CharField(label=_("Area served"), max_length=200)
    languages = forms.CharField(label=_("Languages"), max_length=200)
    contact = forms.CharField(label=_("Contact"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    last_verified = forms.DateField(label=_("Last verified"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args: Any, countries: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["country"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = countries
        self.fields["last_verified"].initial = timezone.localdate()

    def clean_last_verified(self) -> Any:
        value = self.cleaned_data["last_verified"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value
