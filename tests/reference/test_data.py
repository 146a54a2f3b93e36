"""The reference data the migration loads: exact counts and values."""

from __future__ import annotations

import datetime
from collections import Counter

import pycountry
import pytest
from django.core.exceptions import ValidationError

from palermo.reference.models import (
    Country,
    ExploitationForm,
    Indicator,
    IndicatorDimension,
    IndicatorList,
    InstrumentStatus,
    LegalInstrument,
    Objective,
    ThbForm,
)

pytestmark = pytest.mark.django_db

PROGRAMME = {"AL", "BA", "BG", "HR", "GR", "XK", "MD", "ME", "MK", "RO", "RS"}
EU_IN_PROGRAMME = {"BG", "HR", "GR", "RO"}
DIMENSIONS = [
    "deceptive_recruitment",
    "coercive_recruitment",
    "abuse_vulnerability_recruitment",
    "exploitative_conditions",
    "coercion_destination",
    "abuse_vulnerability_destination",
]
# REFERENCE.md §2.6, adults / labour exploitation: (strong, medium, weak) per dimension, 68 items.
ADULT_LABOUR_COUNTS = {
    "deceptive_recruitment": (1, 8, 1),
    "coercive_recruitment": (1, 10, 0),
    "abuse_vulnerability_recruitment": (0, 14, 2),
    "exploitative_conditions": (1, 7, 1),
    "coercion_destination": (4, 10, 1),
    "abuse_vulnerability_destination": (0, 5, 2),
}


def test_every_iso_country_plus_kosovo() -> None:
    assert len(pycountry.countries) == 249
    assert Country.objects.count() == len(pycountry.countries) + 1 == 250
    kosovo = Country.objects.get(code="XK")
    assert (kosovo.alpha3, kosovo.numeric, kosovo.name_en, kosovo.name_fr) == ("XKX", "", "Kosovo", "Kosovo")
    assert "user-assigned" in kosovo.source


def test_the_eleven_programme_countries_and_the_flags() -> None:
    assert set(Country.objects.programme().values_list("code", flat=True)) == PROGRAMME
    assert list(Country.objects.filter(is_steering=True).values_list("code", flat=True)) == ["FR"]
    eu = set(Country.objects.filter(is_eu_member=True).values_list("code", flat=True))
    assert len(eu) == 27
    assert eu & PROGRAMME == EU_IN_PROGRAMME
    assert {"FR", "DE", "AT", "CY"} <= eu
    assert "GB" not in eu


def test_names_users_expect() -> None:
    albania = Country.objects.get(code="AL")
    assert (albania.name_en, albania.name_fr, albania.alpha3, albania.numeric) == ("Albania", "Albanie", "ALB", "008")
    assert albania.source == f"ISO 3166-1 via pycountry {pycountry_version()}"
    names = dict(Country.objects.filter(code__in=["MD", "MK", "BA"]).values_list("code", "name_en"))
    assert names == {"MD": "Moldova", "MK": "North Macedonia", "BA": "Bosnia and Herzegovina"}
    assert Country.objects.get(code="MD").name_fr == "Moldavie"
    assert Country.objects.get(code="MK").name_fr == "Macédoine du Nord"
    assert Country.objects.get(code="BA").name_fr == "Bosnie-Herzégovine"
    assert Country.objects.get(code="GR").name_fr == "Grèce"
    assert Country.objects.get(code="FR").name_fr == "France"
    # pycountry's common name is used when it has one
    assert Country.objects.get(code="KR").name_en == "South Korea"
    assert Country.objects.get(code="KR").name_fr == "Corée du Sud"


def pycountry_version() -> str:
    from importlib.metadata import version

    return version("pycountry")


def test_objectives_and_forms_of_trafficking() -> None:
    assert list(Objective.objects.values_list("number", "code")) == [
        (1, "understand"), (2, "warn"), (3, "protect"), (4, "cooperate"),
    ]
    assert all(o.name_fr and o.description_en and o.description_fr and o.source for o in Objective.objects.all())
    assert set(ThbForm.objects.values_list("code", flat=True)) == {"traditional", "migration_route"}
    assert "minority" in ThbForm.objects.get(code="traditional").description_en


