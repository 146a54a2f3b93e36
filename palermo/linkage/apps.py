from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "palermo.linkage"
    verbose_name = _("Entity resolution")

    def ready(self) -> None:
        from palermo.linkage.access import may_review, may_see_linkage_figures
        from palermo.web.registry import add_link

        add_link("objective-4", _("Entity resolution: review queue"), "linkage:queue", allowed=may_review, order=40)
        add_link("objective-1", _("Unique victims across organisations"), "linkage:unique",
                 allowed=may_see_linkage_figures, order=16)
        add_link("objective-4", _("Linkage model and evaluation"), "linkage:model", allowed=may_see_linkage_figures,
                 order=42)
