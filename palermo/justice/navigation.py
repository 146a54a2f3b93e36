"""The justice pages in the navigation (objective 3: protect victims and prosecute perpetrators)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from palermo.justice.access import may_read_justice, may_view_figures
from palermo.web import registry


def register() -> None:
    registry.add_link("objective-3", _("Criminal proceedings"), "justice:proceedings", allowed=may_read_justice,
                      order=20)
    registry.add_link("objective-3", _("Prosecutions and convictions"), "justice:figures", allowed=may_view_figures,
                      order=21)
