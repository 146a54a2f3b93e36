from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IatiConfig(AppConfig):
    name = "palermo.iati"
    verbose_name = _("IATI exchange")

    def ready(self) -> None:
        from palermo.iati import checks  # noqa: F401  (registers the start-up check)
