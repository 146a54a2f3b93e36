"""Where capability apps plug their pages into the navigation and figures into the home page.

Each app calls ``add_link`` / ``add_headline`` from its ``AppConfig.ready``; the shell stays
ignorant of what the apps hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

SECTIONS = ("objective-1", "objective-2", "objective-3", "objective-4", "steering", "administration")


@dataclass(frozen=True)
class Link:
    section: str
    label: str | Promise
    url_name: str
    allowed: Callable[[Any], bool]
    order: int = 100


@dataclass(frozen=True)
class Headline:
    label: str | Promise
    value: Callable[[Any], int | str | None]
    url_name: str | None
    allowed: Callable[[Any], bool]
    order: int = 100


_links: list[Link] = []
_headlines: list[Headline] = []


def everyone(user: Any) -> bool:
    return bool(user.is_authenticated)


def add_link(
    section: str, label: str | Promise, url_name: str, allowed: Callable[[Any], bool] = everyone, order: int = 100
) -> None:
    if section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}")
    if not any(link.url_name == url_name and link.section == section for link in _links):
        _links.append(Link(section, label, url_name, allowed, order))


def add_headline(
    label: str | Promise,
    value: Callable[[Any], int | str | None],
    url_name: str | None = None,
    allowed: Callable[[Any], bool] = everyone,
    order: int = 100,
) -> None:
    if not any(h.label == label for h in _headlines):
        _headlines.append(Headline(label, value, url_name, allowed, order))


def links_for(user: Any, section: str) -> list[Link]:
    return sorted((link for link in _links if link.section == section and link.allowed(user)), key=lambda k: k.order)


def headlines_for(user: Any) -> list[Headline]:
    return sorted((h for h in _headlines if h.allowed(user)), key=lambda h: h.order)
