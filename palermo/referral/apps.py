from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The case page links here with this label (palermo/cases/templates/cases/detail.html); kept in this catalogue.
CASE_LINK_LABEL = _("Referral (national referral mechanism)")


class ReferralConfig(AppConfig):
    name = "palermo.referral"
    verbose_name = _("National referral mechanism")

    def ready(self) -> None:
        from palermo.accounts.access import is_signed_in
        from palermo.cases.timeline import add_source
        from palermo.referral import timeline, worklist
        from palermo.referral.access import may_use_referrals
        from palermo.web.registry import add_link, add_panel

        add_source(timeline.events)
        add_link("objective-3", _("Referral worklist"), "referral:worklist", allowed=may_use_referrals, order=12)
        add_link("objective-3", _("Service directory"), "referral:services", allowed=is_signed_in, order=13)
        add_panel("referral/_next_steps.html", worklist.next_steps, allowed=may_use_referrals, order=20)
