"""The case facts of a review: counts from the case records and UNODC's published figures, taken when the review is
computed and frozen with it (``record.py``). Plain data, no Django; ``steering.cases`` reads them from the database,
``steering.story`` turns them into the review's figures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

HUNDRED = Decimal("100")
YEARS_SHOWN = 5  # the case tables show the review's year and the four before it
Cell = int | str | None  # a UNODC value: a number, "<5" (suppressed) or "N+" (a sum with a suppressed part)


@dataclass
class Guardianship:
    """Minors whose guardian was due in the year: appointed by the deadline, late, not appointed yet."""

    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    @property
    def rate(self) -> Decimal | None:
        if not self.due:
            return None
        return (Decimal(self.on_time) * HUNDRED / self.due).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class CaseFacts:
    """Counts from the case records and UNODC, keyed by codes. ``years``: the years the tables cover."""

    years: tuple[int, ...] = ()
    minors: dict[tuple[str, int], int] = field(default_factory=dict)  # (country, year) -> child victims
    victims: dict[tuple[str, int], int] = field(default_factory=dict)  # (country, year) -> all victims
    unodc_minors: dict[tuple[str, int], Cell] = field(default_factory=dict)  # (country, year) -> UNODC 0-17
    forms: dict[tuple[str, str], int] = field(default_factory=dict)  # (form, country) -> cases of the year
    to_france: dict[tuple[str, int], int] = field(default_factory=dict)  # (country, year) -> exploited in France
    to_france_minors: dict[tuple[str, int], int] = field(default_factory=dict)
    unodc_france: dict[tuple[str, int], Cell] = field(default_factory=dict)  # (citizenship, year) -> in France
    guardianship: dict[str, Guardianship] = field(default_factory=dict)  # country -> minors of the year
    guardianship_known: bool = False  # whether the referral records were read

    def within(self, countries: frozenset[str]) -> CaseFacts:
        """The facts of these countries only (a reader's version)."""
        def keep(values: Mapping[tuple[Any, ...], Any], position: int = 0) -> dict[Any, Any]:
            return {key: value for key, value in values.items() if key[position] in countries}

        return CaseFacts(
            years=self.years, minors=keep(self.minors), victims=keep(self.victims),
            unodc_minors=keep(self.unodc_minors), forms=keep(self.forms, 1), to_france=keep(self.to_france),
            to_france_minors=keep(self.to_france_minors), unodc_france=keep(self.unodc_france),
            guardianship={code: g for code, g in self.guardianship.items() if code in countries},
            guardianship_known=self.guardianship_known,
        )


def _pairs(values: Mapping[tuple[Any, Any], Any]) -> list[list[Any]]:
    return [[*key, value] for key, value in sorted(values.items(), key=lambda item: (str(item[0][0]), item[0][1]))]


def cases_json(cases: CaseFacts) -> dict[str, Any]:
    return {
        "years": list(cases.years),
        "minors": _pairs(cases.minors),
        "victims": _pairs(cases.victims),
        "unodc_minors": _pairs(cases.unodc_minors),
        "forms": _pairs(cases.forms),
        "to_france": _pairs(cases.to_france),
        "to_france_minors": _pairs(cases.to_france_minors),
        "unodc_france": _pairs(cases.unodc_france),
        "guardianship": {code: [g.due, g.on_time, g.late, g.missing] for code, g in sorted(cases.guardianship.items())},
        "guardianship_known": cases.guardianship_known,
    }


def cases_from_json(data: Mapping[str, Any] | None) -> CaseFacts:
    """The case facts of a record (none for a record made before they were kept)."""
    if not data:
        return CaseFacts()

    def pairs(name: str) -> dict[tuple[Any, Any], Any]:
        return {(first, second): value for first, second, value in data.get(name, [])}

    return CaseFacts(
        years=tuple(data.get("years", ())), minors=pairs("minors"), victims=pairs("victims"),
        unodc_minors=pairs("unodc_minors"), forms=pairs("forms"), to_france=pairs("to_france"),
        to_france_minors=pairs("to_france_minors"), unodc_france=pairs("unodc_france"),
        guardianship={code: Guardianship(*values) for code, values in data.get("guardianship", {}).items()},
        guardianship_known=bool(data.get("guardianship_known")),
    )