def test_legal_instruments_and_their_dates() -> None:
    instruments = {i.code: i for i in LegalInstrument.objects.all()}
    assert set(instruments) == {
        "palermo-protocol", "warsaw-convention", "directive-2011-36", "directive-2024-1712", "ilo-c29", "ilo-p29",
        "crc-opsc", "untoc", "crc", "ilo-c182",
    }
    assert instruments["palermo-protocol"].adopted_on == datetime.date(2000, 11, 15)
    assert instruments["palermo-protocol"].in_force_on == datetime.date(2003, 12, 25)
    assert instruments["warsaw-convention"].in_force_on == datetime.date(2008, 2, 1)
    assert instruments["directive-2011-36"].adopted_on == datetime.date(2011, 4, 5)
    assert instruments["directive-2011-36"].in_force_on is None  # not certain: left empty
    assert instruments["directive-2024-1712"].in_force_on == datetime.date(2024, 7, 14)
    assert instruments["crc-opsc"].in_force_on == datetime.date(2002, 1, 18)
    # named by the programme text: the Palermo Convention itself, the CRC, ILO C182 (dates to check, each sourced)
    assert instruments["untoc"].adopted_on == instruments["palermo-protocol"].adopted_on
    assert instruments["crc"].in_force_on == datetime.date(1990, 9, 2)
    assert instruments["ilo-c182"].adopted_on == datetime.date(1999, 6, 17)
    named = InstrumentStatus.objects.filter(instrument__in=["untoc", "crc", "ilo-c182"])
    assert named.count() == 33 and all(s.status == "unknown" and s.source for s in named)
    eu_only = {c for c, i in instruments.items() if i.binds_eu_members_only}
    assert eu_only == {"directive-2011-36", "directive-2024-1712"}
    assert all(i.source for i in instruments.values())


def test_one_status_per_instrument_and_programme_country_and_unknown_stays_unknown() -> None:
    assert InstrumentStatus.objects.count() == 10 * 11
    assert set(InstrumentStatus.objects.values_list("country_id", flat=True)) == PROGRAMME
    for status in InstrumentStatus.objects.all():
        assert status.signed_on is None and status.ratified_on is None and status.transposed_on is None
        assert status.source and status.note
    assert not InstrumentStatus.objects.filter(status__in=["ratified", "signed", "transposed"]).exists()
    counts = Counter(InstrumentStatus.objects.values_list("status", flat=True))
    assert counts == {"unknown": 91, "not_applicable": 14, "transposition_pending": 4, "not_party": 1}


def test_the_status_exceptions() -> None:
    kosovo = InstrumentStatus.objects.get(instrument="warsaw-convention", country="XK")
    assert kosovo.status == InstrumentStatus.Status.NOT_PARTY
    assert "unverified" in kosovo.source
    for code in EU_IN_PROGRAMME:
        pending = InstrumentStatus.objects.get(instrument="directive-2024-1712", country=code)
        assert pending.status == InstrumentStatus.Status.TRANSPOSITION_PENDING
        assert pending.note == "transposition deadline 2026-07-15; date of national transposition to be confirmed"
        assert InstrumentStatus.objects.get(instrument="directive-2011-36", country=code).status == "unknown"
    for code in PROGRAMME - EU_IN_PROGRAMME:
        for directive in ("directive-2011-36", "directive-2024-1712"):
            row = InstrumentStatus.objects.get(instrument=directive, country=code)
            assert row.status == InstrumentStatus.Status.NOT_APPLICABLE
            assert row.note == "binding on EU member states only; relevant to candidates through acquis chapter 24"
    assert InstrumentStatus.objects.get(instrument="palermo-protocol", country="AL").status == "unknown"


def test_status_clean_rejects_ratification_before_signature() -> None:
    status = InstrumentStatus(
        instrument_id="warsaw-convention", country_id="FR", status=InstrumentStatus.Status.RATIFIED,
        signed_on=datetime.date(2005, 5, 16), ratified_on=datetime.date(2005, 5, 15), source="test",
    )
    with pytest.raises(ValidationError) as error:
        status.clean()
    assert "ratified_on" in error.value.message_dict
    status.ratified_on = datetime.date(2008, 1, 9)
    status.clean()


def test_status_clean_rejects_dates_on_an_unknown_status() -> None:
    status = InstrumentStatus(instrument_id="ilo-c29", country_id="FR", signed_on=datetime.date(2000, 1, 1))
    with pytest.raises(ValidationError) as error:
        status.clean()
    assert "status" in error.value.message_dict


