from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "palermo.cases"
    verbose_name = _("Victim cases")

    def ready(self) -> None:
        from palermo.accounts.roles import CASE_RECORD_ROLES, Role
        from palermo.web.registry import add_link

        add_link("objective-1", _("Victim cases"), "cases:list",
                 allowed=lambda user: user.is_authenticated and user.role in CASE_RECORD_ROLES, order=20)
        add_link("objective-1", _("Import cases"), "cases:imports",
                 allowed=lambda user: user.is_authenticated and user.role == Role.CASE_WORKER, order=25)
