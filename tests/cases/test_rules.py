"""Pure rules: CTDC age bands, minor at exploitation, form of THB, field encryption."""

from __future__ import annotations

from datetime import date

import pytest

from palermo.cases.crypto import DecryptionError, FieldCipher
from palermo.cases.rules import age_band, age_on, derived_fields, minor_at_exploitation, normalise_age_band, thb_form


@pytest.mark.parametrize(("age", "band"), [
    (0, "0-8"), (8, "0-8"), (9, "9-17"), (17, "9-17"), (18, "18-20"), (20, "18-20"), (21, "21-23"), (24, "24-26"),
    (27, "27-29"), (29, "27-29"), (30, "30-38"), (38, "30-38"), (39, "39-47"), (47, "39-47"), (48, "48+"),
    (95, "48+"), (None, ""), (-1, ""),
])
def test_ages_fall_in_the_ctdc_bands(age: int | None, band: str) -> None:
    assert age_band(age) == band


@pytest.mark.parametrize(("text", "band"), [("0--8", "0-8"), ("0—8", "0-8"), ("48 +", "48+"), ("9–17", "9-17"),
                                            ("18-21", None), ("adult", None)])
def test_bands_written_as_ctdc_files_print_them_are_read(text: str, band: str | None) -> None:
    assert normalise_age_band(text) == band


def test_age_counts_whole_years_up_to_the_birthday() -> None:
    assert age_on(date(2008, 6, 15), date(2026, 6, 14)) == 17
    assert age_on(date(2008, 6, 15), date(2026, 6, 15)) == 18
    assert age_on(date(2008, 6, 15), None) is None


def test_a_minor_when_identified_was_a_minor_when_exploited_but_not_the_reverse() -> None:
    assert minor_at_exploitation(age_when_trafficked=None, age_at_exploitation=None, age_at_identification=16)
    assert minor_at_exploitation(age_when_trafficked=None, age_at_exploitation=None, age_at_identification=19) is None
    assert minor_at_exploitation(age_when_trafficked=15, age_at_exploitation=None, age_at_identification=19) is True
    assert minor_at_exploitation(age_when_trafficked=None, age_at_exploitation=18, age_at_identification=20) is False


@pytest.mark.parametrize(("citizenship", "recruitment", "transit", "exploitation", "form"), [
    ("AL", "AL", [], "AL", "traditional"),  # domestic
    ("MD", "MD", ["RO"], "IT", "traditional"),  # European citizen trafficked across borders
    ("AF", "AF", ["TR", "GR", "MK"], "RS", "migration_route"),  # along the Balkan route
    ("SY", "", [], "GR", "migration_route"),  # non-European origin exploited in Europe
    ("", "PK", ["TR"], "GR", "migration_route"),  # origin from the place of recruitment
    ("NP", "NP", [], "QA", "traditional"),  # outside Europe, direct
    ("NP", "NP", ["IN"], "QA", "migration_route"),  # outside Europe, through a third country
    ("AL", "AL", ["GR"], "", ""),  # no country of exploitation
    ("", "", ["GR"], "RS", ""),  # no origin
])
def test_form_of_thb_follows_the_documented_rule(citizenship: str, recruitment: str, transit: list[str],
                                                  exploitation: str, form: str) -> None:
    assert thb_form(citizenship=citizenship, recruitment_country=recruitment, transit_countries=transit,
                    exploitation_country=exploitation) == form


def test_derived_fields_keep_the_override_beside_the_rule() -> None:
    values = derived_fields(
        birth_date=date(2009, 3, 1), identification_date=date(2025, 2, 1), age_at_identification=None,
        age_when_trafficked=None, exploitation_date=date(2024, 1, 1), citizenship="AF", recruitment_country="AF",
        transit_countries=["TR", "GR"], exploitation_country="RS", thb_form_override="traditional",
    )
    assert values == {
        "year_identified": 2025, "age_at_identification": 15, "age_band": "9-17", "is_minor": True,
        "country_of_exploitation_id": "RS", "transit_countries": ["TR", "GR"],
        "thb_form_computed": "migration_route", "thb_form": "traditional",
    }


def test_a_band_from_the_source_is_kept_when_no_age_is_known() -> None:
    values = derived_fields(
        birth_date=None, identification_date=None, age_at_identification=None, age_when_trafficked=None,
        exploitation_date=None, citizenship="", recruitment_country="", transit_countries=[],
        exploitation_country="", known_age_band="0-8", known_year=2016,
    )
    assert (values["age_band"], values["is_minor"], values["year_identified"]) == ("0-8", True, 2016)


def test_encrypted_values_differ_each_time_and_need_the_key() -> None:
    cipher = FieldCipher("one secret")
    first, second = cipher.encrypt("Ana Popescu"), cipher.encrypt("Ana Popescu")
    assert first != second and "Ana" not in first
    assert cipher.decrypt(first) == "Ana Popescu"
    with pytest.raises(DecryptionError):
        FieldCipher("another secret").decrypt(first)
