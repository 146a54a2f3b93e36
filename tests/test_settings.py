"""Settings come from the environment; production settings pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from palermo import conf

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "PALERMO_PRODUCTION": "1",
    "PALERMO_SECRET_KEY": "x7!Qm2#Lp9@Vz4$Rt8^Wk1&Hs6*Nd3(Jf5)Bg0-Cy7=Ue2+Ao9_Ix4%Mq8~Tr1",
    "PALERMO_ALLOWED_HOSTS": "palermo.example.org",
    "PALERMO_AUDIT_KEY": "Qm2#Lp9@Vz4$Rt8^Wk1&Hs6*Nd3(Jf5)Bg0-Cy7=Ue2",
    "DATABASE_URL": "sqlite:////tmp/palermo-deploy-check.sqlite3",
}


def palermo(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PALERMO_", "DATABASE_URL", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-m", "palermo.cli", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checks_without_warning(tmp_path: Path) -> None:
    key_file = tmp_path / "field.key"
    key_file.write_text("q0dZ7d2zYkJ1m3X0Zc5tQm3p7bLrV1uY8hE2nK4sW9A=")
    result = palermo(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION_ENV, "PALERMO_FIELD_ENCRYPTION_KEY_FILE": str(key_file)},
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_its_secrets() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "PALERMO_SECRET_KEY"}
    result = palermo("check", env=env)
    assert result.returncode != 0
    assert "PALERMO_SECRET_KEY (or PALERMO_SECRET_KEY_FILE) is required in production" in result.stderr


def test_a_malformed_boolean_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PALERMO_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"PALERMO_DEBUG='maybe' is not a boolean"):
        conf.env_bool("PALERMO_DEBUG", False)


def test_a_secret_is_read_from_its_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SOME_SECRET_FILE", str(secret))
    assert conf.env_str("SOME_SECRET") == "from-a-file"


def test_an_unreadable_secret_file_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOME_SECRET_FILE", "/nonexistent/secret")
    with pytest.raises(ImproperlyConfigured, match="SOME_SECRET_FILE='/nonexistent/secret' cannot be read"):
        conf.env_str("SOME_SECRET")


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("abc", "is not URL-safe base64"),
        ("YWJj", "decodes to 3 bytes, not 32"),
        ("A" * 43 + "=", "does not look random (too few distinct bytes)"),
        ("q0dZ7d2zYkJ1m3X0Zc5tQm3p7bLrV1uY8hE2nK4sW9A=", None),
    ],
)
def test_a_field_key_must_be_32_random_bytes(key: str, problem: str | None) -> None:
    assert conf.field_key_problem(key) == problem


def test_production_refuses_a_weak_field_key_and_any_host(tmp_path: Path) -> None:
    weak = palermo("check", env={**PRODUCTION_ENV, "PALERMO_FIELD_ENCRYPTION_KEY": "abc"})
    assert weak.returncode != 0
    assert ("PALERMO_FIELD_ENCRYPTION_KEY is not URL-safe base64: it must be 32 random bytes in URL-safe base64, "
            "made as docs/deployment.md shows") in weak.stderr
    key = "q0dZ7d2zYkJ1m3X0Zc5tQm3p7bLrV1uY8hE2nK4sW9A="
    old = palermo("check", env={**PRODUCTION_ENV, "PALERMO_FIELD_ENCRYPTION_KEY": key,
                                "PALERMO_FIELD_ENCRYPTION_OLD_KEYS": "old-password"})
    assert old.returncode != 0 and "PALERMO_FIELD_ENCRYPTION_OLD_KEYS decodes to" in old.stderr
    anywhere = palermo("check", env={**PRODUCTION_ENV, "PALERMO_FIELD_ENCRYPTION_KEY": key,
                                     "PALERMO_ALLOWED_HOSTS": "palermo.example.org,*"})
    assert anywhere.returncode != 0
    assert "PALERMO_ALLOWED_HOSTS=* is refused in production: name the site's host names" in anywhere.stderr
