from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    name = "palermo.justice"
    verbose_name = _("Criminal justice")

    def ready(self) -> None:
        from palermo.justice import navigation

        navigation.register()
