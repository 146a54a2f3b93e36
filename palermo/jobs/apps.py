from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "palermo.jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from palermo.jobs import metrics

        metrics.register()
