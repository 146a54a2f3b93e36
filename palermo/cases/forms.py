from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.cases import codes
from palermo.cases.choices import choices
from palermo.cases.models import Case
from palermo.cases.services import LAYOUTS, Route
from palermo.reference.models import Country, ExploitationForm

if TYPE_CHECKING:
    from palermo.accounts.models import User

CASE_FIELDS = [
    "salutation", "first_name", "middle_name", "second_name", "birth_date", "identity_number", "email",
    "mobile_phone", "home_phone", "mailing_street", "mailing_city", "mailing_state", "mailing_postal_code",
    "mailing_country", "gender", "citizenship", "marital_status", "highest_education", "age_when_trafficked",
    "identification_date", "trafficking_status", "status_decided_by", "status_decided_on", "recruiter_relation",
    "other_exploitation", "forced_labour_industry", "consent", "case_status", "thb_form_override",
    "thb_form_override_reason",
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseForm(forms.ModelForm):
    owner_country = forms.ModelChoiceField(Country.objects.none(), label=_("Owning country"))
    forms_ = forms.ModelMultipleChoiceField(ExploitationForm.objects.all(), required=False,
                                            widget=forms.CheckboxSelectMultiple, label=_("Forms of exploitation"))
    recruitment_methods = forms.MultipleChoiceField(choices=choices(codes.RecruitmentMethod), required=False,
                                                    widget=forms.CheckboxSelectMultiple,
                                                    label=_("Methods of recruitment"))
    means_of_control = forms.MultipleChoiceField(choices=choices(codes.MeansOfControl), required=False,
                                                 widget=forms.CheckboxSelectMultiple, label=_("Means of control"))
    sex_exploitation_types = forms.MultipleChoiceField(choices=choices(codes.SexExploitationType), required=False,
                                                       widget=forms.CheckboxSelectMultiple,
                                                       label=_("Types of sexual exploitation"))
    recruitment_country = forms.ModelChoiceField(Country.objects.all(), required=False,
                                                 label=_("Country of recruitment"))
    recruitment_place = forms.CharField(max_length=200, required=False, label=_("Place of recruitment"))
    recruitment_date = forms.DateField(required=False, widget=DATE, label=_("Date of recruitment"))
    transit_countries = forms.CharField(
        max_length=200, required=False, label=_("Transit countries"),
        help_text=_("ISO alpha-2 codes in the order of the route, separated by commas, e.g. MK, RS, HR"))
    exploitation_country = forms.ModelChoiceField(Country.objects.all(), required=False,
                                                  label=_("Country of exploitation"))
    exploitation_place = forms.CharField(max_length=200, required=False, label=_("Place of exploitation"))
    exploitation_date = forms.DateField(required=False, widget=DATE, label=_("Start of exploitation"))

    class Meta:
        model = Case
        fields = CASE_FIELDS
        widgets = {"identification_date": DATE, "status_decided_on": DATE}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes_ = user.country_codes()
        countries = Country.objects.all() if codes_ is None else Country.objects.filter(code__in=codes_)
        cast("forms.ModelChoiceField", self.fields["owner_country"]).queryset = countries
        if self.instance.pk:
            route = Route.of(self.instance)
            self.initial.update({
                "owner_country": self.instance.owner_country_id, "forms_": self.instance.form_codes(),
                "recruitment_methods": self.instance.recruitment_methods,
                "means_of_control": self.instance.means_of_control,
                "sex_exploitation_types": self.instance.sex_exploitation_types,
                "recruitment_country": route.recruitment_country or None, "recruitment_place": route.recruitment_place,
                "recruitment_date": route.recruitment_date, "transit_countries": ", ".join(route.transit_countries),
                "exploitation_country": route.exploitation_country or None,
                "exploitation_place": route.exploitation_place, "exploitation_date": route.exploitation_date,
            })
        elif len(countries) == 1:
            self.initial["owner_country"] = countries[0].pk

    def clean_transit_countries(self) -> list[str]:
        text = self.cleaned_data.get("transit_countries") or ""
        found = [part.strip().upper() for part in text.replace(";", ",").split(",") if part.strip()]
        known = set(Country.objects.filter(code__in=found).values_list("code", flat=True))
        unknown = [code for code in found if code not in known]
        if unknown:
            raise forms.ValidationError(_("Unknown country codes: %(codes)s."), params={"codes": ", ".join(unknown)})
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        for name in ("birth_date", "identification_date", "status_decided_on", "recruitment_date",
                     "exploitation_date"):
            if data.get(name) and data[name] > today:
                self.add_error(name, _("This date is in the future."))
        if data.get("birth_date") and data.get("identification_date") and data["birth_date"] > data[
                "identification_date"]:
            self.add_error("birth_date", _("The birth date is after the date of identification."))
        if data.get("thb_form_override") and not (data.get("thb_form_override_reason") or "").strip():
            self.add_error("thb_form_override_reason", _("Say why the rule's form of trafficking is overridden."))
        if data.get("trafficking_status") != codes.TraffickingStatus.POSSIBLE and not data.get("status_decided_by"):
            self.add_error("status_decided_by", _("Say who decided this status."))
        return data

    def route(self) -> Route:
        data = self.cleaned_data
        return Route(
            recruitment_country=data["recruitment_country"].pk if data.get("recruitment_country") else "",
            recruitment_place=data.get("recruitment_place") or "", recruitment_date=data.get("recruitment_date"),
            transit_countries=data.get("transit_countries") or [],
            exploitation_country=data["exploitation_country"].pk if data.get("exploitation_country") else "",
            exploitation_place=data.get("exploitation_place") or "", exploitation_date=data.get("exploitation_date"),
        )

    def fill(self, case: Case) -> Case:
        """Copy the fields the form holds outside the model's own onto the case."""
        data = self.cleaned_data
        case.owner_country = data["owner_country"]
        case.recruitment_methods = list(data.get("recruitment_methods") or [])
        case.means_of_control = list(data.get("means_of_control") or [])
        case.sex_exploitation_types = list(data.get("sex_exploitation_types") or [])
        return case


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    layout = forms.ChoiceField(choices=[(name, name.upper()) for name in LAYOUTS], label=_("Format"))
    source = forms.CharField(max_length=100, label=_("Source name"),
                             help_text=_("Importing the same source again updates its records."))
    owner_country = forms.ModelChoiceField(Country.objects.none(), label=_("Owning country"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes_ = user.country_codes() or frozenset()
        cast("forms.ModelChoiceField", self.fields["owner_country"]).queryset = Country.objects.filter(code__in=codes_)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Give a .csv or .xlsx file."))
        if (upload.size or 0) > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file holds %(size)s bytes, more than the %(limit)s allowed.") % {
                "size": f"{upload.size:,}", "limit": f"{settings.IMPORT_MAX_BYTES:,}"})
        return upload


class RetentionPolicyForm(forms.Form):
    years_after_closure = forms.IntegerField(
        min_value=1, max_value=99, label=_("Years kept after closure"),
        help_text=_("The identity of a case closed for this many years is purged (a case on legal hold is kept)."))
    legal_basis = forms.CharField(
        max_length=500, label=_("Legal basis or source"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The law, regulation or decision that sets this period, with its reference."))


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        max_length=500, label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Name the proceedings or the decision (court, authority, reference); never the person. "
                    "Kept in the audit log."))


class ErasureForm(forms.Form):
    reason = forms.ChoiceField(choices=choices(codes.ErasureReason), label=_("Ground for the erasure"))
    confirm = forms.BooleanField(label=_("I understand that the erasure cannot be undone."))


class SubjectAccessForm(forms.Form):
    format = forms.ChoiceField(choices=[("html", _("readable page (HTML)")), ("json", "JSON")], label=_("Format"))
