"""The CTDC 2024 Global Synthetic Dataset layout (27 variables), made k-anonymous. No Django.

Quasi-identifiers are what the threat model (docs/diagnostics.md) says someone who knows the person may know: year
of registration, gender, age band, citizenship, country of exploitation, and the form of exploitation (forced
labour, sexual, other). A record whose combination of quasi-identifiers is shared by fewer than ``k`` records is
generalised step by step — citizenship, then country of exploitation, then age band, then year are blanked (NULL,
CTDC's missing value) — and dropped if it is still rarer than ``k`` with all of them blank (the form flags are never
blanked: an empty flag means "no" in CTDC, so blanking one would falsify the record). Binary variables are ``1``
or empty, as in CTDC's file. The columns are written by the one 2024 mapping of the cases app
(``palermo.cases.importing.ctdc.export_2024``); what it cannot carry (Kosovo written as Serbia...) is listed in
``ctdc.LOSSY_2024`` and in the release's note.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from palermo.cases.importing import ctdc

CTDC_2024_COLUMNS = ctdc.COLUMNS_2024
QUASI_IDENTIFIERS = ("yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation",
                     "isForcedLabour", "isSexualExploit", "isOtherExploit")
GENERALISATION_ORDER = ("citizenship", "CountryOfExploitation", "ageBroad", "yearOfRegistration")
# Kept for their readers: the one mapping is palermo.cases.importing.ctdc.
MEANS_2024 = ctdc.MEANS_TO_2024
RELATION_2024 = ctdc.RELATION_TO_2024
GENDER_2024 = ctdc.GENDER_TO_2024


def ctdc_row(row: Mapping[str, Any], alpha3: Mapping[str, str], form_variable: Mapping[str, str]) -> dict[str, str]:
    """One flat case row in CTDC 2024 columns, written by the one 2024 mapping (``ctdc.export_2024``): every
    column the data supports (traffickMonths, typeOfLabour*, typeOfSex*, isOtherExploit, every relation).
    ``form_variable`` maps the forms the codebook does not name (from the reference list); the codebook's own
    (begging and illicit activities are forced labour) take precedence."""
    relations = list(row.get("recruiter_relations") or [])
    if not relations and row.get("recruiter_relation"):
        relations = [row["recruiter_relation"]]
    return ctdc.export_2024({**row, "recruiter_relations": relations}, alpha3,
                            {**form_variable, **ctdc.FORM_TO_2024})


def k_anonymous_microdata(rows: Iterable[Mapping[str, Any]], k: int, alpha3: Mapping[str, str],
                          form_variable: Mapping[str, str]) -> tuple[list[dict[str, str]], dict[str, int]]:
    """CTDC 2024 rows in which every combination of quasi-identifiers occurs at least ``k`` times.

    Returns the rows (shuffled out of case order: sorted by their values) and counts of what was done.
    """
    if k < 2:
        raise ValueError("k-anonymity needs k of at least 2")
    records = [ctdc_row(row, alpha3, form_variable) for row in rows]
    stats = {"input": len(records), "generalised": 0, "dropped": 0}
    generalised: set[int] = set()
    for column in GENERALISATION_ORDER:
        groups = Counter(_key(record) for record in records)
        for index, record in enumerate(records):
            if groups[_key(record)] < k and record[column]:
                record[column] = ""
                generalised.add(index)
    groups = Counter(_key(record) for record in records)
    kept = [record for record in records if groups[_key(record)] >= k]
    stats["generalised"] = len(generalised)
    stats["dropped"] = len(records) - len(kept)
    kept.sort(key=lambda record: tuple(record[c] for c in CTDC_2024_COLUMNS))
    return kept, stats


def _key(record: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(record[column] for column in QUASI_IDENTIFIERS)


def smallest_group(records: Iterable[Mapping[str, str]]) -> int:
    groups = Counter(_key(record) for record in records)
    return min(groups.values()) if groups else 0
