"""Pages of the actions: the list (with its downloads), one action, and its edit form."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.programme import services
from palermo.programme.access import access_action, may_create_action, may_edit, require_portfolio
from palermo.programme.choices import DOCUMENT_CATEGORY_LABELS
from palermo.programme.filters import ActionFilter
from palermo.programme.forms import ActionForm, BudgetForm, TransactionForm
from palermo.programme.models import (
    Action,
    ActionObjective,
    ActivityStatus,
    Channel,
    Indicator,
    Result,
)
from palermo.reference.models import Country, Objective
from palermo.web.listing import download, list_page

ACTION_HEADERS = ("identifier", "title", "channel", "status", "countries", "objectives", "planned_start",
                  "planned_end", "actual_start", "actual_end", "external")


def action_rows(actions: Iterable[Action]) -> list[list[Any]]:
    return [
        [a.iati_identifier, a.title, a.channel, a.status,
         " ".join(f"{s.country_id}={s.percentage:f}" for s in a.country_shares.all()),
         " ".join(f"{s.objective.number}={s.percentage:f}" for s in a.objective_shares.all()),
         a.planned_start, a.planned_end, a.actual_start, a.actual_end, a.is_external]
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
        "country_shares", Prefetch("objective_shares", queryset=ActionObjective.objects.select_related("objective"))
    )
    listing = list_page(request, actions, ActionFilter)
    if listing.download and listing.filterset.is_valid():
        return download(request, name="actions", fmt=listing.download, headers=ACTION_HEADERS,
                        rows=action_rows(listing.queryset))
    return render(request, "programme/action_list.html", {
        "listing": listing, "page": listing.page, "query": listing.query, "countries": Country.objects.programme(),
        "objectives": Objective.objects.all(), "channels": Channel.choices, "statuses": ActivityStatus.choices,
        "params": request.GET, "may_create": may_create_action(request.user),
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
    documents = [(document, DOCUMENT_CATEGORY_LABELS.get(document.category, document.category))
                 for document in action.documents.all()]
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
