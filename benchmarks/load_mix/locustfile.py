"""The users of ``benchmarks/load.py``: Locust runs this file; it is not a benchmark of its own.

Each simulated person uses a session signed in beforehand through the pages (``PALERMO_LOAD_SESSIONS``, written
by load.py) and visits the pages of its kind (pages.py). Every person also asks for ``/healthz`` now and then:
the baseline of the same server under the same load. Requests go to 127.0.0.1 as nginx would pass them
(``X-Forwarded-Proto: https``); every answer but a 200 is an error. Raw timings are written to
``PALERMO_LOAD_SAMPLES`` when Locust stops.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from locust import between, events
from locust.contrib.fasthttp import FastHttpUser

sys.path.insert(0, str(Path(__file__).parent))
from pages import BASELINE, PAGES, headers

POOLS: dict[str, list[dict[str, Any]]] = json.loads(Path(os.environ["PALERMO_LOAD_SESSIONS"]).read_text())
THINK = [float(value) for value in os.environ.get("PALERMO_LOAD_THINK", "1,5").split(",")]

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


def visit(name: str, url: Callable[[], str]) -> Callable[[Person], None]:
    def task(user: Person) -> None:
        with user.client.get(url(), name=name, headers=user.sent, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                where = response.headers.get("Location", "") if response.headers else ""
                response.failure(f"{response.status_code} {where}".strip())

    task.__name__ = name
    return task


class Person(FastHttpUser):
    abstract = True
    wait_time = between(THINK[0], THINK[-1])
    kind: ClassVar[str] = ""
    _accounts: ClassVar[Any] = None

    def on_start(self) -> None:
        cls = type(self)
        if cls._accounts is None:
            cls._accounts = itertools.cycle(POOLS[cls.kind])
        self.sent = headers(next(cls._accounts))


def person(kind: str) -> type[Person]:
    tasks = {visit(name, url): weight for name, weight, url in PAGES[kind]}
    tasks[visit(BASELINE, lambda: "/healthz")] = 1
    class_name = "".join(part.title() for part in kind.split("-"))
    return type(class_name, (Person,), {"kind": kind, "tasks": tasks, "fixed_count": len(POOLS.get(kind, []))})


Staff = person("staff")
CaseWorker = person("caseworker")
ApiPortfolio = person("api-portfolio")
ApiAnalyst = person("api-analyst")
