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
    "salutation", "first_name", "middle_name", "second_name", "title", "birth_date", "identity_number", "email",
    "mobile_phone", "home_phone", "mailing_street", "mailing_city", "mailing_state", "mailing_postal_code",
    "gender", "marital_status", "highest_education", "age_when_trafficked",
    "identification_date", "trafficking_status", "status_decided_by", "status_decided_on",
    "other_exploitation", "consent", "case_status", "thb_form_override",
    "thb_form_override_reason", "deceased", "number_of_children", "primary_language", "secondary_language",
    "trafficking_duration", "reason_for_closure", "referring_organisation", "incoming_referral_date",
    "incoming_referral_reason", "incoming_referral_details", "referred_organisation", "outgoing_referral_date",
    "outgoing_referral_reason", "outgoing_referral_details",
]
# The multi-select fields of the form, each a set on the case (its single field, where one exists, is its first).
SET_FIELDS = ("recruiter_relations", "forced_labour_industries", "recruitment_websites", "exploitation_websites",
              "migration_statuses")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TRANSIT_SELECTS = 4  # shown for a new case; an edited route gets one more than it has
# The sections of the form, in order, with the fields of each (every field of the form is in one).
SECTIONS: list[tuple[Any, list[str]]] = [
    (_("Identification"), ["owner_country", "identification_date", "trafficking_status", "status_decided_by",
                           "status_decided_on"]),
    (_("Person"), ["first_name", "middle_name", "second_name", "salutation", "title", "birth_date",
                   "age_when_trafficked", "gender", "citizenship", "other_citizenships", "marital_status",
                   "highest_education", "primary_language", "secondary_language", "number_of_children", "deceased",
                   "migration_statuses",
                   "identity_number", "email", "mobile_phone", "home_phone", "mailing_street", "mailing_city",
                   "mailing_state", "mailing_postal_code", "mailing_country"]),
    (_("Recruitment"), ["recruitment_country", "recruitment_place", "recruitment_date", "recruitment_methods",
                        "recruitment_websites", "recruiter_relations"]),
    (_("Exploitation"), ["forms_", "other_exploitation", "forced_labour_industries", "sex_exploitation_types",
                         "means_of_control", "exploitation_websites", "exploitation_country", "exploitation_place",
                         "exploitation_date", "trafficking_duration"]),
    (_("Route"), ["transit_countries", "thb_form_override", "thb_form_override_reason"]),
    (_("Referral"), ["referring_organisation", "incoming_referral_date", "incoming_referral_reason",
                     "incoming_referral_details", "referred_organisation", "outgoing_referral_date",
                     "outgoing_referral_reason", "outgoing_referral_details"]),
    (_("Support and follow-up"), ["case_status", "reason_for_closure", "consent"]),
]
# What an empty form still sends: the defaults of its selects; nothing else filled means nothing to record.
PREFILLED = frozenset({"owner_country", "trafficking_status", "case_status"})
REQUIRED = ("owner_country", "identification_date", "gender", "trafficking_status", "case_status")
LABELS = {
    "salutation": _("Form of address (Mr, Ms...)"), "first_name": _("First name"), "middle_name": _("Middle name"),
    "second_name": _("Surname"), "title": _("Title (Dr...)"), "birth_date": _("Date of birth"),
    "identity_number": _("Identity document number"), "email": _("E-mail"), "mobile_phone": _("Mobile phone"),
    "home_phone": _("Home phone"), "mailing_street": _("Street"), "mailing_city": _("Town or city"),
    "mailing_state": _("Region or province"), "mailing_postal_code": _("Postal code"),
    "gender": _("Gender"), "marital_status": _("Marital status"), "highest_education": _("Highest level of education"),
    "age_when_trafficked": _("Age when trafficked (when the date of birth is unknown)"),
    "identification_date": _("Date of identification"), "trafficking_status": _("Trafficking status"),
    "status_decided_by": _("Who decided this status"), "status_decided_on": _("Date of the decision"),
    "other_exploitation": _("Another form of exploitation"),
    "consent": _("The person agrees to the processing of their data"), "case_status": _("Case status"),
    "thb_form_override": _("Correct the form of trafficking"), "thb_form_override_reason": _("Why you correct it"),
    "deceased": _("The person has died"), "number_of_children": _("Number of children"),
    "primary_language": _("First language"), "secondary_language": _("Second language"),
    "trafficking_duration": _("How long the exploitation lasted"), "reason_for_closure": _("Why the case was closed"),
    "referring_organisation": _("Referred to you by (organisation)"),
    "incoming_referral_date": _("Date referred to you"),
    "incoming_referral_reason": _("Why it was referred to you"), "incoming_referral_details": _("About that referral"),
    "referred_organisation": _("Referred by you to (organisation)"),
    "outgoing_referral_date": _("Date you referred it"),
    "outgoing_referral_reason": _("Why you referred it"), "outgoing_referral_details": _("About your referral"),
}
HELP = {
    "trafficking_status": _("A possible victim until an authority decides."),
    "thb_form_override": _("Palermo works out from the route whether this is traditional trafficking or trafficking "
                           "on a migration route. Choose only if that result is wrong."),
    "age_when_trafficked": _("In whole years."),
    "primary_language": _("Three letters, as ron for Romanian or sqi for Albanian."),
}


