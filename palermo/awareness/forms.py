from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from palermo.awareness import risk
from palermo.awareness.choices import (
    AGE_BAND_CHOICES,
    PROFILE_AGE_BAND_CHOICES,
    Channel,
    Language,
    MaterialKind,
    Population,
    ReviewStatus,
    Risk,
    Sex,
)
from palermo.awareness.models import Campaign
from palermo.awareness.services import CampaignData, ReachData
from palermo.cases import codes
from palermo.cases.choices import choices
from palermo.partners.models import Organisation
from palermo.programme.models import Action
from palermo.reference.models import Country, ExploitationForm
from palermo.referral.models import Service

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TICKS = forms.CheckboxSelectMultiple


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    objective = forms.CharField(label=_("Objective"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    action = forms.ModelChoiceField(label=_("Funding action (its budget is the campaign's money)"),
                                    queryset=Action.objects.none())
    countries = forms.MultipleChoiceField(label=_("Countries"), widget=TICKS)
    regions = forms.CharField(label=_("Regions and places"), max_length=300, required=False)
    populations = forms.MultipleChoiceField(label=_("Target populations"), choices=Population.choices, widget=TICKS)
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=Language.choices, widget=TICKS)
    channels = forms.MultipleChoiceField(label=_("Channels"), choices=Channel.choices, widget=TICKS)
    risks = forms.MultipleChoiceField(label=_("Risks addressed"), choices=Risk.choices, widget=TICKS, required=False)
    start = forms.DateField(label=_("Start"), widget=DATE)
    end = forms.DateField(label=_("End"), widget=DATE)
    partners = forms.ModelMultipleChoiceField(label=_("Partners"), queryset=Organisation.objects.order_by("name"),
                                              required=False)
    contact_points = forms.ModelMultipleChoiceField(
        label=_("Help lines and contact points (from the service directory)"), required=False,
        queryset=Service.objects.none())
    target_sexes = forms.MultipleChoiceField(label=_("Sexes aimed at (none: anyone)"), choices=Sex.choices,
                                             widget=TICKS, required=False)
    target_age_bands = forms.MultipleChoiceField(label=_("Age bands aimed at (none: anyone)"),
                                                 choices=PROFILE_AGE_BAND_CHOICES, widget=TICKS, required=False)
    target_forms = forms.MultipleChoiceField(label=_("Forms of exploitation aimed at (none: any)"), widget=TICKS,
                                             required=False)
    target_recruitment = forms.MultipleChoiceField(label=_("Recruitment methods aimed at (none: any)"),
                                                   choices=choices(codes.RecruitmentMethod), widget=TICKS,
                                                   required=False)
    target_citizenships = forms.MultipleChoiceField(label=_("Citizenships aimed at (none: any)"), required=False)
    target_thb_forms = forms.MultipleChoiceField(label=_("Forms of THB aimed at (none: any)"), widget=TICKS,
                                                 choices=choices(codes.ThbFormCode), required=False)

    def __init__(self, *args: Any, actions: QuerySet[Action], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._field("action").queryset = actions.filter(is_external=False).order_by("iati_identifier")
        programme = [(c.code, c.name) for c in Country.objects.programme().order_by("code")]
        self._choice("countries").choices = programme
        self._choice("target_citizenships").choices = [(c.code, c.name) for c in Country.objects.order_by("code")]
        self._choice("target_forms").choices = [(f.code, f.name) for f in ExploitationForm.objects.order_by("code")]
        self._field("contact_points").queryset = Service.objects.select_related("organisation", "country").order_by(
            "country_id", "organisation__name")

    def _field(self, name: str) -> Any:
        return self.fields[name]

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def data_object(self) -> CampaignData:
        data = self.cleaned_data
        return CampaignData(
            title=data["title"], objective=data["objective"], action=data["action"], countries=data["countries"],
            regions=data["regions"], populations=data["populations"], languages=data["languages"],
            channels=data["channels"], risks=data["risks"], start=data["start"], end=data["end"],
            partners=list(data["partners"]), contact_points=list(data["contact_points"]),
            targets={"citizenship": data["target_citizenships"], "sex": data["target_sexes"],
                     "age_band": data["target_age_bands"], "recruitment": data["target_recruitment"],
                     "form": data["target_forms"], "thb_form": data["target_thb_forms"]})


def initial_of(campaign: Campaign) -> dict[str, Any]:
    return {"title": campaign.title, "objective": campaign.objective, "action": campaign.action_id,
            "countries": [c.code for c in campaign.countries.all()], "regions": campaign.regions,
            "populations": campaign.populations, "languages": campaign.languages, "channels": campaign.channels,
            "risks": campaign.risks, "start": campaign.start, "end": campaign.end,
            "partners": list(campaign.partners.values_list("pk", flat=True)),
            "contact_points": list(campaign.contact_points.values_list("pk", flat=True)),
            "target_sexes": campaign.target_sexes, "target_age_bands": campaign.target_age_bands,
            "target_forms": campaign.target_forms, "target_recruitment": campaign.target_recruitment,
            "target_citizenships": campaign.target_citizenships, "target_thb_forms": campaign.target_thb_forms}


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    risk = forms.ChoiceField(label=_("Risk addressed"), choices=Risk.choices)
    text = forms.CharField(label=_("Message text"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                           max_length=10000)
    upload = forms.FileField(label=_("File (PDF, image or office document)"), required=False)


class VersionForm(forms.Form):
    text = forms.CharField(label=_("Message text"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
                           max_length=10000)
    upload = forms.FileField(label=_("File (PDF, image or office document)"), required=False)
    note = forms.CharField(label=_("What changed"), max_length=500, required=False)


class ReviewForm(forms.Form):
    status = forms.ChoiceField(label=_("Review status"), choices=ReviewStatus.choices)
    note = forms.CharField(label=_("Review note"), max_length=500, required=False)


REACH_FIGURES = ("target", "hotline_before", "hotline_during", "hotline_after", "survey_before_answers",
                 "survey_before_right", "survey_after_answers", "survey_after_right", "referrals")


class ReachForm(forms.Form):
    """A reach period; its people reached as a grid: one number per channel of the campaign, sex and age band."""

    start = forms.DateField(label=_("Period start"), widget=DATE)
    end = forms.DateField(label=_("Period end"), widget=DATE)
    target = forms.IntegerField(label=_("Target: people reached"), min_value=0, required=False)
    hotline_before = forms.IntegerField(label=_("Hotline contacts in the same length of time before"), min_value=0,
                                        required=False)
    hotline_during = forms.IntegerField(label=_("Hotline contacts during"), min_value=0, required=False)
    hotline_after = forms.IntegerField(label=_("Hotline contacts in the same length of time after"), min_value=0,
                                       required=False)
    survey_before_answers = forms.IntegerField(label=_("Knowledge survey before: answers"), min_value=0,
                                               required=False)
    survey_before_right = forms.IntegerField(label=_("Knowledge survey before: right answers"), min_value=0,
                                             required=False)
    survey_after_answers = forms.IntegerField(label=_("Knowledge survey after: answers"), min_value=0,
                                              required=False)
    survey_after_right = forms.IntegerField(label=_("Knowledge survey after: right answers"), min_value=0,
                                            required=False)
    referrals = forms.IntegerField(label=_("Referrals mentioning the campaign"), min_value=0, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, channels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Channel.choices)
        self.grid: list[tuple[str, list[tuple[str, list[str]]]]] = []
        for channel in channels:
            rows = []
            for sex, sex_label in Sex.choices:
                names = []
                for band, _band in AGE_BAND_CHOICES:
                    name = f"n_{channel}_{sex}_{band}"
                    self.fields[name] = forms.IntegerField(min_value=0, required=False, label=f"{sex_label} {band}")
                    names.append(name)
                rows.append((str(sex_label), names))
            self.grid.append((str(labels.get(channel, channel)), rows))

    def grid_rows(self) -> list[tuple[str, list[tuple[str, list[forms.BoundField]]]]]:
        return [(channel, [(sex, [self[name] for name in names]) for sex, names in rows])
                for channel, rows in self.grid]

    def data_object(self) -> ReachData:
        data = self.cleaned_data
        counts = []
        for name, value in data.items():
            if name.startswith("n_") and value:
                channel, sex, band = name[2:].rsplit("_", 2)
                counts.append((channel, sex, band, value))
        return ReachData(start=data["start"], end=data["end"], counts=counts, note=data["note"],
                         **{name: data[name] for name in REACH_FIGURES})


def initial_reach(period: Any) -> dict[str, Any]:
    initial = {name: getattr(period, name) for name in ("start", "end", "note", *REACH_FIGURES)}
    for count in period.counts.all():
        initial[f"n_{count.channel}_{count.sex}_{count.age_band}"] = count.people
    return initial


PROFILE_PARAMETERS = {"sex": Sex.values, "age_band": list(risk.AGE_BANDS)}
