"""The forms of the training pages; each gives the dataclass its service takes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.capacity import services
from palermo.capacity.choices import MaterialKind, Mode, PracticeChange, Profession, Sex, Status
from palermo.capacity.models import ORGANISER_ROLES, Training
from palermo.partners.models import Organisation
from palermo.programme.choices import DOCUMENT_LANGUAGES
from palermo.programme.models import Action
from palermo.reference.models import Country

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RATINGS = [(n, str(n)) for n in range(1, 6)]


class TrainingForm(forms.Form):
    title_en = forms.CharField(label=_("title (English)"), max_length=300)
    title_fr = forms.CharField(label=_("title (French)"), max_length=300, required=False)
    country = forms.ModelChoiceField(label=_("country"), queryset=Country.objects.none())
    action = forms.ModelChoiceField(label=_("funding action"), queryset=Action.objects.none())
    organiser_organisation = forms.ModelChoiceField(label=_("organising institution"), required=False,
                                                    queryset=Organisation.objects.order_by("name"))
    status = forms.ChoiceField(label=_("status"), choices=Status.choices)
    start_date = forms.DateField(label=_("start date"), widget=DATE)
    end_date = forms.DateField(label=_("end date"), widget=DATE)
    mode = forms.ChoiceField(label=_("format"), choices=Mode.choices)
    place = forms.CharField(label=_("place"), max_length=200, required=False,
                            help_text=_("City and venue; empty for a training held online only."))
    hours = forms.IntegerField(label=_("duration (hours)"), min_value=1, max_value=500, required=False)
    trainers = forms.CharField(label=_("trainers"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                               help_text=_("One trainer a line, with their institution."))
    curriculum = forms.CharField(label=_("curriculum"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    max_score = forms.DecimalField(label=_("highest test score"), min_value=Decimal("1"), max_value=Decimal("9999"),
                                   decimal_places=2, initial=Decimal("100"))
    organisers = forms.ModelMultipleChoiceField(
        label=_("organisers"), required=False, queryset=User.objects.none(),
        help_text=_("They read the participants' names and edit the training."))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = user.country_codes()
        countries = Country.objects.programme()
        self.fields["country"].queryset = countries if codes is None else countries.filter(code__in=codes)
        actions = Action.objects.filter(is_external=False)
        if user.role == Role.IO_PARTNER:
            actions = actions.filter(participations__organisation_id=user.organisation_id).distinct()
        elif codes is not None:
            actions = actions.filter(country_shares__country_id__in=codes).distinct()
        self.fields["action"].queryset = actions.order_by("iati_identifier")
        if user.role == Role.PROGRAMME_MANAGER:
            self.fields["organisers"].queryset = User.objects.filter(
                is_active=True, role__in=list(ORGANISER_ROLES)).order_by("username")
        else:
            del self.fields["organisers"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end cannot come before the start."))
        return data

    def data_for_service(self) -> services.TrainingData:
        data = self.cleaned_data
        organisers = data.get("organisers")
        return services.TrainingData(
            title_en=data["title_en"], title_fr=data["title_fr"], country=data["country"], action=data["action"],
            start_date=data["start_date"], end_date=data["end_date"],
            organiser_organisation=data["organiser_organisation"], status=data["status"], mode=data["mode"],
            place=data["place"], hours=data["hours"], trainers=data["trainers"], curriculum=data["curriculum"],
            max_score=data["max_score"], organisers=None if organisers is None else tuple(organisers))

    @staticmethod
    def initial_of(training: Training) -> dict[str, Any]:
        return {"title_en": training.title_en, "title_fr": training.title_fr, "country": training.country_id,
                "action": training.action_id, "organiser_organisation": training.organiser_organisation_id,
                "status": training.status, "start_date": training.start_date, "end_date": training.end_date,
                "mode": training.mode, "place": training.place, "hours": training.hours,
                "trainers": training.trainers, "curriculum": training.curriculum, "max_score": training.max_score,
                "organisers": list(training.organisers.values_list("pk", flat=True))}


class ParticipantForm(forms.Form):
    given_name = forms.CharField(label=_("given name"), max_length=100)
    family_name = forms.CharField(label=_("family name"), max_length=100)
    sex = forms.ChoiceField(label=_("sex"), choices=Sex.choices)
    profession = forms.ChoiceField(label=_("profession"), choices=Profession.choices)
    organisation = forms.CharField(label=_("organisation"), max_length=300, required=False)
    email = forms.EmailField(label=_("email"), required=False)
    attended = forms.BooleanField(label=_("attended"), required=False, initial=True)
    pre_score = forms.DecimalField(label=_("pre-test score"), required=False, min_value=Decimal("0"),
                                   decimal_places=2, max_digits=6)
    post_score = forms.DecimalField(label=_("post-test score"), required=False, min_value=Decimal("0"),
                                    decimal_places=2, max_digits=6)

    def data_for_service(self) -> services.ParticipantData:
        return services.ParticipantData(**self.cleaned_data)


class SurveyForm(forms.Form):
    overall = forms.TypedChoiceField(label=_("overall satisfaction"), choices=RATINGS, coerce=int)
    relevance = forms.TypedChoiceField(label=_("relevance to the work"), choices=RATINGS, coerce=int)
    trainers = forms.TypedChoiceField(label=_("trainers"), choices=RATINGS, coerce=int)
    organisation = forms.TypedChoiceField(label=_("organisation"), choices=RATINGS, coerce=int)
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              help_text=_("Anonymous: do not write a name."))

    def data_for_service(self) -> services.SurveyData:
        return services.SurveyData(**self.cleaned_data)


class FollowUpForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=DATE)
    practice_changed = forms.ChoiceField(label=_("did practice change?"), choices=PracticeChange.choices)
    example = forms.CharField(label=_("example"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              help_text=_("What the person now does differently (no name of a victim)."))

    def data_for_service(self) -> services.FollowUpData:
        return services.FollowUpData(**self.cleaned_data)


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=300)
    kind = forms.ChoiceField(label=_("kind"), choices=MaterialKind.choices)
    language = forms.ChoiceField(label=_("language"), choices=list(DOCUMENT_LANGUAGES.items()))
    upload = forms.FileField(label=_("file"))


class AttendanceForm(forms.Form):
    upload = forms.FileField(label=_("attendance sheet (CSV or XLSX)"))

