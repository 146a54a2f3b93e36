"""Where capability apps plug their pages into the navigation and figures into the home page.

Each app calls ``add_link`` / ``add_headline`` from its ``AppConfig.ready``; the shell stays
ignorant of what the apps hold. ``allowed`` and ``value`` are asked about a signed-in ``User`` only
(the navigation and the home page are behind ``signed_in``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from django.utils.functional import Promise

if TYPE_CHECKING:
    from palermo.accounts.models import User

SECTIONS = ("objective-1", "objective-2", "objective-3", "objective-4", "steering", "administration")

Rule: TypeAlias = "Callable[[User], bool]"
Figure: TypeAlias = "Callable[[User], int | str | None]"


@dataclass(frozen=True)
class Link:
    section: str
    label: str | Promise
    url_name: str
    allowed: Rule
    order: int = 100


@dataclass(frozen=True)
class Headline:
    label: str | Promise
    value: Figure
    url_name: str | None
    allowed: Rule
    order: int = 100


_links: list[Link] = []
_headlines: list[Headline] = []


def everyone(user: User) -> bool:
    """Every signed-in person (the only people the navigation is built for)."""
    return True


def add_link(section: str, label: str | Promise, url_name: str, allowed: Rule = everyone, order: int = 100) -> None:
    if section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}")
    if not any(link.url_name == url_name and link.section == section for link in _links):
        _links.append(Link(section, label, url_name, allowed, order))


def add_headline(
    label: str | Promise, value: Figure, url_name: str | None = None, allowed: Rule = everyone, order: int = 100
) -> None:
    if not any(h.label == label for h in _headlines):
        _headlines.append(Headline(label, value, url_name, allowed, order))


def links_for(user: User, section: str) -> list[Link]:
    return sorted((link for link in _links if link.section == section and link.allowed(user)), key=lambda k: k.order)


def headlines_for(user: User) -> list[Headline]:
    return sorted((h for h in _headlines if h.allowed(user)), key=lambda h: h.order)
