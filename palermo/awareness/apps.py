from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwarenessConfig(AppConfig):
    name = "palermo.awareness"
    verbose_name = _("Awareness campaigns")

    def ready(self) -> None:
        from palermo.awareness import hooks

        hooks.connect()
