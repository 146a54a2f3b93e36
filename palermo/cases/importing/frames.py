"""Parsed cases as one column-oriented table (a polars DataFrame), and the derived values computed on it.

Every layout produces this table: HTCDS column by column (htcds.parse_frame), CTDC row by row (from_parsed).
The derived values follow palermo.cases.rules exactly: the rules that depend on few distinct inputs (age band,
form of THB) are called once per distinct input; ages from dates are computed on whole columns with the same
arithmetic as rules.age_on. Pure: polars and plain Python, no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from palermo.cases import codes, rules
from palermo.cases.importing.records import IDENTIFYING_TEXT, ParsedCase

TEXT = pl.String
CODES = pl.List(pl.String)
# The text attributes of an HTCDS historic trafficking event (hte_*), one leg per case row.
HTE_TEXT = ("kind", "country", "city", "state", "street", "postal_code", "description")
CASE_SCHEMA: dict[str, Any] = {
    "row": pl.Int64, "record_id": TEXT,
    **dict.fromkeys(IDENTIFYING_TEXT, TEXT),
    "birth_date": pl.Date, "gender": TEXT, "citizenship_id": TEXT, "marital_status": TEXT,
    "highest_education": TEXT, "consent": pl.Boolean, "trafficking_status": TEXT, "status_decided_by": TEXT,
    "status_decided_on": pl.Date, "recruiter_relation": TEXT, "age_when_trafficked": pl.Int64,
    "age_at_identification": pl.Int64, "recruitment_methods": CODES, "means_of_control": CODES, "forms": CODES,
    "other_exploitation": pl.Boolean, "forced_labour_industry": TEXT, "sex_exploitation_types": CODES,
    "case_status": TEXT, "identification_date": pl.Date, "recruitment_country": TEXT, "recruitment_place": TEXT,
    "recruitment_date": pl.Date, "transit_countries": CODES, "exploitation_country": TEXT,
    "exploitation_place": TEXT, "exploitation_date": pl.Date, "perpetrator_roles": CODES,
    "known_age_band": TEXT, "known_minor": pl.Boolean, "known_year": pl.Int64,
    # Every HTCDS v2.0 field (docs/cases.md, "Imports"), the sets whole, and what CTDC says of its rows.
    "citizenships": CODES, "deceased": pl.Boolean, "number_of_children": pl.Int64, "primary_language": TEXT,
    "secondary_language": TEXT, "migration_statuses": CODES, "recruiter_relations": CODES,
    "recruitment_websites": CODES, "exploitation_websites": CODES, "vulnerabilities": CODES,
    "vulnerability_details": TEXT, "trafficking_duration": TEXT, "forced_labour_industries": CODES,
    "reason_for_closure": TEXT, "case_owner_name": TEXT, "data_source": TEXT, "majority_status": TEXT,
    "referring_organisation": TEXT, "incoming_referral_date": pl.Date, "referring_case_worker": TEXT,
    "incoming_referral_reason": TEXT, "incoming_referral_details": TEXT, "referred_organisation": TEXT,
    "referred_case_worker": TEXT, "outgoing_referral_reason": TEXT, "outgoing_referral_date": pl.Date,
    "outgoing_referral_details": TEXT, "perpetrator_role_details": TEXT,
    **{f"hte_{name}": TEXT for name in HTE_TEXT}, "hte_date": pl.Date, "hte_latitude": pl.Float64,
    "hte_longitude": pl.Float64,
}
# What a column holds when a layout says nothing of it (the model's defaults; None stays NULL).
DEFAULTS: dict[str, Any] = {
    **{name: "" for name, dtype in CASE_SCHEMA.items() if dtype == TEXT},
    **{name: [] for name, dtype in CASE_SCHEMA.items() if dtype == CODES},
    "citizenship_id": None, "other_exploitation": False,
    "trafficking_status": str(codes.TraffickingStatus.POSSIBLE), "case_status": str(codes.CaseStatus.ACTIVE),
}
ROUTE_ATTRIBUTES = ("forms", "recruitment_country", "recruitment_place", "recruitment_date", "transit_countries",
                    "exploitation_country", "exploitation_place", "exploitation_date", "perpetrator_roles",
                    "known_age_band", "known_minor", "known_year")


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """The columns of CASE_SCHEMA in its order and types; absent columns take their default."""
    columns = []
    for name, dtype in CASE_SCHEMA.items():
        if name in frame.columns:
            columns.append(frame[name].cast(dtype))
        else:
            columns.append(pl.Series(name, [DEFAULTS.get(name)] * frame.height, dtype=dtype))
    return pl.DataFrame(columns)


def from_parsed(cases: Sequence[ParsedCase]) -> pl.DataFrame:
    """The table of cases parsed row by row (the CTDC layouts)."""
    data: dict[str, list[Any]] = {name: [] for name in CASE_SCHEMA}
    for case in cases:
        data["row"].append(case.row)
        data["record_id"].append(case.record_id)
        for name in ROUTE_ATTRIBUTES:
            data[name].append(getattr(case, name))
        for name in CASE_SCHEMA:
            if name not in ("row", "record_id") and name not in ROUTE_ATTRIBUTES:
                value = case.fields.get(name)
                data[name].append(DEFAULTS.get(name) if value is None else value)
    return pl.DataFrame(data, schema=CASE_SCHEMA)


def _age_on(birth: pl.Expr, on: pl.Expr) -> pl.Expr:
    """rules.age_on on columns: whole years from birth to ``on``; null when either is unknown or on < birth."""
    before_birthday = (on.dt.month() * 100 + on.dt.day()) < (birth.dt.month() * 100 + birth.dt.day())
    years = on.dt.year().cast(pl.Int64) - birth.dt.year().cast(pl.Int64) - before_birthday.cast(pl.Int64)
    return pl.when(on >= birth).then(years)


def _thb_key() -> pl.Expr:
    origin_parts = [pl.col("citizenship_id").fill_null(""), pl.col("recruitment_country"),
                    pl.col("transit_countries").list.join(","), pl.col("exploitation_country")]
    return pl.concat_str(origin_parts, separator="|")


def _thb_of_key(key: str) -> str:
    citizenship, recruitment, transit, exploitation = key.split("|")
    return rules.thb_form(citizenship=citizenship, recruitment_country=recruitment,
                          transit_countries=[c for c in transit.split(",") if c], exploitation_country=exploitation)


def derive(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the stored derived values of rules.derived_fields (year_identified, age_at_identification, age_band,
    is_minor, country_of_exploitation_id, transit_countries, thb_form_computed, thb_form)."""
    frame = frame.with_columns(
        _age_on(pl.col("birth_date"), pl.col("identification_date")).fill_null(pl.col("age_at_identification"))
        .alias("age_at_identification"),
        _age_on(pl.col("birth_date"), pl.col("exploitation_date")).alias("_age_exploited"),
        _thb_key().alias("_thb_key"),
        pl.col("transit_countries").list.filter(pl.element() != ""),
    )
    ages = [age for age in frame["age_at_identification"].unique().to_list() if age is not None]
    bands = pl.DataFrame({"age_at_identification": pl.Series(ages, dtype=pl.Int64),
                          "_band": pl.Series([rules.age_band(age) for age in ages], dtype=TEXT)})
    keys = frame["_thb_key"].unique().to_list()
    forms = pl.DataFrame({"_thb_key": pl.Series(keys, dtype=TEXT),
                          "thb_form_computed": pl.Series([_thb_of_key(key) for key in keys], dtype=TEXT)})
    frame = (frame.join(bands, on="age_at_identification", how="left", maintain_order="left")
             .join(forms, on="_thb_key", how="left", maintain_order="left"))
    band = pl.when(pl.col("_band").fill_null("") != "").then(pl.col("_band")).otherwise(pl.col("known_age_band"))
    age_at_exploitation = pl.coalesce(pl.col("age_when_trafficked"), pl.col("_age_exploited"))
    minor = (pl.when(age_at_exploitation.is_not_null()).then(age_at_exploitation < 18)
             .when(pl.col("age_at_identification") < 18).then(pl.lit(True)))
    fallback = (pl.when(pl.col("known_minor").is_not_null()).then(pl.col("known_minor"))
                .when(pl.col("age_band").is_in(sorted(rules.MINOR_BANDS))).then(pl.lit(True)))
    return frame.with_columns(age_band=band, is_minor=minor).with_columns(
        is_minor=pl.coalesce(pl.col("is_minor"), fallback),
        year_identified=pl.coalesce(pl.col("identification_date").dt.year().cast(pl.Int64), pl.col("known_year")),
        country_of_exploitation_id=pl.when(pl.col("exploitation_country") != "").then(pl.col("exploitation_country")),
        thb_form=pl.col("thb_form_computed"),
    ).drop("_age_exploited", "_thb_key", "_band")
