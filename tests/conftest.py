from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from palermo.accounts.models import User
from palermo.accounts.roles import Role
from palermo.partners.models import Organisation

PASSWORD = "A-long-test-password-2026"
# The large shared data sets (official files, not shipped) lie beside the project, or where PALERMO_SHARED_DATA says.
SHARED_DATA = Path(os.environ.get("PALERMO_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")


def shared_data(relative: str) -> Path:
    """The path of a shared data set, for tests that need one: absent, the test is skipped with one clear line,
    or fails when ``PALERMO_REQUIRE_SHARED_DATA=1`` (as in CI), so that a missing file is never a silent skip."""
    path = SHARED_DATA / relative
    if path.exists():
        return path
    if os.environ.get("PALERMO_REQUIRE_SHARED_DATA") == "1":
        pytest.fail(f"shared data absent: {path} (PALERMO_REQUIRE_SHARED_DATA=1)", pytrace=False)
    # reported at the test that asked, not here (as a skip mark would be)
    raise pytest.skip.Exception(f"shared data absent: {path}", _use_item_location=True)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: Any) -> None:
    """On SQLite the test database is a file, not memory: tests that start a ``palermo worker`` process
    (tests/jobs) reach it the way a real worker reaches the real database."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and not database.get("TEST", {}).get("NAME"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


@pytest.fixture(autouse=True)
def isolated_test_settings(settings: Any, tmp_path: Any) -> None:
    """PBKDF2 is slow on purpose, and tests create many users; snapshots and uploads go to a
    temporary folder so that a test run never touches the demo's files under var/; the cache starts empty."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DIAGNOSTICS_SNAPSHOT = tmp_path / "diagnostics" / "cases.parquet"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit" / "checkpoints.jsonl"
    cache.clear()  # what one test cached (diagnostics figures) is never read by another


@pytest.fixture
def organisation_factory(db: Any) -> Callable[..., Organisation]:
    def make(short_name: str, kind: str = Organisation.Kind.NGO, country: str | None = None) -> Organisation:
        organisation, _ = Organisation.objects.get_or_create(
            name=f"Test organisation {short_name}",
            country_id=country,
            defaults={"short_name": short_name, "kind": kind},
        )
        return organisation

    return make


@pytest.fixture
def user_factory(db: Any, organisation_factory: Callable[..., Organisation]) -> Callable[..., User]:
    def make(
        username: str,
        role: str = Role.VIEWER,
        countries: tuple[str, ...] = (),
        organisation: Organisation | None = None,
        approved: bool = True,
        **extra: Any,
    ) -> User:
        """A user; a case worker's access to identities and a superuser's status are recorded as approved by a
        second person (``approved=False``: waiting, as an administrator's save leaves them)."""
        if organisation is None and role in (Role.CASE_WORKER, Role.IO_PARTNER):
            kind = Organisation.Kind.NGO if role == Role.CASE_WORKER else Organisation.Kind.INTERNATIONAL_ORGANISATION
            organisation = organisation_factory(f"org-{username}", kind, countries[0] if countries else None)
        user = User.objects.create_user(
            username=username, password=PASSWORD, role=role, organisation=organisation, **extra
        )
        user.countries.set(countries)
        profile = user.access_profile()
        if approved and profile.sensitive:
            user.approved_access = profile.as_json()
            user.access_approved_by_name = "tests"
            user.save(update_fields=["approved_access", "access_approved_by_name"])
        return user

    return make


def verified_login(client: Any, user: User) -> None:
    """Sign a user in with a confirmed second factor, as the TOTP step would."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    if user.needs_two_factor:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()



def download_rows(response: Any) -> list[dict[str, str]]:
    """The rows of a page's CSV download as a spreadsheet reads them: the byte-order mark required and dropped,
    the separator of the response's language (``;`` in French, ``,`` in English), one dict per row by header."""
    import csv
    import io

    assert response.content.startswith(b"\xef\xbb\xbf"), "a download for people starts with the UTF-8 byte-order mark"
    delimiter = ";" if response.get("Content-Language", "").startswith("fr") else ","
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=delimiter))
