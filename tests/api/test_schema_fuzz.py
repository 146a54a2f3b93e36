"""The whole API against its own OpenAPI schema, property-based (Schemathesis): every operation the schema lists,
with bounded examples, over the demo data (with 300 cases).

For each operation Schemathesis sends the schema's examples, its boundary values (the "coverage" phase: each
declared value and limit, just inside and just outside) and random requests, valid and invalid. The requests go in
turn as a programme manager (token), an Albanian analyst (token), Albania's national coordinator (token) and an
Albanian case worker (session with a second factor). Every answer must hold to the schema: no server error, a status
code the operation declares, the declared content type and body, an invalid request refused, a valid one accepted
(a valid *body* may still be refused by a rule no schema can state: ``schema_valid_request_accepted``).

Each request runs in a transaction rolled back when its answer is read: nothing a request writes is seen by the
next, and a run is reproducible (derandomized Hypothesis, fixed seed, no failure cache). NUL characters are not
generated: every endpoint answers them 400 (``palermo/web/middleware.py``, pinned in ``test_limits.py``) and the
schema does not repeat that on every string. docs/contributing.md says how to run this test and how a new endpoint
passes it.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from rest_framework import fields, relations
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.result import Ok
from schemathesis.core.transport import Response
from schemathesis.pytest.lazy import get_all_tests
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from palermo.accounts.models import User
from palermo.web.management.commands.demo import DEMO_LOADERS
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db

# Bounded: the random ("fuzzing") phase draws this many examples per operation; the boundary values and the
# schema's examples come on top. Raise it locally to search harder (PALERMO_FUZZ_EXAMPLES=100).
MAX_EXAMPLES = int(os.environ.get("PALERMO_FUZZ_EXAMPLES") or 10)
REFUSED = {401, 403, 404}  # answers of a person who may not use an operation (or an object that is not theirs)
DEMO_CASES = 300  # the demo's 20,000 cases make no other answer; 300 keep the run short
# DRF's messages for what a JSON Schema can state (a type, a bound, a length, a choice, a blank or missing value):
# a schema-valid body refused with one of these means the schema is wrong. Other refusals of a body (an object that
# does not exist or that the caller may not see, a date before another, a share missing) are rules no schema states.
FORMAT_CODES = {"required", "null", "blank", "invalid", "max_length", "min_length", "max_value", "min_value",
                "invalid_choice", "not_a_list", "empty", "max_digits", "max_decimal_places", "max_whole_digits",
                "incorrect_type", "not_a_dict", "date", "datetime", "make_aware", "overflow", "max_string_length"}


def _format_messages() -> list[re.Pattern[str]]:
    messages: set[str] = set()
    for module in (fields, relations):
        for item in vars(module).values():
            if isinstance(item, type) and issubclass(item, fields.Field):
                for code, message in getattr(item, "default_error_messages", {}).items():
                    if code in FORMAT_CODES:
                        messages.add(str(message))
    return [re.compile(re.sub(r"\\\{\w+\\\}", ".*", re.escape(message)) + "$") for message in messages]


FORMAT_MESSAGES = _format_messages()


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, str):
        yield value


@schemathesis.check
def schema_valid_request_accepted(ctx: Any, response: Response, case: schemathesis.Case) -> bool | None:
    """Schemathesis' ``positive_data_acceptance``, except that a schema-valid *body* may be refused (400) by a rule
    no JSON Schema can state, as long as no refusal is one that the schema could have stated (``FORMAT_CODES``)."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except Failure:
        if response.status_code != 400 or case.body is NOT_SET or not response.content.startswith(b"{"):
            raise
        refusals = list(_texts(json.loads(response.content)))
        if not refusals or any(pattern.match(text) for text in refusals for pattern in FORMAT_MESSAGES):
            raise
        return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    schema_valid_request_accepted,
]
CONFIG = {
    "seed": 2026,
    "generation": {
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,
        "no-shrink": True,
        "database": "none",
        "allow-x00": False,
        "with-security-parameters": False,
    },
    "phases": {"stateful": {"enabled": False}},
    "cache": {"enabled": False},  # no replay of an earlier run's failures, no .schemathesis/ folder
}


