"""Indicators measured from the platform's records: the periods' actuals follow the feed, not the keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from palermo.audit.models import AuditEvent
from palermo.programme import feeds, services
from palermo.programme.feeds import Measurement
from palermo.programme.models import Indicator, Period, PeriodDisaggregation, Result
from tests.programme.helpers import client_for, snapshot

pytestmark = pytest.mark.django_db

# What the feed "counts": (action id, day, sex) of each record, as an app's table would hold them.
RECORDS: list[tuple[int, date, str]] = []


def people_trained(action_id: int, start: date, end: date) -> Measurement | None:
    rows = [sex for action, day, sex in RECORDS if action == action_id and start <= day <= end]
    if not rows:
        return None
    return Measurement(total=D(len(rows)), by_sex={sex: D(rows.count(sex)) for sex in sorted(set(rows))})


@pytest.fixture
def feed() -> Iterator[str]:
    RECORDS.clear()
    feeds.register_feed(key="tests.people_trained", label="People trained (test)", compute=people_trained)
    yield "tests.people_trained"
    feeds._FEEDS.pop("tests.people_trained", None)
    RECORDS.clear()


@pytest.fixture
def measured(editing_world, feed):
    users, actions = editing_world
    manager = users["manager"]
    result = services.save_result(acting_user=manager, action=actions["ro"], result_type=Result.Type.OUTPUT,
                                  title_en="Professionals trained")
    indicator = services.save_indicator(acting_user=manager, result=result, title_en="People trained",
                                        measure=Indicator.Measure.UNIT, disaggregated_by_sex=True,
                                        measured_by=feed)
    return users, actions, indicator


def test_a_period_of_a_measured_indicator_takes_its_actuals_from_the_records(measured) -> None:
    users, actions, indicator = measured
    action_id = actions["ro"].pk
    RECORDS.extend([(action_id, date(2024, 3, 1), "female"), (action_id, date(2024, 5, 2), "female"),
                    (action_id, date(2024, 6, 3), "male"), (action_id, date(2025, 2, 1), "female"),
                    (actions["iom"].pk, date(2024, 3, 1), "male")])
    period = services.save_period(acting_user=users["manager"], indicator=indicator, period_start=date(2024, 1, 1),
                                  period_end=date(2024, 12, 31), target=D("10"), actual=D("99"),
                                  breakdown=[services.Breakdown("sex", "female", D("6"), D("50"))])
    assert Period.objects.get(pk=period.pk).actual == D("3.00")  # typed 99 is not what the records say
    assert sorted(PeriodDisaggregation.objects.filter(period=period).values_list("value", "target", "actual")) == [
        ("female", D("6.00"), D("2.00")), ("male", None, D("1.00"))]


def test_refreshing_after_a_change_of_the_records_updates_and_audits_only_changed_periods(measured) -> None:
    users, actions, indicator = measured
    action_id = actions["ro"].pk
    first = services.save_period(acting_user=users["manager"], indicator=indicator, period_start=date(2024, 1, 1),
                                 period_end=date(2024, 12, 31), target=D("10"))
    second = services.save_period(acting_user=users["manager"], indicator=indicator, period_start=date(2025, 1, 1),
                                  period_end=date(2025, 12, 31), target=D("10"))
    assert (Period.objects.get(pk=first.pk).actual, Period.objects.get(pk=second.pk).actual) == (None, None)
    RECORDS.append((action_id, date(2024, 9, 9), "male"))
    before = AuditEvent.objects.count()
    assert services.refresh_measured_periods(acting_user=users["embassy-ro"], action_ids=[action_id]) == 1
    assert (Period.objects.get(pk=first.pk).actual, Period.objects.get(pk=second.pk).actual) == (D("1.00"), None)
    event = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.object_type, event.object_id, event.actor.username, event.detail["measured_by"],
            event.detail["actual"], event.detail["breakdown"]) == (
        "programme.period", str(first.pk), "embassy-ro", "tests.people_trained", "1", {"sex:male": "1"})
    assert services.refresh_measured_periods(acting_user=users["manager"], action_ids=[action_id]) == 0
    assert AuditEvent.objects.count() == before + 1


def test_an_unknown_feed_or_a_percentage_indicator_is_refused_and_nothing_changes(measured) -> None:
    users, _actions, indicator = measured
    before = snapshot()
    with pytest.raises(ValidationError) as caught:
        services.save_indicator(acting_user=users["manager"], result=indicator.result, title_en="x",
                                measured_by="nobody.counts_this")
    assert caught.value.message_dict == {"measured_by": ["No records of the platform are called “nobody.counts_this”."]}
    with pytest.raises(ValidationError) as caught:
        services.save_indicator(acting_user=users["manager"], result=indicator.result, title_en="x",
                                measure=Indicator.Measure.PERCENTAGE, measured_by="tests.people_trained")
    assert caught.value.message_dict == {
        "measured_by": ["Records give a count: an indicator measured from them is measured in units."]}
    assert snapshot() == before


def test_the_period_form_shows_the_actuals_as_computed_and_the_action_page_names_the_source(measured) -> None:
    users, actions, indicator = measured
    RECORDS.append((actions["ro"].pk, date(2024, 2, 2), "female"))
    client = client_for(users["manager"])
    response = client.post(f"/programme/indicators/{indicator.pk}/periods/new/", {
        "period_start": "2024-01-01", "period_end": "2024-12-31", "target": "5", "actual": "40",
        "sex_female_actual": "40", "comment": ""})
    assert response.status_code == 302
    period = Period.objects.get(indicator=indicator)
    assert period.actual == D("1.00")
    form = client.get(f"/programme/periods/{period.pk}/edit/").context["form"]
    assert form.fields["actual"].disabled and form.fields["sex_female_actual"].disabled
    assert not form.fields["target"].disabled
    page = client.get(f"/programme/actions/{actions['ro'].pk}/").content.decode()
    assert "actual values measured from People trained (test)" in page
