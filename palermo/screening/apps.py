from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from palermo.accounts.models import User


class ScreeningConfig(AppConfig):
    name = "palermo.screening"
    verbose_name = _("Identification and referral")

    def ready(self) -> None:
        from palermo.accounts.access import is_signed_in
        from palermo.cases.timeline import add_source
        from palermo.screening import timeline
        from palermo.web.registry import add_link

        add_source(timeline.events)
        add_link("objective-3", _("Legal qualification"), "screening:qualify", allowed=is_signed_in, order=10)
        add_link("objective-3", _("Indicator screening"), "screening:list", allowed=_may_screen, order=11)


def _may_screen(user: User) -> bool:
    from palermo.screening.access import may_screen

    return may_screen(user)
