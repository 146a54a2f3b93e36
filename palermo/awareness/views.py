"""Campaign pages: the list (with its downloads), one campaign with its materials and reach, the forms; the risk
profiles and the planning page that starts a campaign from a profile."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from palermo.accounts.access import AuthenticatedHttpRequest, signed_in
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.awareness import planning, reach, risk, services
from palermo.awareness.access import (
    access_campaign,
    access_editable_campaign,
    access_version,
    may_edit_campaign,
    may_plan_campaigns,
    may_read_campaigns,
    may_read_risk,
    may_review,
    risk_countries,
)
from palermo.awareness.choices import ReviewStatus
from palermo.awareness.filters import CampaignFilter
from palermo.awareness.forms import (
    CampaignForm,
    MaterialForm,
    ReachForm,
    ReviewForm,
    VersionForm,
    initial_of,
    initial_reach,
)
from palermo.awareness.labels import ProfileWords
from palermo.awareness.models import Campaign, Material, MaterialVersion, ReachPeriod
from palermo.awareness.prefill import initial_from_profile, parse_key
from palermo.programme import uploads
from palermo.programme.models import Action, Budget
from palermo.programme.services.documents import max_bytes
from palermo.reference.models import Country
from palermo.web.listing import download, list_page, own_country, requested_format

CAMPAIGN_HEADERS = [_lazy("title"), _lazy("countries"), _lazy("funding action"), _lazy("start"), _lazy("end"),
                    _lazy("target populations"), _lazy("languages"), _lazy("channels"), _lazy("risks addressed"),
                    _lazy("partners"), _lazy("people reached")]


def _campaigns(request: AuthenticatedHttpRequest) -> Any:
    return Campaign.objects.visible_to(request.user).select_related("action").prefetch_related(
        "countries", "partners").annotate(reached=Sum("periods__counts__people"))


@signed_in
def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_read_campaigns(request.user):
        raise Http404
    listing = list_page(request, _campaigns(request), CampaignFilter,
                        sorts={"start": ("-start", "title", "pk"), "title": ("title", "pk")}, default_sort="start",
                        defaults={"country": own_country(request.user)})
    if listing.download and listing.filterset.is_valid():
        return download(request, name="awareness.campaigns", fmt=listing.download,
                        headers=[str(h) for h in CAMPAIGN_HEADERS], rows=[
                            [c.title, ", ".join(country.name for country in c.countries.all()),
                             c.action.iati_identifier, c.start, c.end, ", ".join(c.population_labels()),
                             ", ".join(c.language_labels()), ", ".join(c.channel_labels()),
                             ", ".join(c.risk_labels()), ", ".join(p.name for p in c.partners.all()), c.reached or 0]
                            for c in listing.queryset])
    return render(request, "awareness/campaign_list.html", {
        "listing": listing, "page": listing.page, "query": listing.query,
        "may_plan": may_plan_campaigns(request.user)}, status=400 if listing.filterset.errors else 200)


@signed_in
def campaign_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(request.user, pk)
    materials = list(campaign.materials.prefetch_related(
        Prefetch("versions", queryset=MaterialVersion.objects.select_related("created_by", "reviewed_by"))))
    periods = [reach.figures_of(p) for p in campaign.periods.prefetch_related("counts")]
    today = timezone.localdate()
    contacts = [(s, s.is_stale(today)) for s in campaign.contact_points.select_related("organisation", "country")]
    budgets = Budget.objects.filter(action=campaign.action).order_by("period_start")
    budget_total = sum((b.value for b in budgets if b.budget_type == Budget.Type.ORIGINAL), start=0)
    action_readable = Action.objects.visible_to(request.user).filter(pk=campaign.action_id).exists()
    words = ProfileWords()
    targets = [(words.dimension(d), [words.value(d, v) for v in sorted(values)])
               for d, values in campaign.targets().items() if values]
    return render(request, "awareness/campaign_detail.html", {
        "campaign": campaign, "materials": materials, "periods": periods, "contacts": contacts,
        "budgets": budgets, "budget_total": budget_total, "action_readable": action_readable, "targets": targets,
        "countries": [words.country(c.code) for c in campaign.countries.all()],
        "partners": campaign.partners.all(), "editable": may_edit_campaign(request.user, campaign),
        "reviewable": {v.pk for m in materials for v in m.versions.all() if may_review(request.user, v)},
        "total_reached": sum(p.reached for p in periods), "review_choices": ReviewStatus.choices})


def _saved(form: Any, save: Callable[[], object]) -> bool:
    if not form.is_valid():
        return False
    try:
        save()
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return False
    return True


@signed_in
def campaign_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new campaign; ``?profile=<key>&year=<year>`` pre-fills it from a risk profile (the planning page)."""
    if not may_plan_campaigns(request.user):
        raise Http404
    initial: dict[str, Any] = {"start": timezone.localdate(), "end": timezone.localdate() + timedelta(days=364)}
    evidence = None
    key = request.GET.get("profile", "")
    if key:
        profile = parse_key(key)
        if profile is None:
            raise Http404
        evidence = _evidence(request, profile, _year(request, frozenset({profile.country})))
        initial |= initial_from_profile(profile, evidence["line"], ProfileWords())
    form = CampaignForm(request.POST or None, actions=Action.objects.visible_to(request.user), initial=initial)
    holder: dict[str, Campaign] = {}
    if request.method == "POST" and _saved(form, lambda: holder.setdefault("campaign", services.create_campaign(
            acting_user=request.user, data=form.data_object(), request=request))):
        messages.success(request, _("Campaign saved."))
        return redirect("awareness:campaign", pk=holder["campaign"].pk)
    return render(request, "awareness/campaign_form.html", {"form": form, "campaign": None, "evidence": evidence})


