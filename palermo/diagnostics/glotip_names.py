"""GLOTIP names and the ISO 3166 alpha-2 codes they stand for: an explicit, reviewed table
(``data/glotip_names.json``).

Made once from the distinct values of ``data_glotip.xlsx`` (2022 edition): names ISO 3166 spells identically were
matched through pycountry, every other name (translations, demonyms, typos, mis-encoded text) was mapped by hand.
Nothing is guessed at import time: a name in neither table nor in the lists of known non-country labels is a
validation error. Kosovo (``Kosovo under UNSCR 1244`` and variants) is ``XK``; the older citizenship label
``The former Yugoslav Republic of Macedonia`` is ``MK``.
"""

from __future__ import annotations

import json
from pathlib import Path

_TABLE = json.loads((Path(__file__).resolve().parent / "data" / "glotip_names.json").read_text(encoding="utf-8"))

# Reporting countries (column ``Country``).
REPORTER_ISO2: dict[str, str] = _TABLE["reporter_iso2"]
# Reporting rows that are regional aggregates or territories without an ISO 3166-1 code: skipped, and counted.
AGGREGATE_REPORTERS: frozenset[str] = frozenset(_TABLE["aggregate_reporters"])
# Categories of the dimensions "by citizenship" and "by country of repatriation".
CATEGORY_ISO2: dict[str, str] = _TABLE["category_iso2"]
# Category labels that name no single country (regions, "unknown", "nationals", counts typed as text...):
# stored with their label and no country.
NON_COUNTRY_CATEGORIES: frozenset[str] = frozenset(_TABLE["non_country_categories"])
