from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "palermo.programme"
    verbose_name = _("Programme portfolio")

    def ready(self) -> None:
        from palermo.programme import navigation

        navigation.register()
