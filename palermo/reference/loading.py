"""Load the reference data files (``palermo/reference/data/*.json``) into the database.

Plain functions: each loader takes the model classes it writes as arguments, so the data migration can pass
historical models (``apps.get_model``) and tests can call them directly. Reading and checking the files needs no
database (:func:`country_rows`, :func:`read`, :func:`check_all`).

Two policies:

- the files are the authority for countries, objectives, forms, instruments, dimensions and indicator lists: loading
  again updates those rows (``update_or_create``), and an indicator list is made to match its file exactly;
- instrument statuses are *seeded*: a missing (instrument, country) row is created, an existing one is never
  overwritten, because that is where staff record what they have checked.
"""

from __future__ import annotations

import gettext
import json
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pycountry

DATA_DIR = Path(__file__).resolve().parent / "data"
INDICATOR_FILES = (
    "indicators_adult_labour.json",
    "indicators_adult_sexual.json",
    "indicators_child_labour.json",
    "indicators_child_sexual.json",
)
STRENGTHS = ("strong", "medium", "weak")
STAGES = ("recruitment", "exploitation", "destination")
STATUSES = ("unknown", "not_party", "signed", "ratified", "transposed", "transposition_pending", "not_applicable")
GLOTIP_CATEGORIES = ("Sexual exploitation", "Forced labour", "Other forms of exploitation")
RULE_COUNTS = frozenset({"strong", "medium", "weak", "medium_or_weak"})
SOURCE_MAX = 500  # Bilingual.source / InstrumentStatus.source max_length

Row = dict[str, Any]


class ReferenceDataError(ValueError):
    """A data file breaks one of the rules checked before anything is written."""


def read(name: str) -> Any:
    """The parsed content of one data file."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ReferenceDataError(message)


def _check_source(where: str, row: Row) -> None:
    source = row.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ReferenceDataError(f"{where}: every entry needs a 'source'")
    _require(len(source) <= SOURCE_MAX, f"{where}: source longer than {SOURCE_MAX} characters")


# ----------------------------------------------------------------------------------------------- countries


def pycountry_version() -> str:
    return version("pycountry")


@cache
def _french() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])


def french_name(english: str, iso_name: str) -> str:
    """pycountry's French name for ``english`` (the common name), else for the ISO name."""
    translated = _french().gettext(english)
    if translated == english and english != iso_name:
        translated = _french().gettext(iso_name)
    return translated


def country_codes() -> list[str]:
    """The ISO alpha-2 code of every country :func:`country_rows` loads, sorted; no names (faster)."""
    extras = [extra["code"] for extra in read("countries.json")["extra"]]
    return sorted([entry.alpha_2 for entry in pycountry.countries] + extras)


def country_rows() -> list[Row]:
    """Every ISO 3166-1 country from pycountry plus Kosovo (XK / XKX), flagged; sorted by code. No database."""
    spec = read("countries.json")
    iso_source = spec["iso_source"].format(version=pycountry_version())
    rows: dict[str, Row] = {}
    for entry in pycountry.countries:
        english = getattr(entry, "common_name", None) or entry.name
        rows[entry.alpha_2] = {
            "code": entry.alpha_2,
            "alpha3": entry.alpha_3,
            "numeric": entry.numeric,
            "name_en": english,
            "name_fr": french_name(english, entry.name),
            "source": iso_source,
        }
    for extra in spec["extra"]:
        _require(extra["code"] not in rows, f"countries.json: {extra['code']} is already an ISO 3166-1 code")
        rows[extra["code"]] = {key: extra[key] for key in ("code", "alpha3", "numeric", "name_en", "name_fr", "source")}
    for code, names in spec["names"].items():
        rows[code].update(names)
    for flag, key in (("is_programme", "programme"), ("is_steering", "steering"), ("is_eu_member", "eu_members")):
        members = set(spec[key])
        _require(members <= rows.keys(), f"countries.json: unknown codes in {key!r}: {sorted(members - rows.keys())}")
        for code, row in rows.items():
            row[flag] = code in members
    return [rows[code] for code in sorted(rows)]


