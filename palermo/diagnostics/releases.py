"""Building the content of a release from the snapshot. No Django: the service writes, logs and audits it.
Files are written by ``palermo.tabular``, the one CSV writer (cells a spreadsheet would run are escaped)."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from palermo import tabular
from palermo.diagnostics import disclosure, microdata
from palermo.diagnostics.disclosure import TOTAL
from palermo.diagnostics.figures import FIELDS, Scope, Snapshot, cube

RELEASE_DIMS = tuple(name for name in FIELDS if name != "transit_countries")
MAX_DIMS = 3
TOTAL_LABEL = "Total"


def gettext_noop(message: str) -> str:
    """Marks a message for the French catalogue without importing Django; it is translated where it is shown."""
    return message


class ReleaseError(ValueError):
    """Parameters of a release that cannot be honoured; the message says which and why. ``message`` and
    ``params`` let the page show it in the reader's language (``str()`` gives the English text)."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


@dataclass
class ReleaseContent:
    data: bytes  # the CSV file, UTF-8
    rows: int
    cells_suppressed: int
    parameters: dict[str, Any]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def check_dims(dims: Sequence[str]) -> tuple[str, ...]:
    cleaned = tuple(d.strip() for d in dims if d.strip())
    if not cleaned:
        raise ReleaseError(gettext_noop("give at least one dimension"))
    if len(cleaned) > MAX_DIMS:
        raise ReleaseError(gettext_noop("at most %(count)d dimensions per table"), count=MAX_DIMS)
    unknown = [d for d in cleaned if d not in RELEASE_DIMS]
    if unknown:
        raise ReleaseError(gettext_noop("unknown dimension %(unknown)s; choose among %(known)s"),
                           unknown=", ".join(unknown), known=", ".join(RELEASE_DIMS))
    if len(set(cleaned)) != len(cleaned):
        raise ReleaseError(gettext_noop("a dimension is repeated"))
    return cleaned


def aggregates(snapshot: Snapshot, dims: Sequence[str], countries: frozenset[str] | None, k: int,
               epsilon: float | None = None) -> ReleaseContent:
    """A CSV table with one row per cell (margins labelled ``Total``), protected as the module docs say."""
    dims = check_dims(dims)
    if k < 1:
        raise ReleaseError(gettext_noop("the privacy resolution k must be at least 1"))
    if epsilon is not None and epsilon <= 0:
        raise ReleaseError(gettext_noop("epsilon must be a positive number"))
    cells, categories = cube(snapshot, dims, Scope(countries, exact=True, statuses=("possible", "actual")))
    suppressed = 0
    if epsilon is None:
        table = disclosure.protect(dims, cells, k=k, categories=categories)
        released = table.released
        keys = table.keys()
        suppressed = len(table.suppressed)
    else:
        released, keys = _dp_table(dims, cells, categories, k, epsilon)
        suppressed = sum(1 for value in released.values() if value is None)
    data = tabular.csv_bytes([*dims, "count"], ([*(TOTAL_LABEL if part == TOTAL else part for part in key),
                                                   released[key]] for key in keys))
    parameters = {"dims": list(dims), "k": k, "epsilon": epsilon,
                  "countries": sorted(countries) if countries is not None else [],
                  "method": "k-rounding with complementary suppression" if epsilon is None
                  else "discrete Laplace (OpenDP), then counts below k suppressed"}
    return ReleaseContent(data, len(keys), suppressed, parameters)


def _dp_table(dims: Sequence[str], cells: Mapping[tuple[str, ...], int], categories: Sequence[Sequence[str]],
              k: int, epsilon: float) -> tuple[dict[tuple[str, ...], int | None], list[tuple[str, ...]]]:
    """Noise on the inner cells only; margins are sums of noisy cells (post-processing keeps the guarantee)."""
    inner_keys = list(itertools.product(*categories))
    contributions = 1
    for dim, cats in zip(dims, categories, strict=True):
        if FIELDS[dim][1]:
            contributions *= max(1, len(cats))
    noisy = disclosure.dp_counts([cells.get(key, 0) for key in inner_keys], epsilon, contributions)
    _cats, full = disclosure.complete_table(dims, dict(zip(inner_keys, noisy, strict=True)), categories)
    released: dict[tuple[str, ...], int | None] = {key: (None if value < k else value) for key, value in full.items()}
    keys = list(itertools.product(*[(*c, TOTAL) for c in categories]))
    return released, keys


def check_microdata_k(k: int) -> None:
    if k < 2:
        raise ReleaseError(gettext_noop("k-anonymity needs k of at least 2"))


def check_resolution(k: int, resolution: int) -> None:
    """No release, of any kind, below the platform's privacy resolution (``PALERMO_PRIVACY_RESOLUTION``)."""
    if k < resolution:
        raise ReleaseError(gettext_noop("k = %(k)s is below the platform's privacy resolution of %(resolution)s: "
                                        "no release is made below it"), k=k, resolution=resolution)


def microdata_csv(rows: Sequence[Mapping[str, Any]], k: int, alpha3: Mapping[str, str],
                  form_variable: Mapping[str, str], countries: frozenset[str] | None) -> ReleaseContent:
    check_microdata_k(k)
    records, stats = microdata.k_anonymous_microdata(rows, k, alpha3, form_variable)
    columns = microdata.CTDC_2024_COLUMNS
    data = tabular.csv_bytes(columns, ([record[column] for column in columns] for record in records))
    parameters = {"k": k, "layout": "CTDC Global Synthetic Dataset 2024 (27 variables)",
                  "countries": sorted(countries) if countries is not None else [], **stats,
                  "lossy_mappings": [f"{what}: {how}" for what, how in microdata.ctdc.LOSSY_2024]}
    return ReleaseContent(data, len(records), stats["dropped"], parameters)
