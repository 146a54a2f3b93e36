from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    """The objective-3 dashboard: identification, referral and assistance in aggregate."""

    name = "palermo.protection"
    verbose_name = _("Identification, referral and assistance in aggregate")

    def ready(self) -> None:
        from palermo.protection.access import may_view_dashboard
        from palermo.web.registry import add_link

        add_link("objective-3", _("Identification and referral dashboard"), "protection:dashboard",
                 allowed=may_view_dashboard, order=14)
