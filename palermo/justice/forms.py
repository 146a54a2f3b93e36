from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import User
from palermo.cases.models import Case, Perpetrator
from palermo.i18n import colon
from palermo.justice import services
from palermo.justice.models import THB_OFFENCES, Defendant, Instance, Offence, Outcome, Proceeding, Sex
from palermo.reference.models import Country

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def money_field(label: Any) -> forms.DecimalField:
    """An amount in euros, cents allowed, never negative; empty reads 0."""
    return forms.DecimalField(label=label, required=False, min_value=Decimal(0), max_digits=12, decimal_places=2,
                              initial=Decimal(0))


def _country_choices(user: User) -> list[tuple[str, str]]:
    codes = user.country_codes()
    countries = Country.objects.programme() if codes is None else Country.objects.filter(code__in=codes)
    return [(c.code, c.name) for c in countries.order_by("code")]


class PersonFields(forms.Form):
    reference = forms.CharField(label=_("Reference of the person"), max_length=60, required=False,
                                help_text=_("The prosecution's reference for the person, or your own: never a name."))
    is_legal_person = forms.BooleanField(label=_("A company rather than a person"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_year = forms.IntegerField(label=_("Year of birth (optional)"), required=False, min_value=1900,
                                    max_value=2100)
    citizenship = forms.ModelChoiceField(label=_("Citizenship (optional)"), required=False,
                                         queryset=Country.objects.order_by("code"), to_field_name="code")

    def person(self, perpetrators: list[Perpetrator] | None = None) -> services.Person:
        data = self.cleaned_data
        return services.Person(reference=data["reference"] or "", is_legal_person=data["is_legal_person"],
                               sex=data["sex"], birth_year=data["birth_year"],
                               citizenship=data["citizenship"].code if data["citizenship"] else "",
                               perpetrators=perpetrators or [])


class PerpetratorChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.case.case_code}{colon()} {', '.join(map(str, obj.role_labels())) or '—'}"


class DefendantForm(PersonFields):
    perpetrators = PerpetratorChoice(
        label=_("The same person as described in these case records"), required=False,
        queryset=Perpetrator.objects.none(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, user: User, defendant: Defendant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["perpetrators"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        # the perpetrators of the victims of this defendant's proceedings, in case records the user reads
        field.queryset = Perpetrator.objects.filter(
            case__in=Case.objects.visible_to(user).values("pk"),
            case__proceeding_parts__proceeding__defendant=defendant).select_related("case").distinct()

    def value(self) -> services.Person:
        return self.person(list(self.cleaned_data["perpetrators"]))


class ProceedingForm(forms.Form):
    file_number = forms.CharField(label=_("File number"), max_length=80, required=False)
    authority = forms.CharField(label=_("Prosecution office or court"), max_length=200, required=False)
    investigation_opened = forms.DateField(label=_("Investigation opened on"), widget=DATE)
    prosecuted_on = forms.DateField(label=_("Prosecution started on (charged)"), required=False, widget=DATE)
    offences = forms.MultipleChoiceField(label=_("Charges"), choices=Offence.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    thb_article = forms.CharField(label=_("Article of the trafficking charge"), max_length=120, required=False,
                                  help_text=_("For example: Art. 210 of the Criminal Code."))

    @classmethod
    def initial_of(cls, proceeding: Proceeding) -> dict[str, Any]:
        charges = list(proceeding.charges.all())
        return {"file_number": proceeding.file_number, "authority": proceeding.authority,
                "investigation_opened": proceeding.investigation_opened, "prosecuted_on": proceeding.prosecuted_on,
                "offences": [c.offence for c in charges],
                "thb_article": next((c.article for c in charges if c.offence in THB_OFFENCES), "")}

    def spec(self) -> services.ProceedingSpec:
        data = self.cleaned_data
        charges = [services.ChargeSpec(o, data["thb_article"] if o in THB_OFFENCES else "") for o in data["offences"]]
        return services.ProceedingSpec(
            investigation_opened=data["investigation_opened"], prosecuted_on=data["prosecuted_on"],
            file_number=data["file_number"], authority=data["authority"], charges=charges)


class NewProceedingForm(ProceedingForm, PersonFields):
    """A proceeding against a defendant already recorded, or against a new one described here."""

    defendant = forms.ModelChoiceField(label=_("Defendant already recorded"), required=False,
                                       queryset=Defendant.objects.none())
    country = forms.ChoiceField(label=_("Country of the proceeding"), choices=())

    field_order = ["defendant", "country", "reference", "is_legal_person", "sex", "birth_year", "citizenship",
                   "file_number", "authority", "investigation_opened", "prosecuted_on", "offences", "thb_article"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        defendant = self.fields["defendant"]
        assert isinstance(defendant, forms.ModelChoiceField)
        defendant.queryset = Defendant.objects.visible_to(user).filter(organisation_id=user.organisation_id or 0)
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = _country_choices(user)
        self.fields["investigation_opened"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("defendant") and not (data.get("reference") or "").strip():
            self.add_error("reference", _("Choose a defendant already recorded, or give the new one's reference."))
        return data


class DecisionForm(forms.Form):
    instance = forms.ChoiceField(label=_("Instance"), choices=Instance.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    court = forms.CharField(label=_("Court"), max_length=200, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    convicted_of_thb = forms.BooleanField(label=_("Convicted of trafficking (not only of related offences)"),
                                          required=False)
    sentence_months = forms.IntegerField(label=_("Prison sentence (months)"), required=False, min_value=0,
                                         max_value=600)
    suspended = forms.BooleanField(label=_("Sentence suspended"), required=False)
    confiscation_ordered = money_field(_("Confiscation ordered (EUR)"))

    def verdict(self) -> services.Verdict:
        data = self.cleaned_data
        return services.Verdict(
            instance=data["instance"], decided_on=data["decided_on"], outcome=data["outcome"],
            convicted_of_thb=data["convicted_of_thb"], sentence_months=data["sentence_months"],
            suspended=data["suspended"], confiscation_ordered=data["confiscation_ordered"] or Decimal(0),
            court=data["court"])


class VictimForm(forms.Form):
    case_code = forms.CharField(label=_("Case code of the victim"), max_length=20)
    testified = forms.BooleanField(label=_("Testified"), required=False)
    protected_witness = forms.BooleanField(label=_("Protected witness"), required=False)
    compensation_ordered = money_field(_("Compensation ordered (EUR)"))
    compensation_paid = money_field(_("Compensation paid to the victim (EUR)"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_case_code(self) -> Case:
        code = self.cleaned_data["case_code"].strip()
        case = Case.objects.visible_to(self.user).filter(case_code=code).first()
        if case is None:
            raise forms.ValidationError(_("No case record %(code)s among those you read."), params={"code": code})
        return case

    def part(self) -> services.Part:
        data = self.cleaned_data
        return services.Part(testified=data["testified"], protected_witness=data["protected_witness"],
                             compensation_ordered=data["compensation_ordered"] or Decimal(0),
                             compensation_paid=data["compensation_paid"] or Decimal(0))