class RolledBack:
    """Django's WSGI application, each request inside a transaction that is rolled back once the answer is read."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.requests = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        self.requests += 1
        with transaction.atomic():
            response = self.handler(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                response.close()
            transaction.set_rollback(True)
        return [body]


@dataclass
class Person:
    name: str
    headers: dict[str, str]
    cookies: dict[str, str] = field(default_factory=dict)


@dataclass
class Findings:
    failures: dict[Failure, str] = field(default_factory=dict)  # one per operation and kind, as Schemathesis counts
    examples: int = 0

    def add(self, group: FailureGroup, person: Person, case: schemathesis.Case, response: Response) -> None:
        for failure in group.exceptions:
            if isinstance(failure, Failure) and failure not in self.failures:
                self.failures[failure] = (
                    f"as {person.name}: {case.as_curl_command(headers=person.headers)}\n"
                    f"  answered {response.status_code}: {response.content[:300]!r}"
                )

    def by_kind(self) -> Counter[str]:
        return Counter(f"{failure.code} {failure.kind_title}" for failure in self.failures)

    def report(self) -> str:
        lines = [f"{count} {kind}" for kind, count in sorted(self.by_kind().items())]
        for failure, where in sorted(self.failures.items(), key=lambda item: (item[0].code, item[0].operation or "")):
            message = failure.message.strip().splitlines()
            lines.append(f"- {failure.code} {failure.operation}: {failure.title}; {' '.join(message[:3])}\n  {where}")
        return "\n".join(lines)


@pytest.fixture
def demo() -> float:
    """Every demo loader, as ``palermo demo`` runs them, with fewer synthetic cases; the seconds it took."""
    started = time.perf_counter()
    log: list[str] = []
    for name in DEMO_LOADERS:
        load = import_module(name).load
        load(log, total=DEMO_CASES) if "total" in inspect.signature(load).parameters else load(log)
    return time.perf_counter() - started


@pytest.fixture
def people(demo: float) -> list[Person]:
    def token(username: str) -> Person:
        key = Token.objects.get_or_create(user=User.objects.get(username=username))[0].key
        return Person(username, {"Authorization": f"Token {key}"})

    client = Client()
    verified_login(client, User.objects.get(username="caseworker-al"))
    csrf = "x" * 32
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    case_worker = Person("caseworker-al", {"X-CSRFToken": csrf},
                         {settings.SESSION_COOKIE_NAME: session, settings.CSRF_COOKIE_NAME: csrf})
    return [token("manager"), token("analyst-al"), token("coordinator-al"), case_worker]


@pytest.fixture
def application() -> Iterator[RolledBack]:
    """The WSGI application; as Django's test client does, a request does not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield RolledBack()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_operation_keeps_to_the_schema_for_every_person(
    demo: float, people: list[Person], application: RolledBack, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.perf_counter()
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/", application, config=schemathesis.Config.from_dict(CONFIG), headers=people[0].headers
    )
    findings = Findings()

    def exercise(case: schemathesis.Case) -> None:
        """The example as the next person in turn; if refused as someone who may not use the operation (401, 403,
        404), as the following people too, until one may: an invalid value is then tried past the permissions."""
        first = findings.examples % len(people)
        findings.examples += 1
        for person in people[first:] + people[:first]:
            response = case.call(headers=dict(person.headers), cookies=dict(person.cookies))
            try:
                case.validate_response(response, checks=CHECKS, headers=dict(person.headers))
            except FailureGroup as group:
                findings.add(group, person, case, response)
            if response.status_code not in REFUSED:
                break

    operations, unreadable = 0, []
    for result in get_all_tests(schema=schema, test_func=exercise, settings=None, given_kwargs=None):
        if not isinstance(result, Ok):  # an operation whose schema Schemathesis cannot read
            unreadable.append(str(result.err()))
            continue
        _operation, test = result.ok()
        operations += 1
        test()
    with capsys.disabled():
        print(
            f"\nschema fuzz: {operations} operations, {findings.examples} examples, {application.requests} requests"
            f" ({len(people)} people in turn), {len(findings.failures)} failures,"
            f" {time.perf_counter() - started:.1f} s (demo data loaded in {demo:.1f} s)"
        )
        if findings.failures:
            print(findings.report())
    assert not unreadable, unreadable
    assert operations >= 59
    assert not findings.failures, findings.report()
