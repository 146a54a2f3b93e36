from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from palermo.accounts.access import is_signed_in
from palermo.web import registry

SECTION_TITLES = {
    "objective-1": _("1. Understand"),
    "objective-2": _("2. Warn"),
    "objective-3": _("3. Protect and prosecute"),
    "objective-4": _("4. Cooperate"),
    "steering": _("Steering committee"),
    "administration": _("Administration"),
}


def menu_for(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not is_signed_in(user):
        return []  # nothing to navigate to before signing in, nor before the second factor
    menu = []
    for section in registry.SECTIONS:
        links = [
            {"label": link.label, "url": reverse(link.url_name), "active": request.path == reverse(link.url_name)}
            for link in registry.links_for(user, section)
        ]
        if links:
            menu.append({"key": section, "title": SECTION_TITLES[section], "links": links})
    return menu
