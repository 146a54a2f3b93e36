"""The review of a demo year in French and English: its channel table, minors and France sections equal what this
test computes from the demo's records; the French review holds no untranslated code and keeps the demo marker
of invented GRETA texts."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from palermo.cases.models import Case
from palermo.programme.models import Action, GretaRecommendation
from palermo.reference.models import Country
from palermo.steering.models import SteeringMeeting
from palermo.steering.report import render_document, review_and_tables
from tests.steering.test_story import budget_of, expected_channels
from tests.web.french_scan import Allowed, findings, visible_text

pytestmark = pytest.mark.django_db
YEAR = 2024  # a closed demo year with money, cases and minors' actions
NO_REPRESENTATION = {"en": "no permanent representation named", "fr": "aucune représentation permanente désignée"}
CHANNEL_LABELS = {"en": {"bilateral": "bilateral", "regional": "regional", "multilateral": "multilateral"},
                  "fr": {"bilateral": "bilatéral", "regional": "régional", "multilateral": "multilatéral"}}


def test_the_demo_review_in_both_languages_shows_the_programmes_own_figures() -> None:
    call_command("demo", "--cases", "300", stdout=StringIO())
    meeting = SteeringMeeting.objects.get(year=YEAR)
    channels = expected_channels(YEAR)
    assert {representation for (channel, representation) in channels if channel == "multilateral"} == {
        "Permanent Representation of France to the OSCE",
        "Permanent Representation of France to the United Nations in Vienna", ""}  # "": the Council of Europe's
    children: dict[tuple[str, int], int] = defaultdict(int)
    towards: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for case in Case.objects.filter(trafficking_status__in=["possible", "actual"],
                                    year_identified__in=range(YEAR - 4, YEAR + 1)):
        key = (case.owner_country_id, case.year_identified)
        children[key] += bool(case.is_minor)
        if case.country_of_exploitation_id == "FR":
            towards[key][0] += 1
            towards[key][1] += bool(case.is_minor)
    assert sum(v[0] for v in towards.values()) > 0 and sum(children.values()) > 0
    minors_actions = sorted(
        a.iati_identifier for a in Action.objects.filter(is_external=False, status__in=(2, 3, 4),
                                                         target_groups__group="minors").distinct()
        if (a.actual_start or a.planned_start) <= date(YEAR, 12, 31)
        and (a.actual_end or a.planned_end) >= date(YEAR, 1, 1))
    assert minors_actions
    for language in ("en", "fr"):
        _review, tables = review_and_tables(meeting, language)
        with translation.override(language):
            names = {c.code: c.name for c in Country.objects.all()}
        labels = CHANNEL_LABELS[language]
        rows = {(row[0], row[1]): row[2:] for row in tables.get("by-channel").rows[:-1]}
        for (channel, representation), (actions, budget, disbursed, countries, objectives) in channels.items():
            rate = (disbursed * 100 / budget).quantize(Decimal("0.1"), ROUND_HALF_UP) if budget else None
            shown = representation or ("" if channel != "multilateral" else NO_REPRESENTATION[language])
            assert rows[(labels[channel], shown)] == [actions, budget.quantize(Decimal("0.01")),
                                                      disbursed.quantize(Decimal("0.01")), rate, len(countries),
                                                      len(objectives)], (language, channel, representation)
        child_rows = tables.get("child-victims").rows
        assert [(row[0], row[1], row[2]) for row in child_rows] == [
            (names[c], str(y), children[(c, y)]) for c, y in sorted(children) if children[(c, y)]]
        assert [row[:4] for row in tables.get("towards-france").rows] == [
            [names[c], str(y), v[0], v[1] or None] for (c, y), v in sorted(towards.items())]
        assert [row[0] for row in tables.get("minors-actions").rows[:-1]] == minors_actions
        assert tables.get("minors-actions").rows[-1][4] == sum(
            (budget_of(Action.objects.get(iati_identifier=i), YEAR) for i in minors_actions), Decimal(0))
        assert tables.get("french-counterparts").rows, "OCRTEH and MIPROF take part in demo actions"
        document = render_document(meeting, language).decode()
        for slug in ("by-channel", "child-victims", "towards-france", "minors-actions", "french-counterparts"):
            assert f'id="{slug}"' in document


def test_the_french_demo_review_holds_no_untranslated_code_and_keeps_the_demo_marker() -> None:
    call_command("demo", "--cases", "300", stdout=StringIO())
    allowed = Allowed({name for name in _organisation_names()} | set(
        GretaRecommendation.objects.values_list("text", flat=True)))
    for year in (YEAR, YEAR + 1):
        document = render_document(SteeringMeeting.objects.get(year=year), "fr").decode()
        text = visible_text(document)
        found = findings(f"review {year}", text, allowed)
        assert found == [], "\n".join(map(str, found))
        for leftover in ("(urges)", "not_implemented", "partly", "migration_route", "multilateral"):
            assert leftover not in text, leftover
        assert not re.search(r"\d\.\d+\s?%", text)
        assert "exhorte" in text
        assert "[DÉMO – texte qui n’est pas du GRETA]" in text  # the unanswered invented recommendations


def _organisation_names() -> set[str]:
    from palermo.partners.models import Organisation

    return set(Organisation.objects.values_list("name", flat=True))
