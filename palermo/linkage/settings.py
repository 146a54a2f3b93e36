"""Splink settings per kind of entity: persons, organisations, phones, accounts.

Each comparison lists its levels from the most to the least alike; Splink learns how much each level says (m and u
probabilities) from the data itself (``engine.train``). The levels are written with Splink's comparison-level
library, so that the same settings run on DuckDB and on Spark.

Persons (columns of ``records.prepare``):
- names: exact; first name and surname swapped; the same name behind a nickname ("Bob" / "Robert", "Sasha" /
  "Aleksandar"); Jaro-Winkler 0.92 and 0.88; the same sound key ("Hoxha" / "Hodja"); Jaro-Winkler 0.7. Cyrillic and
  Greek were transliterated and diacritics dropped before (``names.fold``);
- date of birth: exact; day and month swapped (09/04 written 04/09); one character apart (a typo); within a
  month, a year, ten years;
- documents: the same number; one number in common; one or two characters apart;
- where known: city, postcode, street, street number, e-mail, gender.

Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Literal

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

ENTITY_TYPES = ("persons", "organisations", "phones", "accounts")
LinkType = Literal["link_only", "link_and_dedupe", "dedupe_only"]


def _name_comparison(column: str, other: str, *, with_canonical: bool) -> cl.CustomComparison:
    levels: list[Any] = [
        cll.NullLevel(column),
        cll.ExactMatchLevel(column).configure(tf_adjustment_column=column),
        cll.ColumnsReversedLevel(column, other).configure(label_for_charts=f"{column} written as the other name"),
    ]
    if with_canonical:
        levels.append(
            cll.ExactMatchLevel(f"{column}_canonical").configure(label_for_charts="Same name behind a nickname")
        )
    levels += [
        cll.JaroWinklerLevel(column, 0.92),
        cll.JaroWinklerLevel(column, 0.88),
        cll.ExactMatchLevel(f"{column}_key").configure(label_for_charts="Same sound key"),
        cll.JaroWinklerLevel(column, 0.7),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(
        levels,
        output_column_name=column,
        comparison_description=f"{column}: exact, swapped, nickname, similar, sounds alike",
    )


def _dob_comparison() -> cl.CustomComparison:
    swapped = (
        "substr(dob_l, 1, 4) = substr(dob_r, 1, 4) AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2) "
        "AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)"
    )
    return cl.CustomComparison(
        [
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob").configure(tf_adjustment_column="dob"),
            cll.CustomLevel(swapped, label_for_charts="Day and month swapped"),
            cll.DamerauLevenshteinLevel("dob", 1).configure(label_for_charts="One typo (Damerau-Levenshtein <= 1)"),
            cll.AbsoluteDateDifferenceLevel("dob", input_is_string=True, threshold=1, metric="month").configure(
                label_for_charts="Within a month"
            ),
            cll.AbsoluteDateDifferenceLevel("dob", input_is_string=True, threshold=1, metric="year").configure(
                label_for_charts="Within a year"
            ),
            cll.AbsoluteDateDifferenceLevel("dob", input_is_string=True, threshold=10, metric="year").configure(
                label_for_charts="Within ten years"
            ),
            cll.ElseLevel(),
        ],
        output_column_name="dob",
        comparison_description="date of birth: exact, swapped, typo, close",
    )


def _document_comparison(with_list: bool) -> cl.CustomComparison:
    levels: list[Any] = [
        cll.NullLevel("document"),
        cll.ExactMatchLevel("document").configure(tf_adjustment_column="document"),
    ]
    if with_list:
        levels.append(cll.ArrayIntersectLevel("documents", 1).configure(label_for_charts="A number in common"))
    levels += [cll.DamerauLevenshteinLevel("document", 1), cll.DamerauLevenshteinLevel("document", 2), cll.ElseLevel()]
    return cl.CustomComparison(
        levels, output_column_name="document", comparison_description="document numbers: same, shared, one or two typos"
    )


def person_settings(columns: Collection[str], *, link_type: LinkType = "dedupe_only") -> SettingsCreator:
    """Settings for the person columns present in ``columns`` (those of ``records.prepare``)."""
    comparisons: list[Any] = [
        _name_comparison("first_name", "surname", with_canonical="first_name_canonical" in columns),
        _name_comparison("surname", "first_name", with_canonical=False),
    ]
    rules: list[Any] = [block_on("first_name", "surname"), "l.first_name = r.surname AND l.surname = r.first_name"]
    if "dob" in columns:
        comparisons.append(_dob_comparison())
        # the date alone would give tens of millions of pairs at a million records: with an initial
        rules.append(block_on("dob", "substr(first_name, 1, 1)"))
        rules.append(block_on("dob", "substr(surname, 1, 1)"))
    if "document" in columns:
        comparisons.append(_document_comparison("documents" in columns))
        rules.append(block_on("document"))
    if "postcode" in columns:
        comparisons.append(cl.ExactMatch("postcode").configure(term_frequency_adjustments=True))
        rules.append(block_on("postcode", "surname_key"))
    if "city" in columns:
        comparisons.append(cl.JaroWinklerAtThresholds("city", [0.92]))
    if "street" in columns:
        comparisons.append(cl.JaroWinklerAtThresholds("street", [0.9, 0.8]))
    if "street_number" in columns:
        comparisons.append(cl.ExactMatch("street_number"))
    if "email" in columns:
        comparisons.append(cl.EmailComparison("email"))
        rules.append(block_on("email"))
    if "gender" in columns:
        comparisons.append(cl.ExactMatch("gender"))
    if "dob" in columns:
        rules.append(block_on("first_name_key", "surname_key"))
        rules.append(block_on("surname_key", "substr(dob, 1, 4)"))
        rules.append(block_on("first_name_key", "substr(surname, 1, 2)", "substr(dob, 1, 4)"))
    return SettingsCreator(
        link_type=link_type,
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )


def person_training_rules(columns: Collection[str]) -> list[Any]:
    """Blocking rules for the EM passes that estimate m: each leaves out the columns it blocks on, so together
    they estimate every comparison."""
    rules: list[Any] = [block_on("first_name", "surname")]
    if "dob" in columns:
        rules.append(block_on("dob"))
    if "document" in columns:
        rules.append(block_on("document"))
    return rules


def organisation_settings(*, link_type: LinkType = "dedupe_only") -> SettingsCreator:
    """Organisations: folded name (``names.fold``), registration number, country, city."""
    return SettingsCreator(
        link_type=link_type,
        comparisons=[
            cl.NameComparison("name"),
            cl.ExactMatch("registration_number"),
            cl.ExactMatch("country"),
            cl.JaroWinklerAtThresholds("city", [0.92]),
        ],
        blocking_rules_to_generate_predictions=[block_on("registration_number"), block_on("name_key", "country")],
    )


def phone_settings(*, link_type: LinkType = "dedupe_only") -> SettingsCreator:
    """Phones in E.164 (FollowTheMoney normalises them with the record's country): number, then last 8 digits."""
    return SettingsCreator(
        link_type=link_type,
        comparisons=[
            cl.CustomComparison(
                [
                    cll.NullLevel("phone"),
                    cll.ExactMatchLevel("phone"),
                    cll.ExactMatchLevel("phone_tail"),
                    cll.ElseLevel(),
                ],
                output_column_name="phone",
            ),
            cl.NameComparison("holder"),
        ],
        blocking_rules_to_generate_predictions=[block_on("phone_tail")],
    )


def account_settings(*, link_type: LinkType = "dedupe_only") -> SettingsCreator:
    """Bank accounts: IBAN, else bank and account number, with the holder's name."""
    return SettingsCreator(
        link_type=link_type,
        comparisons=[
            cl.ExactMatch("iban"),
            cl.DamerauLevenshteinAtThresholds("account_number", [1]),
            cl.ExactMatch("bic"),
            cl.NameComparison("holder"),
        ],
        blocking_rules_to_generate_predictions=[block_on("iban"), block_on("account_number")],
    )
