"""Indicators measured by other apps: a registry of feeds that compute a period's actual value.

An app whose records are what an indicator counts (trainings, campaigns, court decisions) registers a feed from
its ``AppConfig.ready``; an indicator that names the feed (``Indicator.measured_by``) has its periods' actuals
computed from those records instead of typed, and the app calls
``palermo.programme.services.results.refresh_measured_periods`` after every write that changes the figures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Measurement:
    """The actual value of a period: its total and, where the records say, its values by sex and age band
    (keys of ``palermo.programme.codes.SEXES`` and ``AGE_BANDS``)."""

    total: Decimal
    by_sex: Mapping[str, Decimal] = field(default_factory=dict)
    by_age: Mapping[str, Decimal] = field(default_factory=dict)


# compute(action_id, period_start, period_end): None when the records say nothing for that action and period.
Compute = Callable[[int, date, date], Measurement | None]


@dataclass(frozen=True)
class Feed:
    key: str
    label: object  # a lazy translation
    compute: Compute


_FEEDS: dict[str, Feed] = {}


def register_feed(*, key: str, label: object, compute: Compute) -> None:
    """Idempotent for the same key (``ready`` may run twice in tests); the key is stored on indicators, so keep
    it stable: ``<app>.<what>``."""
    _FEEDS[key] = Feed(key, label, compute)


def feed(key: str) -> Feed | None:
    return _FEEDS.get(key)


def all_feeds() -> list[Feed]:
    return sorted(_FEEDS.values(), key=lambda f: f.key)
