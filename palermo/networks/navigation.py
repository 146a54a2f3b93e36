"""The networks' links in the menu (objective 1) and their part of the steering review."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from palermo.networks import diagnosis
    from palermo.networks.access import may_read_diagnoses, may_use_networks
    from palermo.steering.review import STOCK_TAKE_CONTRIBUTORS
    from palermo.web import registry

    registry.add_link("objective-1", _("Networks"), "networks:list", allowed=may_use_networks, order=20)
    registry.add_link("objective-1", _("Network diagnoses"), "networks:diagnoses", allowed=may_read_diagnoses,
                      order=21)
    if diagnosis.stock_take_section not in STOCK_TAKE_CONTRIBUTORS:
        STOCK_TAKE_CONTRIBUTORS.append(diagnosis.stock_take_section)
