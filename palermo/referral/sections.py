"""What other capabilities show on a case's referral page, so that the referral app need not know them.

An app adds a section from its ``AppConfig.ready`` with ``add_section(template, context)``: ``context(user, case)``
returns the template's context (reading only what the user may see), or ``None`` to show nothing. The referral
page includes each section's template with that context as ``section``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from palermo.accounts.models import User
    from palermo.cases.models import Case

Context: TypeAlias = "Callable[[User, Case], dict[str, Any] | None]"


@dataclass(frozen=True)
class Section:
    template: str
    context: Context


_sections: list[Section] = []


def add_section(template: str, context: Context) -> None:
    if not any(section.template == template for section in _sections):
        _sections.append(Section(template, context))


def sections_for(user: User, case: Case) -> list[tuple[str, dict[str, Any]]]:
    shown = []
    for section in _sections:
        context = section.context(user, case)
        if context is not None:
            shown.append((section.template, context))
    return shown
