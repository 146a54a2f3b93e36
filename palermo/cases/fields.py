"""Model fields whose values are encrypted at rest with settings.FIELD_ENCRYPTION_KEY.

Values sealed by one of settings.FIELD_ENCRYPTION_OLD_KEYS still read (``palermo cases rotate-key`` re-encrypts
them with the current key).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.db import models

from palermo.cases.crypto import Keyring, keyring_for


def keyring() -> Keyring:
    return keyring_for(settings.FIELD_ENCRYPTION_KEY, tuple(getattr(settings, "FIELD_ENCRYPTION_OLD_KEYS", ())))


def encrypt(text: str) -> str:
    return keyring().encrypt(text)


def encrypt_many(texts: list[str]) -> list[str]:
    return keyring().encrypt_many(texts)


def decrypt(token: str) -> str:
    return keyring().decrypt(token)


class EncryptedTextField(models.TextField):
    """A text stored encrypted; the empty string stays empty (nothing to hide, and it keeps blank checks cheap)."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        return decrypt(value) if value else ""

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        return encrypt(str(value)) if value else ""

    def formfield(self, **kwargs: Any) -> Any:
        kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)


class EncryptedDateField(models.TextField):
    """A date stored encrypted as its ISO text."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> date | None:
        return date.fromisoformat(decrypt(value)) if value else None

    def to_python(self, value: Any) -> date | None:
        if value in (None, ""):
            return None
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value))

    def get_prep_value(self, value: Any) -> str:
        value = self.to_python(value)
        return encrypt(value.isoformat()) if value else ""

    def formfield(self, **kwargs: Any) -> Any:
        return forms.DateField(
            required=not self.blank,
            label=self.verbose_name,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
