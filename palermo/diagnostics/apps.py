from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    name = "palermo.diagnostics"
    verbose_name = _("Diagnostics")

    def ready(self) -> None:
        from palermo.cases.signals import cases_changed
        from palermo.diagnostics import jobs, navigation

        navigation.register()
        cases_changed.connect(jobs.on_cases_changed, dispatch_uid="diagnostics-snapshot")
