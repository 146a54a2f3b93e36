"""Entity-resolution pages: the review queue (keyboard-driven), a pair's judgement and its undo, the merge history,
the trained models with their match-weights chart and evaluation, the unique-victim figures."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.linkage.access import access_candidate, may_judge, may_review, may_see_linkage_figures
from palermo.linkage.charts import level_weights, match_weights_figure
from palermo.linkage.models import Candidate, Judgement, TrainedModel, UniqueCount, Verdict
from palermo.linkage.services import ConflictingMerge, judge_pair, members, merge_conflicts, undo_judgement
from palermo.web.charts import chart_html

KEYS = {"a": Verdict.ACCEPTED, "r": Verdict.REJECTED, "u": Verdict.UNSURE}


def _need(allowed: bool) -> None:
    if not allowed:
        raise Http404


@signed_in
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The next open pair (persons tied to cases first, then the most uncertain), with the records side by side
    and the conflicts a merge would join; keys a / r / u judge it, n skips to the next."""
    _need(may_review(request.user))
    open_pairs = Candidate.objects.visible_to(request.user).queue().select_related("left", "right", "model")
    skip = request.GET.get("after", "")
    pairs = list(open_pairs[:50])
    current = None
    if skip.isdigit():
        ids = [pair.pk for pair in pairs]
        position = ids.index(int(skip)) + 1 if int(skip) in ids else 0
        current = pairs[position] if position < len(pairs) else None
    elif pairs:
        current = pairs[0]
    context: dict[str, object] = {"pair": current, "remaining": open_pairs.count(), "verdicts": Verdict,
               "confirm": current is not None and request.GET.get("confirm") == str(current.pk), "can_review": True}
    if current is not None:
        context.update({"conflicts": merge_conflicts(current), "left_members": members(current.left),
                        "right_members": members(current.right)})
    return render(request, "linkage/queue.html", context)


@signed_in
@require_POST
def judge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    candidate = access_candidate(request.user, pk)
    verdict = KEYS.get(request.POST.get("verdict", ""), request.POST.get("verdict", ""))
    try:
        judge_pair(acting_user=request.user, candidate=candidate, verdict=verdict,
                   confirm=request.POST.get("confirm") == "1", request=request)
    except ConflictingMerge as conflict:
        messages.warning(request, _("Not merged: the two persons have conflicting facts (%(facts)s). Press a again "
                                    "to merge anyway.") % {"facts": "; ".join(conflict.messages)})
        return redirect(reverse("linkage:queue") + f"?confirm={candidate.pk}")
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    return redirect("linkage:queue")


@signed_in
@require_POST
def undo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    judgement = Judgement.objects.filter(
        pk=pk, candidate__in=Candidate.objects.visible_to(request.user)).select_related(
        "candidate__left", "candidate__right").first()
    if judgement is None or not may_judge(request.user, judgement.candidate):
        raise Http404
    try:
        undo_judgement(acting_user=request.user, judgement=judgement, request=request)
        messages.success(request, _("Judgement undone: the records are as they were before it."))
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    return redirect("linkage:history")


@signed_in
def history(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every judgement on the pairs the user may see, newest first, undone ones marked."""
    _need(may_review(request.user))
    judgements = Judgement.objects.filter(candidate__in=Candidate.objects.visible_to(request.user)).select_related(
        "candidate__left", "candidate__right")
    page = Paginator(judgements, 50).get_page(request.GET.get("page"))
    return render(request, "linkage/history.html", {"page": page, "can_review": True})


@signed_in
def model_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The trained models (versions), the current one's match weights as a chart and a table, its evaluation."""
    _need(may_see_linkage_figures(request.user))
    models = list(TrainedModel.objects.all()[:20])
    version = request.GET.get("version", "")
    current = next((m for m in models if str(m.version) == version), models[0] if models else None)
    context: dict[str, object] = {"models": models, "current": current, "can_review": may_review(request.user)}
    if current is not None:
        context["chart"] = chart_html(match_weights_figure(current.settings_json), div_id="match-weights")
        context["weights"] = level_weights(current.settings_json)
    return render(request, "linkage/model.html", context)


@signed_in
def unique(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Victims recorded and distinct victims (estimated) across organisations, per country, and the overlap."""
    _need(may_see_linkage_figures(request.user))
    counts = list(UniqueCount.objects.all()[:10])
    latest = counts[0] if counts else None
    organisations = sorted(latest.overlap) if latest else []
    matrix = [(a, [latest.overlap[a].get(b, 0) for b in organisations]) for a in organisations] if latest else []
    return render(request, "linkage/unique.html", {"latest": latest, "counts": counts,
                                                   "can_review": may_review(request.user),
                                                   "organisations": organisations, "matrix": matrix})
