"""Where capability apps plug their pages into the navigation, and figures and panels into the home page.

Each app calls ``add_link`` / ``add_headline`` / ``add_panel`` from its ``AppConfig.ready``; the shell stays
ignorant of what the apps hold. ``allowed`` and ``value`` are asked about a signed-in ``User`` only
(the navigation and the home page are behind ``signed_in``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from django.utils.functional import Promise

if TYPE_CHECKING:
    from palermo.accounts.models import User

SECTIONS = ("objective-1", "objective-2", "objective-3", "objective-4", "steering", "administration")

Rule: TypeAlias = "Callable[[User], bool]"
Figure: TypeAlias = "Callable[[User], int | str | None]"
PanelContext: TypeAlias = "Callable[[User], dict[str, Any] | None]"


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
    query: str = ""  # appended to the link: the list the figure counts, filtered as it counts


@dataclass(frozen=True)
class Panel:
    """A block of the home page: ``template`` rendered with ``data``, what ``context`` answers for the reader
    (None: nothing to show this reader)."""

    template: str
    context: PanelContext
    allowed: Rule
    order: int = 100


_links: list[Link] = []
_headlines: list[Headline] = []
_panels: list[Panel] = []


def everyone(user: User) -> bool:
    """Every signed-in person (the only people the navigation is built for)."""
    return True


def add_link(section: str, label: str | Promise, url_name: str, allowed: Rule = everyone, order: int = 100) -> None:
    if section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}")
    if not any(link.url_name == url_name and link.section == section for link in _links):
        _links.append(Link(section, label, url_name, allowed, order))


def add_headline(
    label: str | Promise, value: Figure, url_name: str | None = None, allowed: Rule = everyone, order: int = 100,
    query: str = "",
) -> None:
    if not any(h.label == label for h in _headlines):
        _headlines.append(Headline(label, value, url_name, allowed, order, query))


def add_panel(template: str, context: PanelContext, allowed: Rule = everyone, order: int = 100) -> None:
    if not any(panel.template == template for panel in _panels):
        _panels.append(Panel(template, context, allowed, order))


def links_for(user: User, section: str) -> list[Link]:
    return sorted((link for link in _links if link.section == section and link.allowed(user)), key=lambda k: k.order)


def headlines_for(user: User) -> list[Headline]:
    return sorted((h for h in _headlines if h.allowed(user)), key=lambda h: h.order)


def panels_for(user: User) -> list[Panel]:
    return sorted((panel for panel in _panels if panel.allowed(user)), key=lambda panel: panel.order)
