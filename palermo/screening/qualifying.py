"""The guided legal qualification: one question per step, the answers carried from step to step in the page."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from palermo.screening import legal
from palermo.screening.legal_texts import Language

STEPS = ("age", "acts", "means", "purposes", "consent", "date")
NONE, UNKNOWN = "none", "unknown"

QUESTIONS = {
    "age": (_("How old was the person at the time of the facts?"),
            _("In whole years. Leave empty if the age is not known.")),
    "acts": (_("What was done to the person?"),
             _("Tick every act that took place, or say that none did, or that it is not known.")),
    "means": (_("How was it done?"),
              _("Tick every means used, or say that none was, or that it is not known. For a child no means is "
                "needed, but say what you know.")),
    "purposes": (_("For what purpose?"),
                 _("Tick every form of exploitation intended or carried out, or say that there was none, or that "
                   "it is not known.")),
    "consent": (_("Did the person consent?"),
                _("Consent is irrelevant once a means was used; the answer only shapes the explanation.")),
    "date": (_("When did the facts happen?"),
             _("The date decides which instruments applied. Leave empty if it is not known.")),
}
VERDICTS = {
    legal.TRAFFICKING: _("points to trafficking"),
    legal.NOT_TRAFFICKING: _("not trafficking"),
    legal.INSUFFICIENT: _("insufficient information"),
}
ELEMENTS = {legal.MET: _("met"), legal.NOT_MET: _("not met"), legal.UNKNOWN: _("not known")}
ELEMENT_NAMES = {"act": _("Act"), "means": _("Means"), "purpose": _("Purpose")}


def active_language() -> Language:
    return "fr" if (get_language() or "en").startswith("fr") else "en"


class AgeForm(forms.Form):
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=legal.MAX_AGE)

    def answer(self) -> Any:
        return self.cleaned_data["age"]

    def initial_from(self, value: Any) -> dict[str, Any]:
        return {"age": value}


class CodesForm(forms.Form):
    answer_field = forms.MultipleChoiceField(label=_("Answer"), widget=forms.CheckboxSelectMultiple,
                                             error_messages={"required": _("Choose at least one answer: what "
                                                                           "applies, 'none', or 'not known'.")})

    def __init__(self, *args: Any, key: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = legal.load()[0].of(key)
        language = active_language()
        choices: list[tuple[str, Any]] = [(code, label.get(language)) for code, label in codes.items()]
        choices += [(NONE, _("none of these")), (UNKNOWN, _("not known"))]
        field = self.fields["answer_field"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices

    def clean_answer_field(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["answer_field"]
        if len(chosen) > 1 and ({NONE, UNKNOWN} & set(chosen)):
            raise forms.ValidationError(_("'None of these' and 'not known' cannot be ticked with anything else."))
        return chosen

    def answer(self) -> Any:
        chosen = self.cleaned_data["answer_field"]
        if chosen == [UNKNOWN]:
            return None
        return [] if chosen == [NONE] else chosen

    def initial_from(self, value: Any) -> dict[str, Any]:
        if value is None:
            return {"answer_field": [UNKNOWN]}
        return {"answer_field": value or [NONE]}


class ConsentForm(forms.Form):
    consent = forms.ChoiceField(label=_("Consent"), widget=forms.RadioSelect,
                                choices=[("yes", _("yes")), ("no", _("no")), (UNKNOWN, _("not known"))])

    def answer(self) -> Any:
        return {"yes": True, "no": False}.get(self.cleaned_data["consent"])

    def initial_from(self, value: Any) -> dict[str, Any]:
        return {"consent": {True: "yes", False: "no"}.get(value, UNKNOWN)}


class DateForm(forms.Form):
    date = forms.DateField(label=_("Date"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def answer(self) -> Any:
        value = self.cleaned_data["date"]
        return value.isoformat() if value else None

    def initial_from(self, value: Any) -> dict[str, Any]:
        return {"date": value}


StepForm = AgeForm | CodesForm | ConsentForm | DateForm


def step_form(step: int, data: Any = None, value: Any = None, *, answered: bool = False) -> StepForm:
    key = STEPS[step]
    form: StepForm
    if key in legal.LIST_KEYS:
        form = CodesForm(data, key=key)
    elif key == "age":
        form = AgeForm(data)
    elif key == "consent":
        form = ConsentForm(data)
    else:
        form = DateForm(data)
    if data is None and answered:
        form.initial = form.initial_from(value)
    return form


def read_answers(text: str) -> dict[str, Any]:
    """The answers carried by the page; anything unreadable starts afresh (nothing is stored)."""
    try:
        answers = json.loads(text or "{}")
        legal.parse_facts(answers)
    except (ValueError, legal.FactsError):
        return {}
    return dict(answers)


def result_rows(answers: dict[str, Any]) -> list[dict[str, Any]]:
    language = active_language()
    rows = []
    for code, result in legal.qualify(legal.parse_facts(answers)).items():
        rows.append({
            "code": code,
            "name": result.instrument.name.get(language),
            "verdict": result.verdict,
            "verdict_label": VERDICTS[result.verdict],
            "elements": [(ELEMENT_NAMES[name], value, ELEMENTS[value]) for name, value in result.elements.items()],
            "reason": result.reason(language),
            "article": result.article,
            "wording_verified": result.wording_verified,
        })
    return rows
