"""Pages of the actions: the list (with its downloads), one action, and its edit form."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.programme import services
from palermo.programme.access import access_action, may_create_action, may_edit, require_portfolio
from palermo.programme.choices import DOCUMENT_CATEGORY_LABELS, DOCUMENT_LANGUAGES
from palermo.programme.filters import ActionFilter
from palermo.programme.forms import ActionForm, BudgetForm, TransactionForm
from palermo.programme.models import (
    Action,
    ActionCountry,
    ActionObjective,
    Channel,
    Indicator,
    Result,
    TraffickingForm,
    TransactionType,
)
from palermo.reference.models import Country, Objective
from palermo.web.listing import download, list_page, own_country, yes_no

ACTION_HEADERS = (_lazy("Identifier"), _lazy("Title"), _lazy("Channel"), _lazy("Status"), _lazy("Countries"),
                  _lazy("Objectives"), _lazy("Planned start"), _lazy("Planned end"), _lazy("Actual start"),
                  _lazy("Actual end"), _lazy("Committed (EUR)"), _lazy("Disbursed (EUR)"), _lazy("Expended (EUR)"),
                  _lazy("Other donor's action"), _lazy("Form of trafficking"))


def _shares(shares: Iterable[Any], name: Callable[[Any], str]) -> str:
    return "; ".join(f"{name(s)} {s.percentage.normalize():f}\u00a0%" for s in shares)


def _money(action: Action, kind: int) -> Decimal:
    return sum((t.value for t in action.transactions.all() if t.transaction_type == kind), Decimal("0"))


def action_rows(actions: Iterable[Action]) -> list[list[Any]]:
    """One row per action for a download: names and words rather than codes, money summed over every year
    (prefetch ``transactions``, and ``country_shares__country`` and ``objective_shares__objective``)."""
    return [
        [a.iati_identifier, a.title, a.get_channel_display(), a.get_status_display(),
         _shares(a.country_shares.all(), lambda s: s.country.name),
         _shares(a.objective_shares.all(), lambda s: f"{s.objective.number}. {s.objective.name}"),
         a.planned_start, a.planned_end, a.actual_start, a.actual_end,
         _money(a, TransactionType.COMMITMENT), _money(a, TransactionType.DISBURSEMENT),
         _money(a, TransactionType.EXPENDITURE), yes_no(a.is_external),
         a.get_trafficking_form_display()]
        for a in actions
    ]


def attach_errors(form: BaseForm, error: ValidationError) -> None:
    """A service's refusal shown on the form, each message on the field it names."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@signed_in
def action_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_portfolio(request.user)
    actions = Action.objects.visible_to(request.user).prefetch_related(
        Prefetch("country_shares", queryset=ActionCountry.objects.select_related("country")),
        Prefetch("objective_shares", queryset=ActionObjective.objects.select_related("objective")),
    )
    listing = list_page(request, actions, ActionFilter, defaults={"country": own_country(request.user)})
    if listing.download and listing.filterset.is_valid():
        return download(request, name="actions", fmt=listing.download, headers=ACTION_HEADERS,
                        rows=action_rows(listing.queryset.prefetch_related("transactions")))
    return render(request, "programme/action_list.html", {
        "listing": listing, "page": listing.page, "query": listing.query, "countries": Country.objects.programme(),
        "objectives": Objective.objects.all(), "channels": Channel.choices,
        "trafficking_forms": TraffickingForm.choices,
        "statuses": ActionFilter.base_filters["status"].extra["choices"], "origins": ActionFilter.ORIGINS,
        "params": listing.params, "may_create": may_create_action(request.user),
    }, status=400 if listing.filterset.errors else 200)


@signed_in
def action_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = access_action(request.user, pk)
    editable = may_edit(request.user, action)
    transaction_form, budget_form = TransactionForm(prefix="tx"), BudgetForm(prefix="budget")
    if request.method == "POST":
        if not editable:
            raise Http404
        if request.POST.get("add") == "transaction":
            transaction_form = TransactionForm(request.POST, prefix="tx")
            if _added(transaction_form, lambda data: services.save_transaction(
                    acting_user=request.user, action=action, **data)):
                messages.success(request, _("Saved."))
                return redirect("programme:action_detail", pk=action.pk)
        else:
            budget_form = BudgetForm(request.POST, prefix="budget")
            if _added(budget_form, lambda data: services.save_budget(acting_user=request.user, action=action,
                                                                    **data)):
                messages.success(request, _("Saved."))
                return redirect("programme:action_detail", pk=action.pk)
    results = Result.objects.filter(action=action).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.prefetch_related("periods__disaggregations"))
    )
    documents = [(document, DOCUMENT_CATEGORY_LABELS.get(document.category, document.category),
                  DOCUMENT_LANGUAGES.get(document.language, document.language)) for document in action.documents.all()]
    return render(request, "programme/action_detail.html", {
        "action": action, "editable": editable, "results": results, "documents": documents,
        "participations": action.participations.select_related("organisation"),
        "country_shares": action.country_shares.select_related("country"),
        "objective_shares": action.objective_shares.select_related("objective"),
        "transaction_form": transaction_form, "budget_form": budget_form,
    })


def _added(form: BaseForm, save: Callable[[dict[str, Any]], object]) -> bool:
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as error:
        attach_errors(form, error)
        return False
    return True


@signed_in
def action_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    action = access_action(request.user, pk) if pk is not None else None
    if action is not None and not may_edit(request.user, action):
        raise Http404
    if action is None and not may_create_action(request.user):
        raise Http404
    form = ActionForm(request.POST or None, instance=action or Action(
        channel=services.default_channel_for(request.user)))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_action(acting_user=request.user, action=action, content=form.content(action))
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Action saved."))
            return redirect("programme:action_detail", pk=saved.pk)
    return render(request, "programme/action_form.html", {"form": form, "action": action})
