from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "palermo.cases"
    verbose_name = _("Victim cases")

    def ready(self) -> None:
        from palermo.cases import caseload, jobs, timeline
        from palermo.cases.access import may_edit_cases, may_read_cases, may_read_retention, may_search_by_name
        from palermo.jobs.signals import job_finished
        from palermo.web.registry import add_link, add_panel

        job_finished.connect(jobs.on_job_finished, dispatch_uid="cases-import-finished")
        timeline.add_source(timeline.case_events)
        add_link("objective-1", _("Victim cases"), "cases:list", allowed=may_read_cases, order=20)
        add_link("objective-1", _("Find a case by name"), "cases:search", allowed=may_search_by_name, order=22)
        add_link("objective-1", _("Import cases"), "cases:imports", allowed=may_edit_cases, order=25)
        add_panel("cases/_caseload.html", caseload.caseload, allowed=may_search_by_name, order=10)
        add_link("administration", _("Retention of identities"), "cases:retention", allowed=may_read_retention,
                 order=30)
