"""State changes of campaigns, materials and reach: keyword-only, atomic, audited in the same transaction.

The rules come from ``palermo.awareness.access``. Bad input raises ``ValidationError`` naming the field (a reach
count: its row), and nothing is written. A write that changes the people reached refreshes the indicator periods
of the funding action measured by the ``awareness.people_reached`` feed, in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor, person_of
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.awareness import risk
from palermo.awareness.access import may_edit_campaign, may_fund_with, may_review
from palermo.awareness.choices import Channel, Language, MaterialKind, Population, ReviewStatus, Risk, Sex
from palermo.awareness.measures import AGE_BANDS
from palermo.awareness.models import Campaign, Material, MaterialVersion, ReachCount, ReachPeriod
from palermo.cases import codes
from palermo.partners.models import Organisation
from palermo.programme import uploads
from palermo.programme.models import Action
from palermo.programme.services.documents import _read_upload
from palermo.reference.models import Country, ExploitationForm
from palermo.referral.models import Service

TARGET_FIELDS = {"citizenship": "target_citizenships", "sex": "target_sexes", "age_band": "target_age_bands",
                 "recruitment": "target_recruitment", "form": "target_forms", "thb_form": "target_thb_forms"}


@dataclass
class CampaignData:
    """What a campaign says, as the form or the API gives it. ``targets``: the risk profiles aimed at, by
    dimension of ``risk.DIMENSIONS`` (an empty list: anyone)."""

    title: str
    objective: str
    action: Action
    countries: Sequence[str]
    populations: Sequence[str]
    languages: Sequence[str]
    channels: Sequence[str]
    start: date
    end: date
    regions: str = ""
    risks: Sequence[str] = ()
    partners: Sequence[Organisation] = ()
    contact_points: Sequence[Service] = ()
    targets: Mapping[str, Sequence[str]] = field(default_factory=dict)


def _unknown(values: Sequence[str], allowed: set[str] | frozenset[str] | list[str]) -> list[str]:
    return [value for value in values if value not in allowed]


def target_values(dimension: str) -> list[str]:
    """The values a campaign may aim at on a dimension."""
    if dimension == "citizenship":
        return list(Country.objects.values_list("code", flat=True))
    if dimension == "form":
        return list(ExploitationForm.objects.values_list("code", flat=True))
    return {"sex": list(Sex.values), "age_band": list(risk.AGE_BANDS),
            "recruitment": list(codes.RecruitmentMethod.values), "thb_form": list(codes.ThbFormCode.values)}[dimension]


def _problems(data: CampaignData) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if not data.title.strip():
        refuse("title", _("Give the campaign a title."))
    if not data.objective.strip():
        refuse("objective", _("Say what the campaign is for."))
    if data.end < data.start:
        refuse("end", _("The end cannot come before the start."))
    if data.action.is_external:
        refuse("action", _("A campaign is funded by one of the programme's own actions."))
    programme = set(Country.objects.programme().values_list("code", flat=True))
    if not data.countries:
        refuse("countries", _("Choose at least one country."))
    elif unknown := _unknown(data.countries, programme):
        refuse("countries", _("Not a programme country: %(codes)s.") % {"codes": ", ".join(unknown)})
    else:
        shares = set(data.action.country_shares.values_list("country_id", flat=True))
        if outside := [code for code in data.countries if code not in shares]:
            refuse("countries", _("The funding action does not run in %(codes)s.") % {"codes": ", ".join(outside)})
    for name, values, allowed in (("populations", data.populations, Population.values),
                                  ("languages", data.languages, Language.values),
                                  ("channels", data.channels, Channel.values)):
        if not values:
            refuse(name, _("Choose at least one."))
        elif unknown := _unknown(values, allowed):
            refuse(name, _("Unknown value: %(values)s.") % {"values": ", ".join(unknown)})
    if unknown := _unknown(data.risks, Risk.values):
        refuse("risks", _("Unknown value: %(values)s.") % {"values": ", ".join(unknown)})
    for dimension, values in data.targets.items():
        if dimension not in TARGET_FIELDS:
            refuse("targets", _("Unknown dimension %(name)s.") % {"name": dimension})
        elif unknown := _unknown(values, target_values(dimension)):
            refuse(TARGET_FIELDS[dimension], _("Unknown value: %(values)s.") % {"values": ", ".join(unknown)})
    if wrong := [str(s) for s in data.contact_points if s.country_id not in data.countries]:
        refuse("contact_points", _("Not in the campaign's countries: %(names)s.") % {"names": "; ".join(wrong)})
    return problems


def _apply(campaign: Campaign, data: CampaignData) -> None:
    campaign.title, campaign.objective, campaign.action = data.title.strip(), data.objective.strip(), data.action
    campaign.regions = data.regions.strip()
    campaign.populations, campaign.languages = list(data.populations), list(data.languages)
    campaign.channels, campaign.risks = list(data.channels), list(data.risks)
    campaign.start, campaign.end = data.start, data.end
    for dimension, name in TARGET_FIELDS.items():
        setattr(campaign, name, sorted(set(data.targets.get(dimension, ()))))


def _detail(campaign: Campaign, data: CampaignData) -> dict[str, object]:
    return {"title": campaign.title, "action": campaign.action.iati_identifier, "countries": sorted(data.countries),
            "start": campaign.start.isoformat(), "end": campaign.end.isoformat()}


def refresh_reach(*, acting_user: Actor, action_ids: Sequence[int]) -> None:
    """The funding actions' indicator periods measured by the people-reached feed, computed again (same
    transaction)."""
    from palermo.programme.services.results import refresh_measured_periods

    refresh_measured_periods(acting_user=acting_user, action_ids=sorted(set(action_ids)))


@transaction.atomic
def create_campaign(*, acting_user: Actor, data: CampaignData, request: HttpRequest | None = None) -> Campaign:
    if not may_fund_with(acting_user, data.action, data.countries):
        raise Http404
    problems = _problems(data)
    if problems:
        raise ValidationError(problems)
    campaign = Campaign(created_by=person_of(acting_user))
    _apply(campaign, data)
    campaign.save()
    campaign.countries.set(Country.objects.filter(code__in=data.countries))
    campaign.partners.set(data.partners)
    campaign.contact_points.set(data.contact_points)
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="awareness.campaign",
           object_id=campaign.pk, country=data.countries[0] if len(data.countries) == 1 else "", request=request,
           detail=_detail(campaign, data))
    return campaign


@transaction.atomic
def update_campaign(*, acting_user: Actor, campaign: Campaign, data: CampaignData,
                    request: HttpRequest | None = None) -> Campaign:
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not may_edit_campaign(acting_user, locked) or not may_fund_with(acting_user, data.action, data.countries):
        raise Http404
    problems = _problems(data)
    if problems:
        raise ValidationError(problems)
    previous_action = locked.action_id
    _apply(locked, data)
    locked.save()
    locked.countries.set(Country.objects.filter(code__in=data.countries))
    locked.partners.set(data.partners)
    locked.contact_points.set(data.contact_points)
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="awareness.campaign",
           object_id=locked.pk, country=data.countries[0] if len(data.countries) == 1 else "", request=request,
           detail=_detail(locked, data))
    refresh_reach(acting_user=acting_user, action_ids=[previous_action, locked.action_id])
    return locked


# ------------------------------------------------------------------------------------------ materials


def _version_file(version: MaterialVersion, upload: UploadedFile | None) -> None:
    if upload is None:
        return
    data, content_type = _read_upload(upload)
    version.file.save(f"{uuid.uuid4().hex}{uploads.extension_of(upload.name or '')}", ContentFile(data), save=False)
    version.content_type, version.original_name = content_type, (upload.name or "")[:300]


def _save_version(acting_user: Actor, version: MaterialVersion, campaign: Campaign, action: AuditEvent.Action,
                  detail: dict[str, object], request: HttpRequest | None) -> None:
    try:
        version.save()
        record(actor=acting_user, action=action, object_type="awareness.materialversion", object_id=version.pk,
               request=request, detail={"campaign": campaign.pk, "material": version.material_id,
                                        "version": version.number, "file": version.file.name or "",
                                        "content_type": version.content_type, **detail})
    except Exception:
        if version.file.name:
            version.file.storage.delete(version.file.name)  # written outside the database: undo by hand
        raise


@transaction.atomic
def add_material(*, acting_user: Actor, campaign: Campaign, title: str, kind: str, language: str, risk_addressed: str,
                 text: str = "", upload: UploadedFile | None = None,
                 request: HttpRequest | None = None) -> MaterialVersion:
    """A new material of the campaign, with its first version (a draft): a message text, a file, or both."""
    if not may_edit_campaign(acting_user, campaign):
        raise Http404
    problems: dict[str, list[str]] = {}
    if not title.strip():
        problems["title"] = [_("Give the material a title.")]
    for name, value, allowed in (("kind", kind, MaterialKind.values), ("language", language, Language.values),
                                 ("risk", risk_addressed, Risk.values)):
        if value not in allowed:
            problems[name] = [_("Unknown value: %(values)s.") % {"values": value}]
    if not text.strip() and upload is None:
        problems["text"] = [_("Give the message text, a file, or both.")]
    if problems:
        raise ValidationError(problems)
    material = Material.objects.create(campaign=campaign, title=title.strip(), kind=kind, language=language,
                                       risk=risk_addressed)
    version = MaterialVersion(material=material, number=1, text=text.strip(), created_by=person_of(acting_user))
    _version_file(version, upload)
    _save_version(acting_user, version, campaign, AuditEvent.Action.CREATE,
                  {"title": material.title, "language": language, "risk": risk_addressed}, request)
    return version


@transaction.atomic
def add_version(*, acting_user: Actor, material: Material, text: str = "", upload: UploadedFile | None = None,
                note: str = "", request: HttpRequest | None = None) -> MaterialVersion:
    """The next version of a material (a draft again): its text, a new file, or both; the earlier ones stay."""
    locked = Material.objects.select_for_update().select_related("campaign").get(pk=material.pk)
    if not may_edit_campaign(acting_user, locked.campaign):
        raise Http404
    if not text.strip() and upload is None:
        raise ValidationError({"text": [_("Give the message text, a file, or both.")]})
    latest = locked.versions.order_by("-number").first()
    version = MaterialVersion(material=locked, number=(latest.number if latest else 0) + 1, text=text.strip(),
                              note=note.strip()[:500], created_by=person_of(acting_user))
    _version_file(version, upload)
    _save_version(acting_user, version, locked.campaign, AuditEvent.Action.CREATE, {"note": bool(note.strip())},
                  request)
    return version


REVIEW_MOVES = {
    ReviewStatus.DRAFT: {ReviewStatus.IN_REVIEW, ReviewStatus.WITHDRAWN},
    ReviewStatus.IN_REVIEW: {ReviewStatus.APPROVED, ReviewStatus.CHANGES, ReviewStatus.WITHDRAWN},
    ReviewStatus.CHANGES: {ReviewStatus.IN_REVIEW, ReviewStatus.WITHDRAWN},
    ReviewStatus.APPROVED: {ReviewStatus.WITHDRAWN},
    ReviewStatus.WITHDRAWN: set(),
}


@transaction.atomic
def review_version(*, acting_user: Actor, version: MaterialVersion, status: str, note: str = "",
                   request: HttpRequest | None = None) -> MaterialVersion:
    """Move a version through its review: draft → in review → approved or changes requested; withdrawn at any
    point. Sending for review is the campaign's editors'; approving or asking for changes a reviewer's
    (``access.may_review``: never the version's author)."""
    locked = MaterialVersion.objects.select_for_update().select_related("material__campaign").get(pk=version.pk)
    campaign = locked.material.campaign
    deciding = status in (ReviewStatus.APPROVED, ReviewStatus.CHANGES)
    if not (may_review(acting_user, locked) if deciding else may_edit_campaign(acting_user, campaign)):
        raise Http404
    if status not in REVIEW_MOVES.get(ReviewStatus(locked.status), set()):
        raise ValidationError({"status": [_("A version %(now)s cannot become %(then)s.") % {
            "now": locked.get_status_display(), "then": dict(ReviewStatus.choices).get(status, status)}]})
    previous = locked.status
    locked.status, locked.review_note = status, note.strip()[:500]
    if deciding:
        locked.reviewed_by, locked.reviewed_at = person_of(acting_user), timezone.now()
    locked.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="awareness.materialversion",
           object_id=locked.pk, request=request,
           detail={"campaign": campaign.pk, "from": previous, "status": status})
    return locked