def test_exploitation_forms() -> None:
    forms = {f.code: f for f in ExploitationForm.objects.select_related("instrument")}
    assert len(forms) == 11
    assert list(ExploitationForm.objects.values_list("order", flat=True)) == list(range(1, 12))
    assert forms["sexual_exploitation"].htcds_code == "SexualExploitation"
    assert forms["forced_labour"].htcds_code == "ForcedLabour"
    assert forms["begging"].htcds_code == "ForcedBegging"
    assert forms["begging"].ctdc2017_code == "typeOfLabourBegging"
    assert forms["organ_removal"].ctdc2024_code == "isOtherExploit"
    assert forms["forced_military"].htcds_code == "ForcedMilitaryByNonStateActors"
    assert forms["forced_military"].ctdc2017_code == "isForcedMilitary"
    assert forms["criminal_activities"].htcds_code == ""  # HTCDS has none (issue #28)
    assert forms["sexual_exploitation"].instrument.code == "palermo-protocol"
    assert forms["begging"].instrument.code == "directive-2011-36"
    assert {c for c, f in forms.items() if f.instrument_id == "directive-2024-1712"} == {
        "surrogacy", "forced_marriage", "illegal_adoption",
    }
    assert forms["sexual_exploitation"].glotip_category == "Sexual exploitation"
    assert {f.glotip_category for f in forms.values()} == {
        "Sexual exploitation", "Forced labour", "Other forms of exploitation",
    }
    assert all(f.name_fr and f.source and f.article for f in forms.values())


def test_indicator_lists_and_dimensions() -> None:
    assert list(IndicatorDimension.objects.values_list("code", flat=True)) == DIMENSIONS
    assert dict(IndicatorDimension.objects.values_list("code", "stage")) == {
        "deceptive_recruitment": "recruitment", "coercive_recruitment": "recruitment",
        "abuse_vulnerability_recruitment": "recruitment", "exploitative_conditions": "exploitation",
        "coercion_destination": "destination", "abuse_vulnerability_destination": "destination",
    }
    lists = {il.code: il for il in IndicatorList.objects.all()}
    assert set(lists) == {"adult-labour", "adult-sexual", "child-labour", "child-sexual"}
    rule = {"positive_if_any": [{"strong": 2}, {"strong": 1, "medium_or_weak": 1}, {"medium": 3},
                                {"medium": 2, "weak": 1}]}
    recruitment = {"any_of": DIMENSIONS[:3]}
    for il in lists.values():
        assert il.version == "2009"
        assert il.verified is False
        assert "NOT checked" in il.source
        assert il.dimension_rule == rule
        assert set(il.indicators.values_list("dimension_id", flat=True)) == set(DIMENSIONS)
        if il.population == "adult":
            assert il.case_rule == {"all_of": [recruitment, {"any_of": ["exploitative_conditions"]},
                                               {"any_of": ["coercion_destination", "abuse_vulnerability_destination"]}]}
        else:
            assert il.case_rule == {"all_of": [recruitment, {"any_of": ["exploitative_conditions"]}]}
            assert not il.indicators.filter(strength="weak").exists()


def test_adult_labour_list_matches_reference_counts() -> None:
    items = Indicator.objects.filter(indicator_list__code="adult-labour")
    assert items.count() == 68
    counts = Counter(items.values_list("dimension_id", "strength"))
    for dimension, (strong, medium, weak) in ADULT_LABOUR_COUNTS.items():
        assert (counts[(dimension, "strong")], counts[(dimension, "medium")], counts[(dimension, "weak")]) == (
            strong, medium, weak,
        ), dimension
    first = items.get(dimension_id="deceptive_recruitment", strength="strong")
    assert first.text_en == "Deceived about the nature of the job, location or employer"
    assert first.text_fr.startswith("Trompé(e) sur la nature de l'emploi")
    assert all(i.text_fr and i.text_fr != i.text_en for i in items.exclude(code="general_context"))


def test_child_and_sexual_lists_differ_where_expected() -> None:
    def strength(list_code: str, dimension: str, code: str) -> str:
        return Indicator.objects.get(indicator_list__code=list_code, dimension_id=dimension, code=code).strength

    for child in ("child-labour", "child-sexual"):
        assert strength(child, "deceptive_recruitment", "deceived_education_opportunities") == "strong"
        assert strength(child, "coercive_recruitment", "threats_violence_victim") == "strong"
        assert strength(child, "coercive_recruitment", "debt_bondage") == "strong"
    assert strength("adult-labour", "coercive_recruitment", "debt_bondage") == "medium"
    for sexual in ("adult-sexual", "child-sexual"):
        prostitution = Indicator.objects.filter(indicator_list__code=sexual, code="deceived_conditions_of_prostitution")
        assert prostitution.exists()
        assert strength(sexual, "coercion_destination", "forced_tasks_or_clients") == "strong"
    assert Indicator.objects.filter(indicator_list__code="adult-sexual").count() == 68
    assert Indicator.objects.filter(indicator_list__code="child-labour").count() == 66
    assert Indicator.objects.filter(indicator_list__code="child-sexual").count() == 66
