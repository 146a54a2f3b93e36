"""The dimension and combination rules of indicator screening, read from the reference data files (no database)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from palermo.screening import scoring
from palermo.screening.legal_texts import Text
from palermo.screening.scoring import DimensionSpec, IndicatorSpec, ListSpec

DATA = Path(scoring.__file__).resolve().parent.parent / "reference" / "data"
DIMENSIONS = json.loads((DATA / "indicator_dimensions.json").read_text())


def spec_from_file(name: str) -> ListSpec:
    raw = json.loads((DATA / name).read_text())
    return ListSpec(
        code=raw["code"], version=raw["version"], population=raw["population"], exploitation=raw["exploitation"],
        verified=raw["verified"], source=raw["source"], dimension_rule=raw["dimension_rule"],
        case_rule=raw["case_rule"],
        dimensions=[DimensionSpec(d["code"], d["stage"], Text(d["name_en"], d["name_fr"])) for d in DIMENSIONS],
        indicators=[IndicatorSpec(i["dimension"], i["code"], i["strength"], Text(i["text_en"], i["text_fr"]))
                    for i in raw["indicators"]],
    )


ADULT = spec_from_file("indicators_adult_labour.json")
CHILD = spec_from_file("indicators_child_labour.json")
RULE = ADULT.dimension_rule


def tally(strong: int = 0, medium: int = 0, weak: int = 0) -> dict[str, int]:
    return {"strong": strong, "medium": medium, "weak": weak}


@pytest.mark.parametrize(("strong", "medium", "weak"), [
    (2, 0, 0), (1, 1, 0), (1, 0, 1), (0, 3, 0), (0, 2, 1),  # each threshold
    (3, 0, 0), (1, 2, 2), (0, 4, 0), (0, 2, 3), (2, 1, 1),  # beyond it
])
def test_the_dimension_rule_at_each_threshold(strong: int, medium: int, weak: int) -> None:
    assert scoring.dimension_positive(RULE, tally(strong, medium, weak)) is True


@pytest.mark.parametrize(("strong", "medium", "weak"), [
    (0, 0, 0), (1, 0, 0),  # one strong alone
    (0, 2, 0), (0, 1, 0),  # one medium short of three
    (0, 1, 1), (0, 1, 2), (0, 0, 1), (0, 0, 2), (0, 0, 3), (0, 0, 9),  # weak never makes up for a medium
])
def test_every_near_miss_of_the_dimension_rule(strong: int, medium: int, weak: int) -> None:
    assert scoring.dimension_positive(RULE, tally(strong, medium, weak)) is False


def test_the_four_shipped_lists_carry_the_same_dimension_rule() -> None:
    for name in ("adult_labour", "adult_sexual", "child_labour", "child_sexual"):
        assert spec_from_file(f"indicators_{name}.json").dimension_rule == {"positive_if_any": [
            {"strong": 2}, {"strong": 1, "medium_or_weak": 1}, {"medium": 3}, {"medium": 2, "weak": 1}]}


def keys(spec: ListSpec, dimension: str, strength: str, count: int) -> list[str]:
    found = [i.key for i in spec.indicators if i.dimension == dimension and i.strength == strength]
    assert len(found) >= count, (dimension, strength)
    return found[:count]


def positive(spec: ListSpec, dimension: str) -> list[str]:
    """Enough indicators to make the dimension positive: three medium ones."""
    return keys(spec, dimension, "medium", 3)


RECRUITMENT = ("deceptive_recruitment", "coercive_recruitment", "abuse_vulnerability_recruitment")
DESTINATION = ("coercion_destination", "abuse_vulnerability_destination")


@pytest.mark.parametrize("recruitment", RECRUITMENT)
@pytest.mark.parametrize("destination", DESTINATION)
def test_the_adult_rule_recruitment_exploitation_destination(recruitment: str, destination: str) -> None:
    ticked = positive(ADULT, recruitment) + positive(ADULT, "exploitative_conditions") + positive(ADULT, destination)
    result = scoring.score(ADULT, ticked)
    assert result.possible_victim is True
    assert [d.dimension.code for d in result.positive_dimensions] == sorted(
        [recruitment, "exploitative_conditions", destination], key=[d.code for d in ADULT.dimensions].index)
    assert result.referral == "refer_presumed_victim"


@pytest.mark.parametrize("missing", ["recruitment", "exploitation", "destination"])
def test_the_adult_rule_near_misses(missing: str) -> None:
    parts = {"recruitment": positive(ADULT, "deceptive_recruitment"),
             "exploitation": positive(ADULT, "exploitative_conditions"),
             "destination": positive(ADULT, "coercion_destination")}
    parts[missing] = parts[missing][:2]  # one indicator short: the dimension is not positive
    result = scoring.score(ADULT, [key for part in parts.values() for key in part])
    assert result.possible_victim is False
    assert len(result.positive_dimensions) == 2
    assert result.referral == "assess_further"


def test_the_child_rule_needs_no_destination_dimension() -> None:
    ticked = keys(CHILD, "coercive_recruitment", "strong", 2) + positive(CHILD, "exploitative_conditions")
    result = scoring.score(CHILD, ticked)
    assert result.possible_victim is True
    assert result.referral == "refer_child"
    assert result.clauses == [(list(RECRUITMENT), True), (["exploitative_conditions"], True)]


@pytest.mark.parametrize("missing", ["recruitment", "exploitation"])
def test_the_child_rule_near_misses(missing: str) -> None:
    parts = {"recruitment": keys(CHILD, "deceptive_recruitment", "strong", 2),
             "exploitation": positive(CHILD, "exploitative_conditions")}
    parts[missing] = parts[missing][:1]
    ticked = [key for part in parts.values() for key in part] + keys(CHILD, "coercion_destination", "strong", 2)
    assert scoring.score(CHILD, ticked).possible_victim is False


def test_the_same_facts_are_a_child_case_but_not_an_adult_case() -> None:
    ticked = positive(ADULT, "abuse_vulnerability_recruitment") + positive(ADULT, "exploitative_conditions")
    assert scoring.score(ADULT, ticked).possible_victim is False
    assert scoring.score(CHILD, ticked).possible_victim is True


def test_nothing_ticked_gives_no_indication() -> None:
    result = scoring.score(ADULT, [])
    assert (result.possible_victim, result.referral, result.positive_dimensions) == (False, "no_indication", [])


def test_a_bare_code_is_accepted_when_it_names_one_indicator() -> None:
    unique = next(i for i in ADULT.indicators if sum(j.code == i.code for j in ADULT.indicators) == 1)
    assert scoring.score(ADULT, [unique.code]).ticked == [unique.key]


def test_unknown_and_ambiguous_codes_are_refused_by_name() -> None:
    with pytest.raises(scoring.ScreeningInputError) as caught:
        scoring.score(ADULT, ["debt_bondage", "flying_carpet"])
    assert caught.value.problems == [
        "debt_bondage: in several dimensions of adult-labour 2009; give one of coercive_recruitment/debt_bondage, "
        "coercion_destination/debt_bondage",
        "flying_carpet: not an indicator of adult-labour 2009",
    ]


def test_the_result_as_json_names_the_indicators_and_warns_of_an_unverified_list() -> None:
    ticked = keys(ADULT, "coercion_destination", "strong", 2)
    answer: dict[str, Any] = scoring.score(ADULT, ticked).as_dict("fr")
    assert answer["possible_victim"] is False
    assert [d["dimension"] for d in answer["positive_dimensions"]] == ["coercion_destination"]
    assert [i["key"] for i in answer["positive_dimensions"][0]["indicators"]] == ticked
    assert answer["positive_dimensions"][0]["counts"] == {"strong": 2, "medium": 0, "weak": 0}
    assert answer["verified"] is False
    assert answer["warning"].startswith("Cette liste n'a pas été vérifiée")
    assert answer["notice"] == ("Un résultat de repérage est une indication pour l'orientation, jamais une "
                                "constatation juridique.")


def test_a_verified_list_carries_no_warning() -> None:
    from dataclasses import replace

    assert scoring.score(replace(ADULT, verified=True), []).as_dict()["warning"] == ""