# ------------------------------------------------------------------------------------------ reach


@dataclass
class ReachData:
    start: date
    end: date
    counts: Sequence[tuple[str, str, str, int]] = ()  # (channel, sex, age band, people)
    target: int | None = None
    hotline_before: int | None = None
    hotline_during: int | None = None
    hotline_after: int | None = None
    survey_before_answers: int | None = None
    survey_before_right: int | None = None
    survey_after_answers: int | None = None
    survey_after_right: int | None = None
    referrals: int | None = None
    note: str = ""

    def figures(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in (
            "start", "end", "target", "hotline_before", "hotline_during", "hotline_after", "survey_before_answers",
            "survey_before_right", "survey_after_answers", "survey_after_right", "referrals", "note")}


def _reach_problems(campaign: Campaign, data: ReachData) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if data.end < data.start:
        problems["end"] = [_("The end cannot come before the start.")]
    elif data.start < campaign.start or data.end > campaign.end:
        problems["start"] = [_("A reach period lies within the campaign (%(start)s to %(end)s).") % {
            "start": campaign.start.isoformat(), "end": campaign.end.isoformat()}]
    for side in ("before", "after"):
        answers, right = getattr(data, f"survey_{side}_answers"), getattr(data, f"survey_{side}_right")
        if (answers is None) != (right is None):
            problems[f"survey_{side}_right"] = [_("Give both the answers and the right answers, or neither.")]
        elif answers is not None and right is not None and right > answers:
            problems[f"survey_{side}_right"] = [_("More right answers than answers.")]
    for name in ("target", "hotline_before", "hotline_during", "hotline_after", "survey_before_answers",
                 "survey_before_right", "survey_after_answers", "survey_after_right", "referrals"):
        value = getattr(data, name)
        if value is not None and value < 0:
            problems.setdefault(name, []).append(_("A count is never negative."))
    seen: set[tuple[str, str, str]] = set()
    for row, (channel, sex, band, people) in enumerate(data.counts, start=1):
        reasons = []
        if channel not in Channel.values:
            reasons.append(_("unknown channel %(value)r") % {"value": channel})
        if sex not in Sex.values:
            reasons.append(_("unknown sex %(value)r") % {"value": sex})
        if band not in AGE_BANDS:
            reasons.append(_("unknown age band %(value)r") % {"value": band})
        if people < 0:
            reasons.append(_("a negative number of people"))
        if (channel, sex, band) in seen:
            reasons.append(_("given twice"))
        seen.add((channel, sex, band))
        if reasons:
            problems.setdefault("counts", []).append(_("row %(row)s: %(reasons)s") % {
                "row": row, "reasons": "; ".join(reasons)})
    return problems


