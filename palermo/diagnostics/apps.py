from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    name = "palermo.diagnostics"
    verbose_name = _("Diagnostics")

    def ready(self) -> None:
        from palermo.diagnostics import navigation

        navigation.register()
