from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "palermo.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from palermo.audit.access import may_read_audit
        from palermo.web.registry import add_link

        add_link("administration", _("Audit log"), "audit:search", allowed=may_read_audit, order=10)
