from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    from palermo.web.navigation import menu_for

    return {"navigation": menu_for(request)}
