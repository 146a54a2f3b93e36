"""Links and headline figures the programme contributes to the shell."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from palermo.i18n import money
from palermo.programme.access import may_upload_greta, reads_portfolio

if TYPE_CHECKING:
    from palermo.accounts.models import User


# The list the "actions under way" figure counts: the programme's own actions in implementation or finalisation
# (``Action.objects.active()``), as the reader may see them (on the reader's country, as the list opens).
UNDER_WAY_QUERY = "status=active&origin=programme"


def active_actions(user: User) -> int:
    from palermo.programme.models import Action
    from palermo.web.listing import own_country

    actions = Action.objects.visible_to(user).filter(is_external=False).active()
    if country := own_country(user):
        actions = actions.filter(country_shares__country_id=country).distinct()
    return actions.count()


def committed_latest_year(user: User) -> str | None:
    """The programme's commitments of the latest year that has any, up to this year, with the year: never a
    "EUR 0" of a year without transactions. None (the figure reads "—") when there is no commitment at all."""
    from palermo.programme.models import Transaction, TransactionType

    commitments = Transaction.objects.filter(action__is_external=False, transaction_type=TransactionType.COMMITMENT,
                                             date__year__lte=date.today().year)
    latest = commitments.order_by("-date").values_list("date__year", flat=True).first()
    if latest is None:
        return None
    total = commitments.filter(date__year=latest).aggregate(total=Sum("value"))["total"] or Decimal(0)
    return f"{money(total)} ({latest})"  # "1 770 € (2024)" in French, "€1,770 (2024)" in English


def register() -> None:
    from palermo.web.registry import add_headline, add_link

    add_link("objective-4", _("Portfolio of actions"), "programme:action_list", allowed=reads_portfolio, order=10)
    add_link("objective-4", _("Complementarity matrix"), "programme:matrix", order=20)
    add_link("objective-4", _("Overlap alerts"), "programme:overlaps", allowed=reads_portfolio, order=30)
    add_link("objective-4", _("Gap alerts"), "programme:gaps", order=40)
    add_link("objective-4", _("Timeline by country"), "programme:timeline", allowed=reads_portfolio, order=50)
    add_link("objective-4", _("GRETA recommendations"), "programme:greta_list", order=60)
    add_link("objective-4", _("Upload GRETA recommendations"), "programme:greta_upload", allowed=may_upload_greta,
             order=65)
    add_headline(_("Actions under way"), active_actions, "programme:action_list", allowed=reads_portfolio, order=40,
                 query=UNDER_WAY_QUERY)
    add_headline(_("Committed in the latest year with commitments"), committed_latest_year, "programme:matrix",
                 allowed=reads_portfolio, order=50)
