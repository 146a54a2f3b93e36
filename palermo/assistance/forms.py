from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.assistance.models import Outcome
from palermo.assistance.services import SupportPlan
from palermo.cases import codes
from palermo.cases.choices import choices
from palermo.cases.models import Case
from palermo.partners.models import Organisation
from palermo.referral.models import Service

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SupportForm(forms.Form):
    support_type = forms.ChoiceField(label=_("Type of support (HTCDS)"), choices=choices(codes.SupportPlanType))
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Organisation.objects.none())
    service = forms.ModelChoiceField(label=_("Service in the directory (optional)"), queryset=Service.objects.none(),
                                     required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    planned_end_date = forms.DateField(label=_("Planned end date"), required=False, widget=DATE)
    objectives = forms.CharField(label=_("Objectives"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    action_plan = forms.CharField(label=_("Action plan"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider = self.fields["provider"]
        service = self.fields["service"]
        assert isinstance(provider, forms.ModelChoiceField) and isinstance(service, forms.ModelChoiceField)
        # The organisations of the case's country and the international ones.
        provider.queryset = Organisation.objects.filter(
            Q(country_id=case.owner_country_id) | Q(country__isnull=True)).order_by("name")
        service.queryset = Service.objects.filter(country_id=case.owner_country_id).select_related("organisation")
        self.fields["start_date"].initial = timezone.localdate()

    def plan(self) -> SupportPlan:
        data = self.cleaned_data
        return SupportPlan(support_type=data["support_type"], provider=data["provider"], service=data["service"],
                           start_date=data["start_date"], planned_end_date=data["planned_end_date"],
                           objectives=data["objectives"], action_plan=data["action_plan"])


class CloseForm(forms.Form):
    actual_end_date = forms.DateField(label=_("End date"), widget=DATE)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    outcome_note = forms.CharField(label=_("About the outcome (optional)"), required=False, max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actual_end_date"].initial = timezone.localdate()
