from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "palermo.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from palermo.accounts import signals  # noqa: F401
        from palermo.accounts.access import may_approve_access
        from palermo.web.registry import add_link

        add_link("administration", _("Access approvals"), "accounts:approvals", allowed=may_approve_access, order=20)
