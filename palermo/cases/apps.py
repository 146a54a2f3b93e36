from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "palermo.cases"
    verbose_name = _("Victim cases")

    def ready(self) -> None:
        from palermo.cases import jobs, timeline
        from palermo.cases.access import may_edit_cases, may_read_cases, may_read_retention
        from palermo.jobs.signals import job_finished
        from palermo.web.registry import add_link

        job_finished.connect(jobs.on_job_finished, dispatch_uid="cases-import-finished")
        timeline.add_source(timeline.case_events)
        add_link("objective-1", _("Victim cases"), "cases:list", allowed=may_read_cases, order=20)
        add_link("objective-1", _("Import cases"), "cases:imports", allowed=may_edit_cases, order=25)
        add_link("administration", _("Retention of identities"), "cases:retention", allowed=may_read_retention,
                 order=30)
