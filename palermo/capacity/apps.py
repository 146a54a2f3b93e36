from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapacityConfig(AppConfig):
    """Trainings of professionals funded by the programme's actions, with their participants and results."""

    name = "palermo.capacity"
    verbose_name = _("Capacity building")

    def ready(self) -> None:
        from palermo.capacity import figures
        from palermo.capacity.access import may_use_capacity
        from palermo.capacity.jobs import on_job_finished
        from palermo.jobs.signals import job_finished
        from palermo.programme.feeds import register_feed
        from palermo.steering.review import STOCK_TAKE_CONTRIBUTORS
        from palermo.web.registry import add_link

        add_link("objective-3", _("Trainings of professionals"), "capacity:list", allowed=may_use_capacity,
                 order=30)
        register_feed(key="capacity.people_trained", label=_("Professionals trained (from the trainings)"),
                      compute=figures.people_trained)
        if figures.stock_take not in STOCK_TAKE_CONTRIBUTORS:
            STOCK_TAKE_CONTRIBUTORS.append(figures.stock_take)
        job_finished.connect(on_job_finished, dispatch_uid="capacity.attendance_import")
