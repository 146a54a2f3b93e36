"""Serializer fields shared by the apps' APIs."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """Text that must arrive as a JSON string: DRF's ``CharField`` turns a number into text, which the schema
    (``type: string``) does not allow, so Schemathesis rightly calls that accepting a schema-violating request."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)  # type: ignore[no-any-return]
