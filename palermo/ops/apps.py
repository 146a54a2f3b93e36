from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "palermo.ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from django.apps import apps

        from palermo.ops import health  # registers the built-in readiness checks

        if apps.is_installed("palermo.jobs"):
            from palermo.jobs.health import worker_check

            health.add_check("worker", worker_check)
