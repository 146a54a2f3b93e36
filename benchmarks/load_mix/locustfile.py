"""The users of ``benchmarks/load.py``: Locust runs this file; it is not a benchmark of its own.

Each simulated person uses a session signed in beforehand through the pages (``PALERMO_LOAD_SESSIONS``, written
by load.py): programme staff (home, diagnostics dashboard and figures, action lists and filters), case workers
(their case list, filtered and searched), and API clients with a token (action, case and figure lists). Every
class also asks for ``/healthz`` now and then: the baseline of the same server under the same load. Requests
go to 127.0.0.1 as nginx would pass them (``X-Forwarded-Proto: https``); every answer but a 200 is an error.
Raw timings are written to ``PALERMO_LOAD_SAMPLES`` when Locust stops.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path
from typing import Any, ClassVar

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

POOLS: dict[str, list[dict[str, Any]]] = json.loads(Path(os.environ["PALERMO_LOAD_SESSIONS"]).read_text())
THINK = [float(value) for value in os.environ.get("PALERMO_LOAD_THINK", "1,5").split(",")]
FIGURES = ("trend", "country_of_exploitation", "citizenship", "sex", "age_band", "forms", "flows")
COUNTRIES = ("AL", "BA", "BG", "GR", "HR", "MD", "ME", "MK", "RO", "RS", "XK")
BASELINE = "baseline /healthz"

_samples: list[tuple[float, str, float, bool]] = []
_marks: dict[str, float] = {}


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any = None, **kwargs: Any) -> None:
    _samples.append((time.time() - response_time / 1000, name, response_time, exception is None))


@events.spawning_complete.add_listener
def _spawned(**kwargs: Any) -> None:
    _marks.setdefault("spawned", time.time())


@events.quitting.add_listener
def _dump(**kwargs: Any) -> None:
    Path(os.environ["PALERMO_LOAD_SAMPLES"]).write_text(json.dumps({"marks": _marks, "samples": _samples}))


def fixed(kind: str) -> int:
    return len(POOLS.get(kind, []))


class Person(FastHttpUser):
    abstract = True
    wait_time = between(THINK[0], THINK[-1])
    kind: ClassVar[str] = ""
    _next: ClassVar[Any] = None

    def on_start(self) -> None:
        cls = type(self)
        if cls._next is None:
            cls._next = itertools.cycle(POOLS[cls.kind])
        self.account = next(cls._next)
        self.headers = {"X-Forwarded-Proto": "https", "Accept-Language": self.account.get("language", "en")}
        if "cookie" in self.account:
            self.headers["Cookie"] = self.account["cookie"]
        if "token" in self.account:
            self.headers["Authorization"] = f"Token {self.account['token']}"
            self.headers["Accept"] = "application/json"

    def get(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, headers=self.headers, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                where = response.headers.get("Location", "") if response.headers else ""
                response.failure(f"{response.status_code} {where}".strip())

    @task(1)
    def baseline(self) -> None:
        with self.client.get("/healthz", name=BASELINE, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(str(response.status_code))


class Staff(Person):
    """Programme managers (every country, k-rounded figures) and national coordinators (their own country)."""

    kind = "staff"
    fixed_count = fixed("staff")

    @task(4)
    def home(self) -> None:
        self.get("/", "home")

    @task(3)
    def dashboard(self) -> None:
        self.get("/diagnostics/", "diagnostics dashboard")

    @task(2)
    def dashboard_country(self) -> None:
        self.get(f"/diagnostics/?country={random.choice(COUNTRIES)}", "diagnostics dashboard ?country")

    @task(3)
    def figure(self) -> None:
        figure = random.choice(FIGURES)
        self.get(f"/diagnostics/figures/{figure}.csv?year_from=2018", "diagnostics figure csv")

    @task(4)
    def actions(self) -> None:
        self.get("/programme/actions/", "action list")

    @task(3)
    def actions_filtered(self) -> None:
        query = random.choice([f"country={random.choice(COUNTRIES)}", f"objective={random.randint(1, 4)}",
                               "status=2&year=2025", "origin=programme&channel=bilateral", "q=training"])
        self.get(f"/programme/actions/?{query}", "action list ?filters")

    @task(1)
    def actions_page_2(self) -> None:
        self.get("/programme/actions/?page=2", "action list ?page=2")


class CaseWorker(Person):
    """Case workers (second factor verified): their organisation's cases in their country."""

    kind = "caseworker"
    fixed_count = fixed("caseworker")

    @task(2)
    def home(self) -> None:
        self.get("/", "home")

    @task(5)
    def cases(self) -> None:
        self.get("/cases/", "case list")

    @task(3)
    def cases_filtered(self) -> None:
        query = random.choice([f"year={random.randint(2014, 2025)}", "status=actual", "gender=Feminine",
                               f"year={random.randint(2014, 2025)}&status=possible"])
        self.get(f"/cases/?{query}", "case list ?filters")

    @task(1)
    def cases_search(self) -> None:
        self.get(f"/cases/?q={random.randint(100, 999)}", "case list ?q=search")

    @task(2)
    def cases_page(self) -> None:
        self.get(f"/cases/?page={random.randint(2, 20)}", "case list ?page=N")


class ApiPortfolio(Person):
    """Integrations reading the portfolio with a national coordinator's token."""

    kind = "api-portfolio"
    fixed_count = fixed("api-portfolio")

    @task(3)
    def actions(self) -> None:
        self.get("/api/programme/actions/?limit=50", "api actions")

    @task(1)
    def countries(self) -> None:
        self.get("/api/reference/countries/", "api countries")

    @task(1)
    def organisations(self) -> None:
        self.get("/api/partners/organisations/?limit=50", "api organisations")


class ApiAnalyst(Person):
    """Integrations reading pseudonymised cases and figures with an analyst's token."""

    kind = "api-analyst"
    fixed_count = fixed("api-analyst")

    @task(3)
    def cases(self) -> None:
        self.get("/api/cases/?limit=50", "api cases")

    @task(2)
    def cases_filtered(self) -> None:
        self.get(f"/api/cases/?limit=50&year={random.randint(2014, 2025)}", "api cases ?year")

    @task(2)
    def figure(self) -> None:
        self.get(f"/api/diagnostics/{random.choice(FIGURES)}/", "api diagnostics figure")
