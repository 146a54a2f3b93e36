from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SteeringConfig(AppConfig):
    name = "palermo.steering"
    verbose_name = _("Steering committee")

    def ready(self) -> None:
        from palermo.steering.access import may_read_steering
        from palermo.web.registry import add_link

        add_link("steering", _("Steering committees"), "steering:meetings", allowed=may_read_steering, order=10)
