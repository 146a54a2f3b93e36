"""Editing the results framework: exact values saved, clear messages naming the field, scopes with three
users per case, and refused or bad requests that change nothing (rows and audit rows alike)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from palermo.audit.models import AuditEvent
from palermo.programme import services
from palermo.programme.models import Indicator, Period, PeriodDisaggregation, Result
from tests.programme.helpers import client_for, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(editing_world):
    users, actions = editing_world
    manager = users["manager"]
    result = services.save_result(acting_user=manager, action=actions["ro"], result_type=Result.Type.OUTCOME,
                                  title_en="Victims identified earlier")
    indicator = services.save_indicator(acting_user=manager, result=result, title_en="Victims referred",
                                        measure=Indicator.Measure.UNIT, unit="persons", baseline_year=2023,
                                        baseline_value=D("40"), disaggregated_by_sex=True,
                                        disaggregated_by_age=True)
    period = services.save_period(acting_user=manager, indicator=indicator, period_start=date(2024, 1, 1),
                                  period_end=date(2024, 12, 31), target=D("60"), actual=D("50"),
                                  breakdown=[services.Breakdown("sex", "female", D("40"), D("35")),
                                             services.Breakdown("sex", "male", D("20"), D("15")),
                                             services.Breakdown("age", "0-17", None, D("12"))])
    return users, actions, result, indicator, period


def test_a_period_is_saved_with_its_values_by_sex_and_age_and_audited(framework) -> None:
    *_rest, period = framework
    saved = Period.objects.get(pk=period.pk)
    assert (saved.period_start, saved.period_end, saved.target, saved.actual) == (
        date(2024, 1, 1), date(2024, 12, 31), D("60.00"), D("50.00"))
    assert list(PeriodDisaggregation.objects.filter(period=period).values_list(
        "dimension", "value", "target", "actual")) == [
        ("age", "0-17", None, D("12.00")), ("sex", "female", D("40.00"), D("35.00")),
        ("sex", "male", D("20.00"), D("15.00"))]
    events = AuditEvent.objects.filter(object_type__in=["programme.result", "programme.indicator",
                                                        "programme.period"]).order_by("seq")
    assert [(e.object_type, e.action, e.actor.username, e.country) for e in events] == [
        ("programme.result", "create", "manager", "RO"), ("programme.indicator", "create", "manager", "RO"),
        ("programme.period", "create", "manager", "RO")]
    assert events[2].detail["breakdown"] == {"sex:female": ["40", "35"], "sex:male": ["20", "15"],
                                             "age:0-17": ["None", "12"]}


def test_a_breakdown_above_its_total_is_refused_naming_the_dimension_and_values(framework) -> None:
    users, _actions, _result, indicator, _period = framework
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        services.save_period(acting_user=users["manager"], indicator=indicator, period_start=date(2025, 1, 1),
                             period_end=date(2025, 12, 31), target=D("60"), actual=D("50"),
                             breakdown=[services.Breakdown("sex", "female", None, D("30")),
                                        services.Breakdown("sex", "male", None, D("25"))])
    assert caught.value.message_dict == {
        "actual": ["The actual by sex (female 30 + male 25 = 55) exceeds the total actual 50."]}
    assert snapshot() == before


def test_period_dates_values_and_breakdowns_get_one_message_per_field(framework) -> None:
    users, _actions, _result, indicator, _period = framework
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        services.save_period(acting_user=users["manager"], indicator=indicator, period_start=date(2027, 6, 1),
                             period_end=date(2027, 1, 1), target=D("-5"), actual=None,
                             breakdown=[services.Breakdown("age", "18-24", None, D("-1"))])
    assert caught.value.message_dict == {
        "period_end": ["The period end must be after its start.",
                       "2027-01-01 is outside the action's dates (2024-01-01 – 2026-12-31)."],
        "period_start": ["2027-06-01 is outside the action's dates (2024-01-01 – 2026-12-31)."],
        "target": ["This value cannot be negative."],
        "age_18_24_actual": ["This value cannot be negative."],
        "actual": ["Give the total actual before its breakdown by age."],
    }
    assert snapshot() == before


def test_percentages_stay_within_100_and_qualitative_indicators_hold_no_number(framework) -> None:
    users, _actions, result, _indicator, _period = framework
    manager = users["manager"]
    share = services.save_indicator(acting_user=manager, result=result, title_en="Share of cases referred",
                                    measure=Indicator.Measure.PERCENTAGE)
    quality = services.save_indicator(acting_user=manager, result=result, title_en="Quality of referral",
                                      measure=Indicator.Measure.QUALITATIVE)
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        services.save_period(acting_user=manager, indicator=share, period_start=date(2024, 1, 1),
                             period_end=date(2024, 12, 31), target=D("120"))
    assert caught.value.message_dict == {"target": ["A percentage is at most 100."]}
    with pytest.raises(ValidationError) as caught:
        services.save_period(acting_user=manager, indicator=quality, period_start=date(2024, 1, 1),
                             period_end=date(2024, 12, 31), actual=D("3"))
    assert caught.value.message_dict == {
        "actual": ["A qualitative indicator holds no number: describe the value in the comment."]}
    with pytest.raises(ValidationError) as caught:
        services.save_period(acting_user=manager, indicator=share, period_start=date(2024, 1, 1),
                             period_end=date(2024, 12, 31), actual=D("50"),
                             breakdown=[services.Breakdown("sex", "female", None, D("70"))])
    assert caught.value.message_dict == {"breakdown": ["This indicator is not disaggregated by sex."]}
    assert snapshot() == before


def test_an_indicator_change_that_recorded_periods_would_contradict_is_refused(framework) -> None:
    users, _actions, _result, indicator, _period = framework
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        services.save_indicator(acting_user=users["manager"], result=indicator.result, indicator=indicator,
                                measure=Indicator.Measure.QUALITATIVE, baseline_value=None, baseline_year=None,
                                disaggregated_by_sex=False)
    assert caught.value.message_dict == {
        "measure": ["The period 2024-01-01 – 2024-12-31 holds values this measure does not allow; change them first."],
        "disaggregated_by_sex": ["The period 2024-01-01 – 2024-12-31 holds values by sex; remove them first."],
    }
    with pytest.raises(ValidationError) as caught:
        services.save_indicator(acting_user=users["manager"], result=indicator.result, indicator=indicator,
                                baseline_year=1850, baseline_value=D("-3"))
    assert caught.value.message_dict == {"baseline_value": ["This value cannot be negative."],
                                         "baseline_year": ["Give a year from 1990 to 2100."]}
    assert snapshot() == before


def test_deleting_a_result_removes_its_indicators_and_periods_with_one_audit_row(framework) -> None:
    users, _actions, result, _indicator, _period = framework
    services.delete_result(acting_user=users["embassy-ro"], result=result)
    assert not Result.objects.exists() and not Indicator.objects.exists() and not Period.objects.exists()
    event = AuditEvent.objects.get(object_type="programme.result", action="delete")
    assert (event.actor.username, event.detail["indicators"], event.detail["periods"]) == ("embassy-ro", 1, 1)


def test_services_refuse_users_outside_the_scope_and_change_nothing(framework) -> None:
    users, _actions, result, indicator, period = framework
    before = snapshot()
    for name in ("embassy-rs", "coordinator-ro", "partner-iom"):
        with pytest.raises(PermissionDenied):
            services.save_result(acting_user=users[name], action=result.action, result=result, title_en="Hijacked")
        with pytest.raises(PermissionDenied):
            services.delete_period(acting_user=users[name], period=period)
        with pytest.raises(PermissionDenied):
            services.save_indicator(acting_user=users[name], result=result, title_en="Extra")
    assert snapshot() == before
    assert Indicator.objects.get(pk=indicator.pk).title_en == "Victims referred"


# Pages --------------------------------------------------------------------------------------------

PERIOD_FORM = {"period_start": "2025-01-01", "period_end": "2025-12-31", "target": "80", "actual": "70",
               "sex_female_target": "50", "sex_female_actual": "45", "sex_male_actual": "25",
               "age_0_17_actual": "20"}


@pytest.mark.parametrize(("allowed", "other_country", "outsider"), [
    ("embassy-ro", "embassy-rs", "coordinator-ro"),
    ("manager", "embassy-rs", "viewer"),
])
def test_period_pages_follow_the_action_scope_on_the_romanian_action(framework, allowed, other_country,
                                                                     outsider) -> None:
    users, _actions, _result, indicator, period = framework
    add_url = f"/programme/indicators/{indicator.pk}/periods/new/"
    for name in (other_country, outsider):
        client = client_for(users[name])
        before = snapshot()
        assert client.get(add_url).status_code == 404, name
        assert client.post(add_url, PERIOD_FORM).status_code == 404, name
        assert client.post(f"/programme/periods/{period.pk}/edit/", PERIOD_FORM).status_code == 404, name
        assert client.post(f"/programme/periods/{period.pk}/delete/").status_code == 404, name
        assert snapshot() == before, name
    client = client_for(users[allowed])
    assert client.get(add_url).status_code == 200
    response = client.post(add_url, PERIOD_FORM)
    assert response.status_code == 302
    assert response["Location"] == f"/programme/actions/{indicator.result.action_id}/#indicator-{indicator.pk}"
    added = Period.objects.get(indicator=indicator, period_start=date(2025, 1, 1))
    assert (added.target, added.actual) == (D("80.00"), D("70.00"))
    assert sorted(added.disaggregations.values_list("dimension", "value", "target", "actual")) == [
        ("age", "0-17", None, D("20.00")), ("sex", "female", D("50.00"), D("45.00")),
        ("sex", "male", None, D("25.00"))]
    assert client.post(f"/programme/periods/{added.pk}/delete/").status_code == 302
    assert not Period.objects.filter(pk=added.pk).exists()


def test_io_partner_edits_the_results_of_its_own_project_only(framework) -> None:
    users, actions, _result, _indicator, _period = framework
    url = f"/programme/actions/{actions['iom'].pk}/results/new/"
    form = {"result_type": "1", "title_en": "Guidelines adopted", "order": "1", "aggregation_status": "on"}
    for name in ("partner-other", "embassy-ro"):
        before = snapshot()
        assert client_for(users[name]).post(url, form).status_code == 404, name
        assert snapshot() == before, name
    assert client_for(users["partner-iom"]).post(url, form).status_code == 302
    assert list(Result.objects.filter(action=actions["iom"]).values_list("result_type", "title_en", "order")) == [
        (1, "Guidelines adopted", 1)]


def test_the_period_form_names_the_field_of_each_problem_and_saves_nothing(framework) -> None:
    users, _actions, _result, indicator, _period = framework
    before = snapshot()
    response = client_for(users["manager"]).post(f"/programme/indicators/{indicator.pk}/periods/new/", {
        **PERIOD_FORM, "period_start": "2023-06-01", "sex_female_actual": "60", "sex_male_actual": "20",
        "target": "lots"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["target"] == ["Enter a number."]
    assert errors == {"target": ["Enter a number."]}  # the service runs once the form itself is clean
    response = client_for(users["manager"]).post(f"/programme/indicators/{indicator.pk}/periods/new/", {
        **PERIOD_FORM, "period_start": "2023-06-01", "sex_female_actual": "60", "sex_male_actual": "20"})
    errors = response.context["form"].errors
    assert errors == {
        "period_start": ["2023-06-01 is outside the action's dates (2024-01-01 – 2026-12-31)."],
        "actual": ["The actual by sex (female 60 + male 20 = 80) exceeds the total actual 70."],
    }
    assert "exceeds the total actual 70" in response.content.decode()
    assert snapshot() == before


def test_the_action_page_shows_edit_links_to_editors_only(framework) -> None:
    users, actions, result, _indicator, _period = framework
    url = f"/programme/actions/{actions['ro'].pk}/"
    link = f"/programme/results/{result.pk}/edit/"
    assert link in client_for(users["embassy-ro"]).get(url).content.decode()
    page = client_for(users["coordinator-ro"]).get(url).content.decode()
    assert "Victims referred" in page and link not in page


def test_the_period_edit_form_starts_from_the_recorded_values(framework) -> None:
    users, _actions, _result, _indicator, period = framework
    form = client_for(users["manager"]).get(f"/programme/periods/{period.pk}/edit/").context["form"]
    assert {name: form[name].value() for name in ("target", "sex_female_target", "sex_male_actual",
                                                  "age_0_17_actual", "age_40plus_actual")} == {
        "target": D("60.00"), "sex_female_target": D("40.00"), "sex_male_actual": D("15.00"),
        "age_0_17_actual": D("12.00"), "age_40plus_actual": None}