@signed_in
def campaign_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access_editable_campaign(request.user, pk)
    form = CampaignForm(request.POST or None, actions=Action.objects.visible_to(request.user),
                        initial=initial_of(campaign))
    if request.method == "POST" and _saved(form, lambda: services.update_campaign(
            acting_user=request.user, campaign=campaign, data=form.data_object(), request=request)):
        messages.success(request, _("Campaign saved."))
        return redirect("awareness:campaign", pk=campaign.pk)
    return render(request, "awareness/campaign_form.html", {"form": form, "campaign": campaign, "evidence": None})


@signed_in
def material_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = access_editable_campaign(request.user, pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and _saved(form, lambda: services.add_material(
            acting_user=request.user, campaign=campaign, title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"], language=form.cleaned_data["language"],
            risk_addressed=form.cleaned_data["risk"], text=form.cleaned_data["text"],
            upload=form.cleaned_data["upload"], request=request)):
        messages.success(request, _("Material saved."))
        return redirect("awareness:campaign", pk=campaign.pk)
    return render(request, "awareness/simple_form.html", {
        "form": form, "campaign": campaign, "heading": _("Add a material"), "multipart": True,
        "max_size": max_bytes(), "extensions": ", ".join(uploads.EXTENSIONS)})


@signed_in
def version_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    material = Material.objects.filter(pk=pk).select_related("campaign").first()
    if material is None:
        raise Http404
    campaign = access_editable_campaign(request.user, material.campaign_id)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and _saved(form, lambda: services.add_version(
            acting_user=request.user, material=material, text=form.cleaned_data["text"],
            upload=form.cleaned_data["upload"], note=form.cleaned_data["note"], request=request)):
        messages.success(request, _("Material saved."))
        return redirect("awareness:campaign", pk=campaign.pk)
    return render(request, "awareness/simple_form.html", {
        "form": form, "campaign": campaign, "heading": _("New version of %(title)s") % {"title": material.title},
        "multipart": True, "max_size": max_bytes(), "extensions": ", ".join(uploads.EXTENSIONS)})


@signed_in
@require_POST
def version_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    version = access_version(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        services.review_version(acting_user=request.user, version=version, status=form.cleaned_data["status"],
                                note=form.cleaned_data["note"], request=request)
    except ValidationError as error:
        messages.error(request, " ".join(m for ms in error.message_dict.values() for m in ms))
    else:
        messages.success(request, _("Review status saved."))
    return redirect("awareness:campaign", pk=version.material.campaign_id)


@signed_in  # type: ignore[arg-type]  # signed_in is typed for HttpResponse; a file streams
def version_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The file of a material version, to the campaign's readers: inline (the preview) for a PDF or an image,
    as an attachment otherwise; each read audited."""
    version = access_version(request.user, pk)
    if not version.file:
        raise Http404
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record(actor=request.user, action=AuditEvent.Action.EXPORT, object_type="awareness.materialversion",
           object_id=version.pk, request=request, detail={"file": version.file.name})
    extension = uploads.extension_of(version.file.name or "")
    response = FileResponse(handle, as_attachment=not version.previewable,
                            filename=f"material-{version.material_id}-v{version.number}{extension}",
                            content_type=version.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _reach_page(request: AuthenticatedHttpRequest, campaign: Campaign, period: ReachPeriod | None) -> HttpResponse:
    form = ReachForm(request.POST or None, channels=campaign.channels,
                     initial=initial_reach(period) if period else {"start": campaign.start, "end": campaign.end})
    if request.method == "POST" and _saved(form, lambda: (
            services.update_reach(acting_user=request.user, period=period, data=form.data_object(), request=request)
            if period else services.record_reach(acting_user=request.user, campaign=campaign,
                                                 data=form.data_object(), request=request))):
        messages.success(request, _("Reach period saved."))
        return redirect("awareness:campaign", pk=campaign.pk)
    return render(request, "awareness/reach_form.html", {"form": form, "campaign": campaign, "period": period})


@signed_in
def reach_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _reach_page(request, access_editable_campaign(request.user, pk), None)


@signed_in
def reach_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    period = ReachPeriod.objects.filter(pk=pk).select_related("campaign").first()
    if period is None:
        raise Http404
    campaign = access_editable_campaign(request.user, period.campaign_id)
    return _reach_page(request, campaign, period)


# ------------------------------------------------------------------------------------------ risk and planning


def _countries(request: AuthenticatedHttpRequest) -> list[Country]:
    codes = risk_countries(request.user)
    countries = Country.objects.programme().order_by("code")
    return list(countries if codes is None else countries.filter(code__in=codes))


def _year(request: AuthenticatedHttpRequest, countries: frozenset[str]) -> int:
    asked = request.GET.get("year", "")
    if asked.isascii() and asked.isdigit() and 2000 <= int(asked) <= 2100:
        return int(asked)
    return planning.latest_year(countries, timezone.localdate())


def _evidence(request: AuthenticatedHttpRequest, profile: risk.Profile, year: int) -> dict[str, Any]:
    """The profile's line in its country's ranking, its victims year by year, the official figures and the
    campaigns covering it; 404 outside the user's countries."""
    if not may_read_risk(request.user) or profile.country not in {c.code for c in _countries(request)}:
        raise Http404
    dims = [d for d, _v in profile.values]
    found = planning.picture(frozenset({profile.country}), year=year, dimensions=dims)
    line = next((ln for ln in found.ranking.get(profile.country, []) if ln.profile == profile), None)
    if line is None:
        line = risk.Ranked(profile, 0, 0)
    years = [*found.previous_years, *found.recent_years]
    counts = Counter(fact.year for fact in planning.case_facts(frozenset({profile.country}), years)
                     if profile in risk.profiles_of(fact, dims))
    by_year = [(single, counts[single] if counts[single] >= found.k else None) for single in years]
    visible = {c.pk: c for c in Campaign.objects.visible_to(request.user).filter(pk__in=line.campaigns)}
    return {"picture": found, "line": line, "by_year": by_year, "words": ProfileWords(),
            "campaigns": [visible.get(pk) for pk in line.campaigns],
            "official": found.official.get(profile.country, {})}


@signed_in
def risk_profiles(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_read_risk(request.user):
        raise Http404
    countries = _countries(request)
    codes = {c.code for c in countries}
    asked = request.GET.get("country", "") or own_country(request.user) or (countries[0].code if countries else "")
    if asked not in codes:
        raise Http404
    dims = [d for d in request.GET.getlist("dims") if d in risk.DIMENSIONS] or list(risk.DEFAULT_DIMENSIONS)
    year = _year(request, frozenset({asked}))
    found = planning.picture(frozenset({asked}), year=year, dimensions=dims)
    lines = found.ranking.get(asked, [])
    words = ProfileWords()
    visible = set(Campaign.objects.visible_to(request.user).values_list("pk", flat=True))
    titles = dict(Campaign.objects.filter(pk__in=visible).values_list("pk", "title"))
    rows = [{"line": ln, "label": words.profile(ln.profile), "too_few": ln.too_few(found.k),
             "campaigns": [(pk, titles.get(pk)) for pk in ln.campaigns], "high": ln in found.gaps} for ln in lines]
    fmt = requested_format(request)
    if fmt:
        return download(request, name="awareness.risk_profiles", fmt=fmt, country=asked, headers=[
            _("rank"), *[words.dimension(d) for d in found.dimensions], _("recent victims"), _("victims before"),
            _("95 % interval of recent victims"), _("trend"), _("too few to say"), _("campaigns covering it")],
            rows=[[ln.rank, *[words.value(d, v) for d, v in ln.profile.values],
                   *(["", "", ""] if ln.too_few(found.k) else [ln.recent, ln.previous, "{} – {}".format(*ln.interval)]),
                   reach.trend_word(ln.trend), _("yes") if ln.too_few(found.k) else _("no"), len(ln.campaigns)]
                  for ln in lines])
    return render(request, "awareness/risk.html", {
        "picture": found, "rows": rows, "country": asked, "countries": countries, "dims": dims, "words": words,
        "all_dims": [(d, words.dimension(d)) for d in risk.DIMENSIONS], "may_plan": may_plan_campaigns(request.user),
        "official": found.official.get(asked, {}), "query": request.GET.urlencode()})


@signed_in
def plan(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The planning page: one profile with the evidence behind it, and the campaign to start from it."""
    profile = parse_key(request.GET.get("profile", ""))
    if profile is None or not may_read_risk(request.user):
        raise Http404
    evidence = _evidence(request, profile, _year(request, frozenset({profile.country})))
    return render(request, "awareness/plan.html", {
        **evidence, "profile": profile, "label": evidence["words"].profile(profile),
        "country_name": evidence["words"].country(profile.country), "may_plan": may_plan_campaigns(request.user),
        "year": evidence["picture"].year, "today": date.today()})