def load_countries(country_model: Any) -> int:
    rows = country_rows()
    for row in rows:
        country_model.objects.update_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})
    return len(rows)


# --------------------------------------------------------------------------- objectives, forms, instruments


def _load_simple(model: Any, rows: Iterable[Row], key: str, dates: tuple[str, ...] = (), **renames: str) -> int:
    count = 0
    for row in rows:
        values = {renames.get(k, k): (_date(v) if k in dates else v) for k, v in row.items() if k != key}
        model.objects.update_or_create(**{key: row[key]}, defaults=values)
        count += 1
    return count


def load_objectives(objective_model: Any) -> int:
    return _load_simple(objective_model, read("objectives.json"), "number")


def load_thb_forms(thb_form_model: Any) -> int:
    return _load_simple(thb_form_model, read("thb_forms.json"), "code")


def load_instruments(instrument_model: Any) -> int:
    return _load_simple(instrument_model, read("instruments.json"), "code", dates=("adopted_on", "in_force_on"))


def load_exploitation_forms(form_model: Any) -> int:
    return _load_simple(form_model, read("exploitation_forms.json"), "code", instrument="instrument_id")


def load_indicator_dimensions(dimension_model: Any) -> int:
    return _load_simple(dimension_model, read("indicator_dimensions.json"), "code")


def load_instrument_statuses(status_model: Any) -> int:
    """Create the missing (instrument, country) rows; never overwrite one that exists. Returns rows created."""
    created = 0
    for row in read("instrument_statuses.json")["statuses"]:
        defaults = {
            "status": row["status"],
            "signed_on": _date(row["signed_on"]),
            "ratified_on": _date(row["ratified_on"]),
            "transposed_on": _date(row["transposed_on"]),
            "note": row["note"],
            "source": row["source"],
        }
        _, was_created = status_model.objects.get_or_create(
            instrument_id=row["instrument"], country_id=row["country"], defaults=defaults
        )
        created += was_created
    return created


# ------------------------------------------------------------------------------------------ indicator lists

LIST_FIELDS = ("name_en", "name_fr", "population", "exploitation", "dimension_rule", "case_rule", "verified", "source")


def load_indicator_list(list_model: Any, indicator_model: Any, name: str) -> int:
    """Load one list file; the list's indicators are made to match the file exactly. Returns the item count."""
    spec = read(name)
    indicator_list, _ = list_model.objects.update_or_create(
        code=spec["code"], version=spec["version"], defaults={field: spec[field] for field in LIST_FIELDS}
    )
    kept = []
    for item in spec["indicators"]:
        indicator, _ = indicator_model.objects.update_or_create(
            indicator_list=indicator_list,
            dimension_id=item["dimension"],
            code=item["code"],
            defaults={"text_en": item["text_en"], "text_fr": item["text_fr"], "strength": item["strength"]},
        )
        kept.append(indicator.pk)
    indicator_model.objects.filter(indicator_list=indicator_list).exclude(pk__in=kept).delete()
    return len(kept)


def load_indicator_lists(list_model: Any, indicator_model: Any) -> int:
    return sum(load_indicator_list(list_model, indicator_model, name) for name in INDICATOR_FILES)


# ----------------------------------------------------------------------------------------------- checks


def _check_rule_dimensions(where: str, case_rule: Any, dimensions: set[str]) -> None:
    clauses = case_rule.get("all_of") if isinstance(case_rule, dict) else None
    if not isinstance(clauses, list) or not clauses:
        raise ReferenceDataError(f"{where}: case_rule needs a non-empty 'all_of'")
    for clause in clauses:
        names = clause.get("any_of") if isinstance(clause, dict) else None
        if not isinstance(names, list) or not names:
            raise ReferenceDataError(f"{where}: each case_rule clause needs 'any_of'")
        unknown = sorted(set(names) - dimensions)
        _require(not unknown, f"{where}: case_rule names unknown dimensions {unknown}")


