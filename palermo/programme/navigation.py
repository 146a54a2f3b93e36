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


def active_actions(user: User) -> int:
    from palermo.programme.models import Action

    return Action.objects.filter(is_external=False).active().count()


def committed_this_year(user: User) -> str:
    from palermo.programme.models import Transaction, TransactionType

    total = Transaction.objects.filter(
        action__is_external=False, transaction_type=TransactionType.COMMITMENT, date__year=date.today().year
    ).aggregate(total=Sum("value"))["total"] or Decimal(0)
    return money(total)  # "1 770 €" in French, "€1,770" in English


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
    add_headline(_("Active actions"), active_actions, "programme:matrix", order=40)
    add_headline(_("Committed this year"), committed_this_year, "programme:matrix", order=50)
