from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from palermo.programme.models import Action


class MeetingForm(forms.Form):
    year = forms.IntegerField(label=_("Year reviewed"), min_value=2000, max_value=2100)
    date = forms.DateField(label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    place = forms.CharField(label=_("Place"), max_length=200)
    participants = forms.CharField(label=_("Participants (one per line)"), required=False, widget=forms.Textarea)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("year") and data.get("date") and data["date"].year < data["year"]:
            self.add_error("date", _("The committee meets after the year it reviews."))
        return data


class CloseMeetingForm(forms.Form):
    """Closing is irreversible: the person ticks that they know it, and the server checks the tick."""

    confirm = forms.BooleanField(
        label=_("I understand that closing is final: the review is frozen and the decisions can no longer change."),
        error_messages={"required": _("Tick the box to confirm that you want to close the meeting: nothing was "
                                      "changed.")},
    )


class DecisionForm(forms.Form):
    text_en = forms.CharField(label=_("Decision (English)"), widget=forms.Textarea(attrs={"rows": 3}))
    text_fr = forms.CharField(label=_("Decision (French)"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(label=_("Owner"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    actions = forms.CharField(
        label=_("Actions concerned (IATI identifiers, one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_actions(self) -> list[Action]:
        identifiers = [line.strip() for line in self.cleaned_data["actions"].splitlines() if line.strip()]
        found = {a.iati_identifier: a for a in Action.objects.filter(iati_identifier__in=identifiers)}
        unknown = [identifier for identifier in identifiers if identifier not in found]
        if unknown:
            raise forms.ValidationError(_("No action has the identifier: %(ids)s") % {"ids": ", ".join(unknown)})
        return [found[identifier] for identifier in dict.fromkeys(identifiers)]
