"""A platform with realistic content (cases sealed by two keys, an action with an uploaded document, a closed
steering meeting with its frozen review, audit rows), committed so that pg_dump sees it, and an empty scratch
database beside the test database to restore into (PostgreSQL: <name>_restore; SQLite: a file)."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.backup.database import temporary_connection
from palermo.cases.samples import HTCDS_COLUMNS
from palermo.cases.services import import_rows
from palermo.programme.models import Document
from palermo.programme.services import add_document
from palermo.steering import services as steering
from tests.cases.conftest import sample_rows
from tests.programme.test_framework_rules import PDF
from tests.steering.builders import build_portfolio

ROOT = Path(__file__).resolve().parents[2]
OLD_KEY = base64.urlsafe_b64encode(bytes(range(100, 132))).decode()
NEW_KEY = base64.urlsafe_b64encode(bytes(range(200, 232))).decode()
OLD_CASES, NEW_CASES = 6, 5


@dataclass
class Platform:
    document: Document
    media: Path
    import_file: Path


@pytest.fixture(scope="package")
def keep_reference_data(django_db_blocker: Any) -> Iterator[None]:
    """Torn down after the last of these tests (and its flush): puts back the data the migrations loaded
    (reference data), which the transactional tests run after them expect."""
    yield
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with django_db_blocker.unblock():
            connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def emptied(django_db_blocker: Any) -> None:
    """An empty database before the serialized rollback puts the migrations' data back: a transactional test run
    before (a browser test) ends with a flush that lets ``post_migrate`` create content types and permissions
    again, which the rollback's copy of them would then collide with."""
    with django_db_blocker.unblock():
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)


@pytest.fixture
def committed(emptied: None, keep_reference_data: None, django_db_serialized_rollback: None,
              transactional_db: None) -> None:
    """A database whose writes are committed (pg_dump reads from its own session)."""


@pytest.fixture
def platform(committed: None, settings: Any, user_factory: Callable[..., Any],
             organisation_factory: Callable[..., Any]) -> Platform:
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = OLD_KEY, []
    ngo = organisation_factory("NGO-AL", country="AL")
    report = import_rows(HTCDS_COLUMNS, sample_rows(OLD_CASES), layout="htcds", source="before rotation",
                         organisation=ngo, country="AL", acting_user=SYSTEM.running("test"))
    assert report.ok, report.as_dict()
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_OLD_KEYS = NEW_KEY, [OLD_KEY]
    report = import_rows(HTCDS_COLUMNS, sample_rows(NEW_CASES, seed=2), layout="htcds", source="after rotation",
                         organisation=ngo, country="AL", acting_user=SYSTEM.running("test"))
    assert report.ok, report.as_dict()
    manager = user_factory("manager", Role.PROGRAMME_MANAGER)
    portfolio = build_portfolio()
    document = add_document(acting_user=manager, action=portfolio.bilateral, title="Mid-term evaluation",
                            category="A01", language="en",
                            upload=SimpleUploadedFile("evaluation.pdf", PDF, content_type="application/pdf"))
    meeting = steering.create_meeting(acting_user=manager, year=2024, date=date(2025, 2, 10), place="Vienna")
    steering.close_meeting(acting_user=manager, meeting=meeting, with_pdf=False)
    media = Path(settings.MEDIA_ROOT)
    waiting = media / "case_imports" / "waiting.csv"  # an upload waiting for its import: identifying, in clear
    waiting.parent.mkdir(parents=True)
    waiting.write_text("first_name\nAna\n")
    return Platform(document=document, media=media, import_file=waiting)


@dataclass
class Scratch:
    """An empty database to restore into: its Django settings, and the URL a ``palermo`` process is given."""

    params: dict[str, Any]
    url: str
    var: Path

    def connect(self) -> Any:
        return temporary_connection("scratch", self.params)

    def palermo(self, *args: str, keys: tuple[str, ...] = (NEW_KEY, OLD_KEY)) -> subprocess.CompletedProcess[str]:
        """Run ``palermo`` on the scratch database, with its own (empty) MEDIA_ROOT and the given keys."""
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("PALERMO_", "DATABASE_URL", "DJANGO_"))}
        env = {**clean, "DATABASE_URL": self.url, "PALERMO_VAR_DIR": str(self.var),
               "PALERMO_FIELD_ENCRYPTION_KEY": keys[0], "PALERMO_FIELD_ENCRYPTION_OLD_KEYS": ",".join(keys[1:]),
               "PALERMO_AUDIT_KEY": str(settings.AUDIT_KEY)}
        return subprocess.run([sys.executable, "-m", "palermo.cli", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=600)


@pytest.fixture
def scratch(committed: None, tmp_path: Path) -> Iterator[Scratch]:
    var = tmp_path / "restored-var"
    if connection.vendor == "postgresql":
        name = str(connection.settings_dict["NAME"]).removeprefix("test_") + "_restore"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(os.environ["DATABASE_URL"])
        yield Scratch({**connection.settings_dict, "NAME": name}, urlunsplit(parts._replace(path=f"/{name}")), var)
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path / "restored.sqlite3"
        yield Scratch({"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}, f"sqlite:///{path}", var)
