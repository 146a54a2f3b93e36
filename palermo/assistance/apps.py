from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "palermo.assistance"
    verbose_name = _("Assistance")

    def ready(self) -> None:
        from palermo.assistance import sections, timeline
        from palermo.cases.timeline import add_source
        from palermo.referral.sections import add_section

        add_source(timeline.events)
        add_section("assistance/_case_section.html", sections.case_section)
