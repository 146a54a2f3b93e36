from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "palermo.ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from palermo.ops import health  # noqa: F401 (registers the built-in readiness checks)
