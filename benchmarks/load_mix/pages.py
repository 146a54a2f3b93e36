"""The pages of the load mix, by kind of person: (name, weight, URL maker). Plain Python: the Locust users
(locustfile.py) and the per-page cost pass of load.py read the same list."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

FIGURES = ("trend", "country_of_exploitation", "citizenship", "sex", "age_band", "forms", "flows")
COUNTRIES = ("AL", "BA", "BG", "GR", "HR", "MD", "ME", "MK", "RO", "RS", "XK")
BASELINE = "baseline /healthz"

Page = tuple[str, int, Callable[[], str]]


def _year() -> int:
    return random.randint(2014, 2025)


PAGES: dict[str, list[Page]] = {
    # Programme managers (every country, k-rounded figures) and national coordinators (their own country).
    "staff": [
        ("home", 4, lambda: "/"),
        ("diagnostics dashboard", 3, lambda: "/diagnostics/"),
        ("diagnostics dashboard ?country", 2, lambda: f"/diagnostics/?country={random.choice(COUNTRIES)}"),
        ("diagnostics figure csv", 3, lambda: f"/diagnostics/figures/{random.choice(FIGURES)}.csv?year_from=2018"),
        ("action list", 4, lambda: "/programme/actions/"),
        ("action list ?filters", 3, lambda: "/programme/actions/?" + random.choice([
            f"country={random.choice(COUNTRIES)}", f"objective={random.randint(1, 4)}", "status=2&year=2025",
            "origin=programme&channel=bilateral", "q=training"])),
        ("action list ?page=2", 1, lambda: "/programme/actions/?page=2"),
    ],
    # Case workers (second factor verified): their organisation's cases in their country.
    "caseworker": [
        ("home", 2, lambda: "/"),
        ("case list", 5, lambda: "/cases/"),
        ("case list ?filters", 3, lambda: "/cases/?" + random.choice([
            f"year={_year()}", "status=actual", "gender=Feminine", f"year={_year()}&status=possible"])),
        ("case list ?q=search", 1, lambda: f"/cases/?q={random.randint(100, 999)}"),
        ("case list ?page=N", 2, lambda: f"/cases/?page={random.randint(2, 20)}"),
    ],
    # Integrations reading the portfolio with a national coordinator's token.
    "api-portfolio": [
        ("api actions", 3, lambda: "/api/programme/actions/?limit=50"),
        ("api countries", 1, lambda: "/api/reference/countries/"),
        ("api organisations", 1, lambda: "/api/partners/organisations/?limit=50"),
    ],
    # Integrations reading pseudonymised cases and figures with an analyst's token.
    "api-analyst": [
        ("api cases", 3, lambda: "/api/cases/?limit=50"),
        ("api cases ?year", 2, lambda: f"/api/cases/?limit=50&year={_year()}"),
        ("api diagnostics figure", 2, lambda: f"/api/diagnostics/{random.choice(FIGURES)}/"),
    ],
}


def headers(account: dict[str, Any]) -> dict[str, str]:
    """What a browser or an integration behind nginx sends for ``account`` (a session cookie or a token)."""
    sent = {"X-Forwarded-Proto": "https", "Accept-Language": account.get("language", "en")}
    if "cookie" in account:
        sent["Cookie"] = account["cookie"]
    if "token" in account:
        sent["Authorization"] = f"Token {account['token']}"
        sent["Accept"] = "application/json"
    return sent
