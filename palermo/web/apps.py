from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "palermo.web"
    verbose_name = _("Web")

    def ready(self) -> None:
        from palermo.partners.models import Organisation
        from palermo.reference.models import Country, LegalInstrument
        from palermo.web.registry import add_headline, add_link

        add_link("objective-1", _("Forms of exploitation"), "web:exploitation_forms", order=90)
        add_link("objective-3", _("Legal frame"), "web:legal_frame", order=80)
        add_link("objective-3", _("Identification indicators"), "web:indicators", order=90)
        add_link("objective-4", _("Organisations"), "partners:organisations", order=90)
        add_link("administration", _("API documentation"), "api:docs", order=90)
        add_link(
            "administration", _("Reference data (admin)"), "admin:index", allowed=lambda user: user.is_staff, order=95
        )
        add_headline(_("Programme countries"), lambda user: Country.objects.programme().count(), order=10)
        add_headline(
            _("Partner organisations"),
            lambda user: Organisation.objects.visible_to(user).count(),
            "partners:organisations",
            order=20,
        )
        add_headline(
            _("Legal instruments followed"), lambda user: LegalInstrument.objects.count(), "web:legal_frame", order=30
        )
