"""What the app adds to the others from ``AppConfig.ready``: its navigation, the people-reached feed of the
programme's indicators, its part of the steering committee's stock-take and of its proposal."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def connect() -> None:
    from palermo.awareness import reach
    from palermo.awareness.access import may_read_campaigns, may_read_risk
    from palermo.programme.feeds import register_feed
    from palermo.steering.review import PROPOSAL_CONTRIBUTORS, STOCK_TAKE_CONTRIBUTORS
    from palermo.web.registry import add_link

    register_feed(key=reach.FEED_KEY, label=_("people reached by awareness campaigns"),
                  compute=reach.people_reached)
    if reach.stock_take not in STOCK_TAKE_CONTRIBUTORS:
        STOCK_TAKE_CONTRIBUTORS.append(reach.stock_take)
    if reach.proposal not in PROPOSAL_CONTRIBUTORS:
        PROPOSAL_CONTRIBUTORS.append(reach.proposal)
    add_link("objective-2", _("Awareness campaigns"), "awareness:campaigns", allowed=may_read_campaigns, order=10)
    add_link("objective-2", _("Risk profiles and campaign planning"), "awareness:risk", allowed=may_read_risk,
             order=11)
