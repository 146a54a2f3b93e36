"""Strict parsers for settings read from the environment.

A value may come from ``NAME`` or from a file named by ``NAME_FILE`` (Docker and systemd
secrets). Malformed values raise ``ImproperlyConfigured`` naming the variable.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE={file_path!r} cannot be read: {error}") from error
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from error


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_or_generated(name: str, path: Path, generate: bool, factory: Callable[[], str]) -> str:
    """The secret from the environment; else, in development only, one kept in ``path``."""
    value = env_str(name)
    if value:
        return value
    if not generate:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) is required in production")
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = factory()
    path.write_text(value, encoding="utf-8")
    path.chmod(0o600)
    return value


FIELD_KEY_BYTES = 32
FIELD_KEY_MIN_DISTINCT_BYTES = 16  # 32 random bytes hold ~27 distinct values; fewer than 16 is a made-up key


def field_key_problem(key: str) -> str | None:
    """Why ``key`` is not a field encryption key (URL-safe base64 of 32 random bytes), or ``None``.

    A key typed by hand (``abc``, a word, a repeated letter) decodes to the wrong length or to too few distinct
    bytes; production refuses to start with one.
    """
    try:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return "is not URL-safe base64"
    if len(raw) != FIELD_KEY_BYTES:
        return f"decodes to {len(raw)} bytes, not {FIELD_KEY_BYTES}"
    if len(set(raw)) < FIELD_KEY_MIN_DISTINCT_BYTES:
        return "does not look random (too few distinct bytes)"
    return None
