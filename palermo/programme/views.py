"""Pages of the portfolio: actions and GRETA recommendations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from palermo.numbers import whole_number
from palermo.programme import services, tabular
from palermo.programme.access import (
    access_action,
    access_recommendation,
    may_edit,
    may_upload_greta,
    require_portfolio,
)
from palermo.programme.documents import CATEGORY_LABELS
from palermo.programme.forms import ActionForm, BudgetForm, TransactionForm
from palermo.programme.framework_views import attach_errors
from palermo.programme.models import (
    Action,
    ActionCountry,
    ActionObjective,
    ActivityStatus,
    Channel,
    GretaRecommendation,
    Indicator,
    Result,
)
from palermo.programme.portfolio import portfolio_year, running_in
from palermo.reference.models import Country, Objective


def filter_actions(actions: QuerySet[Action], params: Any) -> QuerySet[Action]:
    if q := params.get("q", "").strip():
        actions = actions.filter(Q(title_en__icontains=q) | Q(title_fr__icontains=q) | Q(iati_identifier__icontains=q)
                                 | Q(description_en__icontains=q) | Q(description_fr__icontains=q))
    if country := params.get("country", ""):
        actions = actions.filter(Exists(ActionCountry.objects.filter(action=OuterRef("pk"), country_id=country)))
    if objective := whole_number(params.get("objective")):
        actions = actions.filter(Exists(ActionObjective.objects.filter(action=OuterRef("pk"),
                                                                       objective__number=objective)))
    if params.get("channel", "") in Channel.values:
        actions = actions.filter(channel=params["channel"])
    if (status := whole_number(params.get("status"))) in ActivityStatus.values:
        actions = actions.filter(status=status)
    if year := portfolio_year(params.get("year")):
        actions = running_in(actions, year)  # the matrix's own rule: lists and matrix agree
    if params.get("origin") == "programme":
        actions = actions.filter(is_external=False)
    elif params.get("origin") == "external":
        actions = actions.filter(is_external=True)
    return actions


ACTION_HEADERS = ("identifier", "title", "channel", "status", "countries", "objectives", "planned_start",
                  "planned_end", "actual_start", "actual_end", "external")


def _action_rows(actions: QuerySet[Action]) -> list[list[Any]]:
    return [
        [a.iati_identifier, a.title, a.channel, a.status,
         " ".join(f"{s.country_id}={s.percentage:f}" for s in a.country_shares.all()),
         " ".join(f"{s.objective.number}={s.percentage:f}" for s in a.objective_shares.all()),
         a.planned_start, a.planned_end, a.actual_start, a.actual_end, a.is_external]
        for a in actions
    ]


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    require_portfolio(request.user)
    actions = filter_actions(Action.objects.visible_to(request.user), request.GET).prefetch_related(  # type: ignore[arg-type]
        "country_shares", Prefetch("objective_shares", queryset=ActionObjective.objects.select_related("objective"))
    )
    if (fmt := request.GET.get("format", "")) in tabular.FORMATS:
        return tabular.download(request, name="actions", fmt=fmt, headers=ACTION_HEADERS, rows=_action_rows(actions))
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "programme/action_list.html", {
        "page": page, "query": query.urlencode(), "countries": Country.objects.programme(),
        "objectives": Objective.objects.all(), "channels": Channel.choices, "statuses": ActivityStatus.choices,
        "params": request.GET, "may_create": services.may_create_action(request.user),  # type: ignore[arg-type]
    })


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = access_action(request.user, pk)
    editable = may_edit(request.user, action)
    transaction_form, budget_form = TransactionForm(prefix="tx"), BudgetForm(prefix="budget")
    if request.method == "POST":
        if not editable:
            raise Http404
        kind = request.POST.get("add")
        form = TransactionForm(request.POST, prefix="tx") if kind == "transaction" else BudgetForm(request.POST,
                                                                                                   prefix="budget")
        if form.is_valid():
            try:
                if kind == "transaction":
                    services.add_transaction(acting_user=request.user, action=action,  # type: ignore[arg-type]
                                             **form.cleaned_data)
                else:
                    services.add_budget(acting_user=request.user, action=action, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("programme:action_detail", pk=action.pk)
        if kind == "transaction":
            transaction_form = form  # type: ignore[assignment]
        else:
            budget_form = form  # type: ignore[assignment]
    results = Result.objects.filter(action=action).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.prefetch_related("periods__disaggregations"))
    )
    documents = list(action.documents.all())
    for document in documents:
        document.category_label = CATEGORY_LABELS.get(document.category, document.category)  # type: ignore[attr-defined]
    return render(request, "programme/action_detail.html", {
        "action": action, "editable": editable, "results": results, "documents": documents,
        "participations": action.participations.select_related("organisation"),
        "country_shares": action.country_shares.select_related("country"),
        "objective_shares": action.objective_shares.select_related("objective"),
        "transaction_form": transaction_form, "budget_form": budget_form,
    })


@login_required
def action_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    action = access_action(request.user, pk) if pk is not None else None
    if action is not None and not may_edit(request.user, action):
        raise Http404
    if action is None and not services.may_create_action(request.user):  # type: ignore[arg-type]
        raise Http404
    form = ActionForm(request.POST or None, instance=action or Action(
        channel=services.default_channel_for(request.user)))  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_action(acting_user=request.user, action=action,  # type: ignore[arg-type]
                                         content=form.content(action))
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Action saved."))
            return redirect("programme:action_detail", pk=saved.pk)
    return render(request, "programme/action_form.html", {"form": form, "action": action})


GRETA_HEADERS = ("country", "round", "report_date", "paragraph", "theme", "level", "text", "articles", "follow_up",
                 "is_demo", "actions")


@login_required
def greta_list(request: HttpRequest) -> HttpResponse:
    found = GretaRecommendation.objects.visible_to(request.user).select_related("country")  # type: ignore[arg-type]
    params = request.GET
    if country := params.get("country", ""):
        found = found.filter(country_id=country)
    if params.get("level", "") in GretaRecommendation.Level.values:
        found = found.filter(level=params["level"])
    if params.get("follow_up", "") in GretaRecommendation.FollowUp.values:
        found = found.filter(follow_up=params["follow_up"])
    if _round := whole_number(params.get("round")):
        found = found.filter(round=_round)
    if q := params.get("q", "").strip():
        found = found.filter(Q(text__icontains=q) | Q(paragraph=q) | Q(articles__icontains=q))
    answered = Action.greta_recommendations.through.objects.filter(
        gretarecommendation_id=OuterRef("pk"), action__status__in=[1, 2, 3, 4, 6]
    )
    found = found.annotate(answered=Exists(answered))
    if params.get("answered") == "no":
        found = found.filter(answered=False)
    if (fmt := params.get("format", "")) in tabular.FORMATS:
        rows = [[r.country_id, r.round, r.report_date, r.paragraph, r.theme, r.level, r.text, r.articles,
                 r.follow_up, r.is_demo, r.answered] for r in found]
        return tabular.download(request, name="greta_recommendations", fmt=fmt, headers=GRETA_HEADERS, rows=rows)
    query = request.GET.copy()
    return render(request, "programme/greta_list.html", {
        "recommendations": found, "countries": Country.objects.programme(), "params": params,
        "levels": GretaRecommendation.Level.choices, "follow_ups": GretaRecommendation.FollowUp.choices,
        "query": query.urlencode(), "may_upload": may_upload_greta(request.user),
    })


@login_required
def greta_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = access_recommendation(request.user, pk)
    actions = Action.objects.visible_to(request.user).filter(greta_recommendations=recommendation)  # type: ignore[arg-type]
    return render(request, "programme/greta_detail.html", {
        "recommendation": recommendation, "actions": actions,
        "answered_count": recommendation.actions.exclude(status=ActivityStatus.CANCELLED).count(),
    })
