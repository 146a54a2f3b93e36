from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class JusticeConfig(AppConfig):
    """Investigations, prosecutions and court decisions, against the official figures."""

    name = "palermo.justice"
    verbose_name = _("Criminal justice")

    def ready(self) -> None:
        from palermo.cases.timeline import add_source
        from palermo.justice import feeds, navigation, stock_take, timeline
        from palermo.steering.review import STOCK_TAKE_CONTRIBUTORS

        navigation.register()
        feeds.register()
        add_source(timeline.events)
        if apps.is_installed("palermo.capacity"):  # the trainings on the dashboard
            from palermo.justice import training_figures

            training_figures.register()
        if stock_take.stock_take not in STOCK_TAKE_CONTRIBUTORS:
            STOCK_TAKE_CONTRIBUTORS.append(stock_take.stock_take)
