"""The OpenAPI schema's answers that every endpoint shares: the refusals.

drf-spectacular documents the success of each operation; the refusals come from the layers every request crosses
(the NUL check, authentication, permissions, the object lookup, the JSON parser), so they are declared once here for
every operation rather than on each view. ``tests/api/test_schema_fuzz.py`` holds the code to this schema.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer[dict[str, str]]):
    """A refusal in one sentence."""

    detail = serializers.CharField()


INVALID = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Invalid input: each parameter or field named with its reasons (`{\"year\": [\"...\"]}`), or "
    "`{\"detail\": \"...\"}` for a whole request (a NUL character anywhere, a body that is not JSON).",
)
UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="No credentials, or unknown ones.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Signed in, but this role may not do this.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such object, or one outside your scope (alike).")
UNSUPPORTED = OpenApiResponse(ErrorSerializer, description="The body is not `application/json`.")
CONFLICT = OpenApiResponse(ErrorSerializer, description="The object's state does not allow this (e.g. closed).")


def _optional(pattern: str) -> str:
    """A ``^...$`` pattern that also matches the empty value (an empty filter filters nothing)."""
    if pattern.startswith("^") and pattern.endswith("$"):
        return f"^(?:{pattern[1:-1]})?$"
    return pattern


def refine_filter_parameter(schema: dict[str, Any], filter_: Any) -> None:
    """What the filter's form field checks, said in the parameter's schema: bounds, pattern, length, and the empty
    value of an optional choice (``?kind=`` lists every kind, as the page's "All")."""
    extra = filter_.extra
    if extra.get("min_value") is not None:
        schema["minimum"] = extra["min_value"]
    if extra.get("max_value") is not None:
        schema["maximum"] = extra["max_value"]
    regex = extra.get("regex")
    if regex is not None:
        schema["pattern"] = _optional(getattr(regex, "pattern", regex))
    if extra.get("max_length") is not None:
        schema["maxLength"] = extra["max_length"]
    enum = schema.get("enum")
    if enum and not extra.get("required") and schema.get("type") == "string" and "" not in enum:
        schema["enum"] = [*enum, ""]
    if schema.get("type") in ("integer", "number") and not extra.get("required"):
        optional = or_empty(dict(schema))
        schema.clear()
        schema.update(optional)


def or_empty(schema: dict[str, Any]) -> dict[str, Any]:
    """A number parameter that may also be given empty (``?year=``, as a page's empty field sends it): no filter."""
    return {"anyOf": [schema, {"type": "string", "enum": [""]}]}


def decimal_pattern(max_digits: int | None, places: int) -> str:
    """A decimal as DRF reads it: at least one digit, at most ``places`` after the point and ``max_digits`` in all
    (drf-spectacular's own pattern also matches "", "-" and ".", which DRF refuses)."""
    whole = None if max_digits is None else max_digits - places
    some = r"\d+" if whole is None else rf"\d{{1,{whole}}}" if whole else "0"
    maybe = r"\d*" if whole is None else rf"\d{{0,{whole}}}" if whole else "0?"
    return rf"^-?(?:{some}(?:\.\d{{0,{places}}})?|{maybe}\.\d{{1,{places}}})$"


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with each operation's refusals: 400, 401 and 403 everywhere, 404 where the path
    names an object, 415 where a body is read. A view's own ``extend_schema(responses=...)`` for a code wins.
    Filter parameters say what their form fields check (:func:`refine_filter_parameter`)."""

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super()._get_filter_parameters()
        filterset_class = getattr(self.view, "filterset_class", None)
        filters = getattr(filterset_class, "base_filters", {})
        for parameter in parameters:
            if parameter["name"] in filters and "schema" in parameter:
                refine_filter_parameter(parameter["schema"], filters[parameter["name"]])
        return parameters

    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False) -> Any:
        """A read-only choice taken from a model field that may be blank answers "" as well (DRF drops
        ``allow_blank`` from read-only fields, and with it the blank choice from the schema)."""
        if isinstance(field, serializers.ChoiceField) and field.read_only and not field.allow_blank:
            model = getattr(getattr(field.parent, "Meta", None), "model", None)
            try:
                blank = model is not None and model._meta.get_field(field.source).blank
            except Exception:  # not a model field (a property, a method, a related path)
                blank = False
            if blank:
                field.allow_blank = True
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (isinstance(field, serializers.CharField) and direction == "request" and not field.allow_blank
                and not field.read_only and schema.get("type") == "string"):
            schema.setdefault("minLength", 1)  # drf-spectacular says so of a field, not of a list's items
            if field.trim_whitespace:
                # DRF strips what Python calls whitespace, which includes \x1c-\x1f (not in a schema's \s)
                schema.setdefault("pattern", r"[^\s\x1c-\x1f]")
        if isinstance(field, serializers.DecimalField) and "pattern" in schema and field.decimal_places:
            schema["pattern"] = decimal_pattern(field.max_digits, field.decimal_places)
        return schema

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        refusals = {"400": INVALID, "401": UNAUTHENTICATED, "403": FORBIDDEN}
        if "{" in self.path:
            refusals["404"] = NOT_FOUND
        if self.method in ("POST", "PUT", "PATCH"):
            refusals["415"] = UNSUPPORTED
        for code, refusal in refusals.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(refusal, code, direction=direction)
        return responses