def _write_counts(period: ReachPeriod, counts: Sequence[tuple[str, str, str, int]]) -> None:
    period.counts.all().delete()
    ReachCount.objects.bulk_create([ReachCount(period=period, channel=c, sex=s, age_band=a, people=p)
                                    for c, s, a, p in counts if p])


@transaction.atomic
def record_reach(*, acting_user: Actor, campaign: Campaign, data: ReachData,
                 request: HttpRequest | None = None) -> ReachPeriod:
    """A reach period of the campaign with its counts; the funding action's measured indicators follow."""
    if not may_edit_campaign(acting_user, campaign):
        raise Http404
    problems = _reach_problems(campaign, data)
    if problems:
        raise ValidationError(problems)
    period = ReachPeriod.objects.create(campaign=campaign, recorded_by=person_of(acting_user), **data.figures())
    _write_counts(period, data.counts)
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="awareness.reachperiod",
           object_id=period.pk, request=request,
           detail={"campaign": campaign.pk, "start": data.start.isoformat(), "end": data.end.isoformat(),
                   "people": sum(p for *_k, p in data.counts), "target": data.target})
    refresh_reach(acting_user=acting_user, action_ids=[campaign.action_id])
    return period


@transaction.atomic
def update_reach(*, acting_user: Actor, period: ReachPeriod, data: ReachData,
                 request: HttpRequest | None = None) -> ReachPeriod:
    """Correct a reach period: its figures and counts are replaced by those given."""
    locked = ReachPeriod.objects.select_for_update().select_related("campaign").get(pk=period.pk)
    if not may_edit_campaign(acting_user, locked.campaign):
        raise Http404
    problems = _reach_problems(locked.campaign, data)
    if problems:
        raise ValidationError(problems)
    for name, value in data.figures().items():
        setattr(locked, name, value)
    locked.save()
    _write_counts(locked, data.counts)
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="awareness.reachperiod",
           object_id=locked.pk, request=request,
           detail={"campaign": locked.campaign_id, "start": data.start.isoformat(), "end": data.end.isoformat(),
                   "people": sum(p for *_k, p in data.counts), "target": data.target})
    refresh_reach(acting_user=acting_user, action_ids=[locked.campaign.action_id])
    return locked