def check_indicator_list(spec: Row, dimensions: set[str]) -> None:
    where = spec.get("code", "?")
    _check_source(where, spec)
    _require(spec["population"] in ("adult", "child"), f"{where}: population must be adult or child")
    _require(spec["exploitation"] in ("labour", "sexual"), f"{where}: exploitation must be labour or sexual")
    combinations = spec["dimension_rule"].get("positive_if_any")
    _require(isinstance(combinations, list) and combinations != [], f"{where}: dimension_rule needs 'positive_if_any'")
    for combination in combinations:
        _require(set(combination) <= RULE_COUNTS, f"{where}: unknown count in dimension_rule {combination}")
        _require(all(isinstance(n, int) and n > 0 for n in combination.values()), f"{where}: counts are positive")
    _check_rule_dimensions(where, spec["case_rule"], dimensions)
    seen: set[tuple[str, str]] = set()
    for item in spec["indicators"]:
        key = (item["dimension"], item["code"])
        _require(item["dimension"] in dimensions, f"{where}: unknown dimension {item['dimension']!r}")
        _require(item["strength"] in STRENGTHS, f"{where}: {item['code']}: strength must be one of {STRENGTHS}")
        _require(key not in seen, f"{where}: duplicate indicator {key}")
        _require(bool(item["text_en"].strip() and item["text_fr"].strip()), f"{where}: {item['code']} needs both texts")
        seen.add(key)
    if spec["population"] == "child":
        _require(all(i["strength"] != "weak" for i in spec["indicators"]), f"{where}: child lists have no weak tier")


def check_all() -> None:
    """Check every data file against the rules the loaders rely on; raise ReferenceDataError on the first break."""
    countries = {row["code"] for row in country_rows()}
    for name in ("objectives.json", "thb_forms.json", "instruments.json", "exploitation_forms.json",
                 "indicator_dimensions.json"):
        for row in read(name):
            _check_source(f"{name}: {row.get('code', row.get('number'))}", row)
    instruments = {row["code"] for row in read("instruments.json")}
    for row in read("exploitation_forms.json"):
        _require(row["instrument"] in instruments, f"exploitation form {row['code']}: unknown instrument")
        _require(row["glotip_category"] in GLOTIP_CATEGORIES, f"exploitation form {row['code']}: GLOTIP category")
    dimensions = {row["code"] for row in read("indicator_dimensions.json")}
    _require(all(row["stage"] in STAGES for row in read("indicator_dimensions.json")), "dimension stage")
    for row in read("instrument_statuses.json")["statuses"]:
        where = f"status {row['instrument']}/{row['country']}"
        _check_source(where, row)
        _require(row["instrument"] in instruments and row["country"] in countries, f"{where}: unknown key")
        _require(row["status"] in STATUSES, f"{where}: unknown status {row['status']!r}")
        dated = any(row[field] for field in ("signed_on", "ratified_on", "transposed_on"))
        _require(not (row["status"] == "unknown" and dated), f"{where}: an unknown status has no dates")
    for name in INDICATOR_FILES:
        check_indicator_list(read(name), dimensions)


# ------------------------------------------------------------------------------------------------- all


def load_all(get_model: Callable[[str, str], Any]) -> dict[str, int]:
    """Check the files, then load everything in dependency order; ``get_model`` is ``apps.get_model``."""
    check_all()

    def model(name: str) -> Any:
        return get_model("reference", name)

    return {
        "countries": load_countries(model("Country")),
        "objectives": load_objectives(model("Objective")),
        "thb_forms": load_thb_forms(model("ThbForm")),
        "instruments": load_instruments(model("LegalInstrument")),
        "instrument_statuses_created": load_instrument_statuses(model("InstrumentStatus")),
        "exploitation_forms": load_exploitation_forms(model("ExploitationForm")),
        "indicator_dimensions": load_indicator_dimensions(model("IndicatorDimension")),
        "indicators": load_indicator_lists(model("IndicatorList"), model("Indicator")),
    }