def country_choices(blank: str = "—") -> list[Any]:
    """Every country by name in the reader's language: the programme's first, then the others."""
    countries = sorted(Country.objects.all(), key=lambda country: country.name.casefold())
    programme = [(country.code, country.name) for country in countries if country.is_programme]
    others = [(country.code, country.name) for country in countries if not country.is_programme]
    return [("", blank), (_("Programme countries"), programme), (_("Other countries"), others)]


class CountryField(forms.ChoiceField):
    """A country picked from the list; its ISO code is stored."""

    def __init__(self, *, choices: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(choices=choices, **kwargs)


class RouteWidget(forms.MultiWidget):
    def decompress(self, value: Any) -> list[str]:
        return list(value or [])


class TransitCountriesField(forms.MultiValueField):
    """The transit countries in the order of the route, one list each: ``transit_countries_0``, ``_1``..."""

    def __init__(self, *, size: int, choices: list[Any], **kwargs: Any) -> None:
        fields = [forms.ChoiceField(choices=choices, required=False) for _index in range(size)]
        widget = RouteWidget([forms.Select(choices=choices, attrs={"aria-label": _("Transit country %(number)s") % {
            "number": index + 1}}) for index in range(size)])
        super().__init__(fields=fields, widget=widget, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list: list[str]) -> list[str]:
        return [code for code in data_list if code]


class CaseForm(forms.ModelForm):
    owner_country = forms.ModelChoiceField(Country.objects.none(), label=_("Owning country"))
    citizenship = CountryField(choices=[], label=_("Citizenship"))
    mailing_country = CountryField(choices=[], label=_("Country of the address"))
    forms_ = forms.ModelMultipleChoiceField(ExploitationForm.objects.all(), required=False,
                                            widget=forms.CheckboxSelectMultiple, label=_("Forms of exploitation"))
    recruitment_methods = forms.MultipleChoiceField(choices=choices(codes.RecruitmentMethod), required=False,
                                                    widget=forms.CheckboxSelectMultiple,
                                                    label=_("How the person was recruited"))
    means_of_control = forms.MultipleChoiceField(choices=choices(codes.MeansOfControl), required=False,
                                                 widget=forms.CheckboxSelectMultiple, label=_("Means of control"))
    other_citizenships = forms.MultipleChoiceField(choices=[], required=False, label=_("Other citizenships"),
                                                   help_text=_("Every citizenship besides the first."))
    recruiter_relations = forms.MultipleChoiceField(choices=choices(codes.RecruiterRelation), required=False,
                                                    widget=forms.CheckboxSelectMultiple,
                                                    label=_("Relation to the recruiters"))
    forced_labour_industries = forms.MultipleChoiceField(choices=choices(codes.Industry), required=False,
                                                         label=_("Sectors of the forced labour"))
    recruitment_websites = forms.MultipleChoiceField(choices=choices(codes.WebsiteOrApp), required=False,
                                                     widget=forms.CheckboxSelectMultiple,
                                                     label=_("Websites and apps of the recruitment"))
    exploitation_websites = forms.MultipleChoiceField(choices=choices(codes.WebsiteOrApp), required=False,
                                                      widget=forms.CheckboxSelectMultiple,
                                                      label=_("Websites and apps of the exploitation"))
    migration_statuses = forms.MultipleChoiceField(choices=choices(codes.MigrationStatus), required=False,
                                                   widget=forms.CheckboxSelectMultiple,
                                                   label=_("Migration and protection status"))
    sex_exploitation_types = forms.MultipleChoiceField(choices=choices(codes.SexExploitationType), required=False,
                                                       widget=forms.CheckboxSelectMultiple,
                                                       label=_("Types of sexual exploitation"))
    recruitment_country = CountryField(choices=[], label=_("Country of recruitment"))
    recruitment_place = forms.CharField(max_length=200, required=False, label=_("Place of recruitment"))
    recruitment_date = forms.DateField(required=False, widget=DATE, label=_("Date of recruitment"))
    exploitation_country = CountryField(choices=[], label=_("Country of exploitation"))
    exploitation_place = forms.CharField(max_length=200, required=False, label=_("Place of exploitation"))
    exploitation_date = forms.DateField(required=False, widget=DATE, label=_("Start of exploitation"))

    class Meta:
        model = Case
        fields = CASE_FIELDS
        widgets = {"identification_date": DATE, "status_decided_on": DATE, "incoming_referral_date": DATE,
                   "outgoing_referral_date": DATE}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes_ = user.country_codes()
        countries = Country.objects.all() if codes_ is None else Country.objects.filter(code__in=codes_)
        cast("forms.ModelChoiceField", self.fields["owner_country"]).queryset = countries
        listed = country_choices()
        for name in ("citizenship", "recruitment_country", "exploitation_country"):
            cast("CountryField", self.fields[name]).choices = listed
        cast("forms.MultipleChoiceField", self.fields["other_citizenships"]).choices = listed[1:]
        route = Route.of(self.instance) if self.instance.pk else Route()
        mailing = self.instance.mailing_country if self.instance.pk else ""
        known = {code for _group, group in listed[1:] for code, _name in group}
        cast("CountryField", self.fields["mailing_country"]).choices = listed + (
            [(mailing, mailing)] if mailing and mailing not in known else [])  # a value imported as text stays
        posted = sum(1 for key in (self.data or {}) if key.startswith("transit_countries_"))
        size = max(TRANSIT_SELECTS, len(route.transit_countries) + 1, posted)
        self.fields["transit_countries"] = TransitCountriesField(
            size=size, choices=listed, label=_("Transit countries, in the order of the route"))
        self.fields["birth_date"].widget = DATE
        for name, label in LABELS.items():
            self.fields[name].label = label
        for name, text in HELP.items():
            self.fields[name].help_text = text
        for name in REQUIRED:
            self.fields[name].required = True
        cast("forms.ChoiceField", self.fields["gender"]).choices = [("", "—"), *choices(codes.Gender)]
        if self.instance.pk:
            self.initial.update({
                "owner_country": self.instance.owner_country_id, "forms_": self.instance.form_codes(),
                "citizenship": self.instance.citizenship_id or "", "mailing_country": mailing,
                "other_citizenships": self.instance.citizenship_codes()[1:],
                "recruiter_relations": self.instance.relation_codes(),
                "forced_labour_industries": self.instance.industry_codes(),
                "recruitment_websites": self.instance.recruitment_websites,
                "exploitation_websites": self.instance.exploitation_websites,
                "migration_statuses": self.instance.migration_statuses,
                "recruitment_methods": self.instance.recruitment_methods,
                "means_of_control": self.instance.means_of_control,
                "sex_exploitation_types": self.instance.sex_exploitation_types,
                "recruitment_country": route.recruitment_country, "recruitment_place": route.recruitment_place,
                "recruitment_date": route.recruitment_date, "transit_countries": route.transit_countries,
                "exploitation_country": route.exploitation_country,
                "exploitation_place": route.exploitation_place, "exploitation_date": route.exploitation_date,
            })
        elif len(countries) == 1:
            self.initial["owner_country"] = countries[0].pk

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]

    def is_empty(self) -> bool:
        """Nothing typed, ticked or picked but what the form itself fills (its default selects)."""
        values = [(name, value.strip()) for name in self.data if name not in PREFILLED and name != "csrfmiddlewaretoken"
                  for value in (self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data[name]])]
        return not any(value and not (value == "unknown" and self._unknown_is_default(name)) for name, value in values)

    def _unknown_is_default(self, name: str) -> bool:
        """"unknown" is what a yes/no/unknown select (``deceased``) or the consent select sends untouched."""
        field = self.fields.get(name)
        return name == "consent" or (field is not None and isinstance(field.widget, forms.NullBooleanSelect))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        missing = [str(self.fields[name].label) for name in REQUIRED if name in self.errors]
        if self.is_empty():
            self.add_error(None, _("The form is empty: nothing was recorded."))
        if missing:
            self.add_error(None, _("Fill in the required fields: %(fields)s.") % {"fields": ", ".join(missing)})
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
        if data.get("trafficking_status") not in (None, codes.TraffickingStatus.POSSIBLE) and not data.get(
                "status_decided_by"):
            self.add_error("status_decided_by", _("Say who decided this status."))
        return data

    def route(self) -> Route:
        data = self.cleaned_data
        return Route(
            recruitment_country=data.get("recruitment_country") or "",
            recruitment_place=data.get("recruitment_place") or "", recruitment_date=data.get("recruitment_date"),
            transit_countries=data.get("transit_countries") or [],
            exploitation_country=data.get("exploitation_country") or "",
            exploitation_place=data.get("exploitation_place") or "", exploitation_date=data.get("exploitation_date"),
        )

    def fill(self, case: Case) -> Case:
        """Copy the fields the form holds outside the model's own onto the case."""
        data = self.cleaned_data
        case.owner_country = data["owner_country"]
        case.citizenship_id = data.get("citizenship") or None
        others = [code for code in data.get("other_citizenships") or [] if code != case.citizenship_id]
        case.citizenships = [case.citizenship_id, *others] if case.citizenship_id else others
        if not case.citizenship_id and others:  # the first citizenship is the one of the single field
            case.citizenship_id = others[0]
        for name in SET_FIELDS:
            setattr(case, name, list(data.get(name) or []))
        case.recruiter_relation = case.recruiter_relations[0] if case.recruiter_relations else ""
        case.forced_labour_industry = case.forced_labour_industries[0] if case.forced_labour_industries else ""
        case.mailing_country = data.get("mailing_country") or ""
        case.recruitment_methods = list(data.get("recruitment_methods") or [])
        case.means_of_control = list(data.get("means_of_control") or [])
        case.sex_exploitation_types = list(data.get("sex_exploitation_types") or [])
        return case


class CaseSearchForm(forms.Form):
    name = forms.CharField(
        max_length=200, label=_("Name"),
        help_text=_("One or more of the person's names, in any order, in Latin, Cyrillic or Greek letters; "
                               "a year of birth may follow (Ana Popescu 1999)."))
    birth = forms.CharField(max_length=20, required=False, label=_("Date or year of birth"),
                            help_text=_("31/12/1999, 1999-12-31 or 1999"))


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
