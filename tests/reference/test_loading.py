"""The loader: pure checks of the files (no database), then loading again through the real models."""

from __future__ import annotations

import copy
import datetime
from importlib.metadata import version

import pycountry
import pytest
from django.apps import apps

from palermo.reference import loading
from palermo.reference.models import Indicator, IndicatorList, InstrumentStatus

DIMENSIONS = {row["code"] for row in loading.read("indicator_dimensions.json")}


def test_country_rows_without_database() -> None:
    rows = loading.country_rows()
    codes = [row["code"] for row in rows]
    assert len(rows) == len(pycountry.countries) + 1 == 250
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    assert len({row["alpha3"] for row in rows}) == 250
    by_code = {row["code"]: row for row in rows}
    assert by_code["XK"]["alpha3"] == "XKX" and by_code["XK"]["is_programme"]
    assert {c for c, r in by_code.items() if r["is_programme"]} == {
        "AL", "BA", "BG", "HR", "GR", "XK", "MD", "ME", "MK", "RO", "RS",
    }
    assert [c for c, r in by_code.items() if r["is_steering"]] == ["FR"]
    assert sum(r["is_eu_member"] for r in rows) == 27
    assert by_code["AL"]["name_fr"] == "Albanie"
    assert (by_code["MD"]["name_en"], by_code["MD"]["name_fr"]) == ("Moldova", "Moldavie")
    assert by_code["DE"]["source"] == f"ISO 3166-1 via pycountry {version('pycountry')}"
    assert all(row["name_en"] and row["name_fr"] and row["source"] for row in rows)


def test_french_name_falls_back_to_the_iso_name() -> None:
    assert loading.french_name("South Korea", "Korea, Republic of") == "Corée du Sud"
    # pycountry's catalogue has no French for the common name "Iran": use the ISO name's translation
    assert loading.french_name("Iran", "Iran, Islamic Republic of") == "Iran, République islamique d'"
    assert loading.french_name("France", "France") == "France"


def test_all_data_files_pass_the_checks() -> None:
    loading.check_all()


def test_every_entry_has_a_source() -> None:
    for name in ("objectives.json", "thb_forms.json", "instruments.json", "exploitation_forms.json",
                 "indicator_dimensions.json"):
        assert all(row["source"].strip() for row in loading.read(name)), name
    assert all(row["source"] for row in loading.read("instrument_statuses.json")["statuses"])
    for name in loading.INDICATOR_FILES:
        spec = loading.read(name)
        assert spec["source"] and spec["verified"] is False
        assert all(item["source"] for item in spec["indicators"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda spec: spec["indicators"][0].update(strength="very strong"), "strength"),
        (lambda spec: spec["indicators"][0].update(dimension="nowhere"), "unknown dimension"),
        (lambda spec: spec["indicators"].append(dict(spec["indicators"][0])), "duplicate"),
        (lambda spec: spec["indicators"][0].update(strength="weak"), "no weak tier"),
        (lambda spec: spec.update(source=""), "source"),
        (lambda spec: spec["case_rule"]["all_of"].append({"any_of": ["nowhere"]}), "unknown dimensions"),
        (lambda spec: spec["dimension_rule"]["positive_if_any"].append({"strongest": 1}), "unknown count"),
    ],
)
def test_the_checks_catch_broken_lists(change, message) -> None:
    spec = copy.deepcopy(loading.read("indicators_child_labour.json"))
    loading.check_indicator_list(spec, DIMENSIONS)
    change(spec)
    with pytest.raises(loading.ReferenceDataError, match=message):
        loading.check_indicator_list(spec, DIMENSIONS)


@pytest.mark.django_db
def test_loading_again_is_idempotent_and_keeps_researched_statuses() -> None:
    status = InstrumentStatus.objects.get(instrument="palermo-protocol", country="AL")
    status.status = InstrumentStatus.Status.RATIFIED
    status.ratified_on = datetime.date(2002, 8, 21)
    status.source = "test: entered by staff"
    status.save()
    counts = loading.load_all(apps.get_model)
    assert counts == {
        "countries": 250, "objectives": 4, "thb_forms": 2, "instruments": 10, "instrument_statuses_created": 0,
        "exploitation_forms": 11, "indicator_dimensions": 6, "indicators": 68 + 68 + 66 + 66,
    }
    status.refresh_from_db()
    assert (status.status, status.source) == ("ratified", "test: entered by staff")
    assert InstrumentStatus.objects.count() == 110
    assert Indicator.objects.count() == 268


@pytest.mark.django_db
def test_a_missing_status_is_seeded_and_an_indicator_list_follows_its_file() -> None:
    InstrumentStatus.objects.filter(instrument="ilo-p29", country="RS").delete()
    adult = IndicatorList.objects.get(code="adult-labour", version="2009")
    Indicator.objects.create(indicator_list=adult, dimension_id="exploitative_conditions",
                             code="not_in_the_file", text_en="x", text_fr="x", strength="weak")
    adult.indicators.filter(code="hazardous_work").update(strength="strong", text_en="changed")
    assert loading.load_instrument_statuses(InstrumentStatus) == 1
    assert loading.load_indicator_lists(IndicatorList, Indicator) == 268
    assert not adult.indicators.filter(code="not_in_the_file").exists()
    hazardous = adult.indicators.get(code="hazardous_work")
    assert (hazardous.strength, hazardous.text_en) == ("medium", "Hazardous work")
