"""State changes of entity resolution: keyword-only, atomic, audited in the same transaction.

A judgement on a candidate pair is attributed and dated; accepting merges the two records' resolved persons into
one canonical id (nomenklatura's way: a resolved person is the connected component of accepted judgements), after
a warning when the merge would join conflicting facts; undoing puts back exactly the ids the judgement changed.
Audit rows carry ids, verdicts and counts, never names.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

import polars as pl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from palermo.accounts.access import Actor, person_of
from palermo.audit.models import AuditEvent
from palermo.audit.services import record
from palermo.linkage.access import may_judge, may_review, may_see_linkage_figures
from palermo.linkage.conflicts import conflicts_between
from palermo.linkage.models import Candidate, Judgement, LinkRecord, TrainedModel, UniqueCount, Verdict
from palermo.linkage.records import PersonRecord


def _name(actor: Actor) -> str:
    person = person_of(actor)
    return person.username if person else getattr(actor, "audit_name", "system")


@transaction.atomic
def train_model(*, acting_user: Actor, frames: Sequence[pl.DataFrame], source: str,
                entity_type: str = "persons") -> TrainedModel:
    """Train a model on the prepared frames (``records.prepare``) and store it as the next version."""
    from palermo.linkage.engine import make_linker, train

    if not may_see_linkage_figures(acting_user):
        raise Http404
    linker = make_linker(frames)
    train(linker, frames[0].columns)
    last = TrainedModel.objects.select_for_update().filter(entity_type=entity_type).first()
    model = TrainedModel.objects.create(
        entity_type=entity_type, version=(last.version + 1) if last else 1,
        settings_json=linker.misc.save_model_to_json(), records=sum(frame.height for frame in frames),
        source=source[:300], trained_by=person_of(acting_user), trained_by_name=_name(acting_user))
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="linkage.trainedmodel",
           object_id=model.pk, detail={"entity_type": entity_type, "version": model.version,
                                       "records": model.records})
    return model


@transaction.atomic
def save_unique_count(*, acting_user: Actor, result: dict[str, Any]) -> UniqueCount:
    if not may_see_linkage_figures(acting_user):
        raise Http404
    count = UniqueCount.objects.create(
        counted_by_name=_name(acting_user), method=str(result.get("method", ""))[:60],
        records=int(result["records"]), distinct=int(result["distinct_estimated"]),
        by_country=result.get("by_country", {}), overlap=result.get("overlap", {}))
    record(actor=acting_user, action=AuditEvent.Action.CREATE, object_type="linkage.uniquecount",
           object_id=count.pk, detail={"records": count.records, "distinct": count.distinct})
    return count


@transaction.atomic
def store_candidates(*, acting_user: Actor, model: TrainedModel | None, pairs: pl.DataFrame,
                     records: dict[str, LinkRecord]) -> int:
    """Keep the scored pairs (``engine.Resolution.pairs``, ids as in ``records``) as candidates for review: new
    pairs are added, known ones get the new score (their verdicts stay). Returns the number of new pairs."""
    if not may_review(acting_user):
        raise Http404
    added = 0
    for left_id, right_id, weight, probability in pairs.select(
            "unique_id_l", "unique_id_r", "match_weight", "match_probability").iter_rows():
        left, right = records[str(left_id)], records[str(right_id)]
        if left.pk > right.pk:
            left, right = right, left
        stake = int(left.case_id is not None) + int(right.case_id is not None)
        _candidate, created = Candidate.objects.update_or_create(
            left=left, right=right, defaults={
                "model": model, "match_probability": float(probability), "match_weight": float(weight),
                "uncertainty": abs(float(probability) - 0.5), "stake": stake})
        added += int(created)
    record(actor=acting_user, action=AuditEvent.Action.IMPORT, object_type="linkage.candidate",
           detail={"pairs": pairs.height, "new": added, "model": model.pk if model else None})
    return added


def members(record_: LinkRecord) -> list[LinkRecord]:
    """The records of the resolved person this record belongs to (itself alone if never merged), as stored now."""
    canonical = LinkRecord.objects.filter(pk=record_.pk).values_list("canonical_id", flat=True).first()
    if not canonical:
        return [record_]
    return list(LinkRecord.objects.filter(canonical_id=canonical).order_by("pk"))


def _rejected_between(left: list[LinkRecord], right: list[LinkRecord]) -> bool:
    left_ids, right_ids = [r.pk for r in left], [r.pk for r in right]
    return Candidate.objects.filter(verdict=Verdict.REJECTED).filter(
        Q(left_id__in=left_ids, right_id__in=right_ids) | Q(left_id__in=right_ids, right_id__in=left_ids)).exists()


def merge_conflicts(candidate: Candidate) -> list[str]:
    """What the merge of the pair's two resolved persons would join that disagrees (shown before accepting)."""
    left, right = members(candidate.left), members(candidate.right)
    if {r.pk for r in left} == {r.pk for r in right}:
        return []
    found = conflicts_between([r.facts() for r in left], [r.facts() for r in right], translate=_)
    if _rejected_between(left, right):
        found.append(_("an analyst judged records of these two persons to be different people"))
    return found


class ConflictingMerge(ValidationError):
    """Accepting would join conflicting facts: confirm to merge anyway."""


@transaction.atomic
def judge_pair(*, acting_user: Actor, candidate: Candidate, verdict: str, confirm: bool = False,
               request: HttpRequest | None = None) -> Judgement:
    """Record a verdict on a pair. Accepting merges the two resolved persons under one canonical id; when the
    merge joins conflicting facts it is refused with ``ConflictingMerge`` naming them unless ``confirm``."""
    locked = Candidate.objects.select_for_update().select_related("left", "right").get(pk=candidate.pk)
    if not may_judge(acting_user, locked):
        raise Http404
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": [_("Unknown verdict %(value)r: use one of %(values)s.") % {
            "value": verdict, "values": ", ".join(Verdict.values)}]})
    if locked.verdict:
        raise ValidationError({"verdict": [_("This pair was already judged: undo that judgement first.")]})
    conflicts: list[str] = []
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    if verdict == Verdict.ACCEPTED:
        conflicts = merge_conflicts(locked)
        if conflicts and not confirm:
            raise ConflictingMerge({"verdict": conflicts})
        joined = {r.pk: r for r in members(locked.left) + members(locked.right)}
        before = {str(pk): r.canonical_id for pk, r in sorted(joined.items())}
        canonical = locked.left.canonical_id or locked.right.canonical_id or f"NK-{secrets.token_hex(10)}"
        LinkRecord.objects.filter(pk__in=joined).update(canonical_id=canonical)
        after = {key: canonical for key in before}
    locked.verdict = verdict
    locked.save(update_fields=["verdict"])
    judgement = Judgement.objects.create(
        candidate=locked, verdict=verdict, judged_by=person_of(acting_user), judged_by_name=_name(acting_user),
        before=before, after=after, conflicts=conflicts)
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="linkage.candidate",
           object_id=locked.pk, country=locked.left.country_id, request=request,
           detail={"judgement": judgement.pk, "verdict": verdict, "records": [locked.left_id, locked.right_id],
                   "merged": sorted(int(k) for k in after), "conflicts": len(conflicts)})
    return judgement


@transaction.atomic
def undo_judgement(*, acting_user: Actor, judgement: Judgement, request: HttpRequest | None = None) -> Judgement:
    """Undo a judgement: the pair goes back to the queue and the records get back exactly the resolved ids they
    had before it. Refused (naming why) when it was already undone, or when a later judgement changed these
    records (undo that one first)."""
    locked = Judgement.objects.select_for_update().select_related("candidate__left", "candidate__right").get(
        pk=judgement.pk)
    if not may_judge(acting_user, locked.candidate):
        raise Http404
    if locked.undone_at is not None:
        raise ValidationError({"judgement": [_("This judgement was already undone.")]})
    current = dict(LinkRecord.objects.filter(pk__in=[int(k) for k in locked.after]).values_list("pk",
                                                                                                 "canonical_id"))
    canonical = set(locked.after.values())
    later = Judgement.objects.filter(pk__gt=locked.pk, undone_at__isnull=True, verdict=Verdict.ACCEPTED)
    if any(current.get(int(key)) != value for key, value in locked.after.items()) or any(
            set(j.after) & set(locked.after) or canonical & set(j.after.values()) for j in later):
        raise ValidationError({"judgement": [_("A later judgement changed these records: undo it first.")]})
    for key, value in locked.before.items():
        LinkRecord.objects.filter(pk=int(key)).update(canonical_id=value)
    locked.undone_at = timezone.now()
    locked.undone_by_name = _name(acting_user)
    locked.save(update_fields=["undone_at", "undone_by_name"])
    Candidate.objects.filter(pk=locked.candidate_id).update(verdict="")
    record(actor=acting_user, action=AuditEvent.Action.UPDATE, object_type="linkage.judgement",
           object_id=locked.pk, country=locked.candidate.left.country_id, request=request,
           detail={"undone": True, "candidate": locked.candidate_id, "verdict": locked.verdict,
                   "restored": sorted(int(k) for k in locked.before)})
    return locked


def person_records(queryset: Any) -> list[PersonRecord]:
    """The adapter from stored records to the pure ``PersonRecord`` (the networks app's Persons get one too)."""
    return [PersonRecord(id=str(r.pk), source=r.source_name, names=tuple(r.names), dob=r.dob or None,
                         documents=tuple((c, n) for c, n in r.documents), country=r.country_id)
            for r in queryset]


def find_candidates(*, acting_user: Actor, model: TrainedModel | None = None, floor: float = 0.5) -> int:
    """Score the records the actor may see with ``model`` (the current persons model; the shipped starting model
    when none was trained here) and keep the pairs at or above ``floor`` as candidates. Returns the new pairs."""
    from palermo.linkage.engine import resolve
    from palermo.linkage.records import from_records, prepare

    if not may_review(acting_user):
        raise Http404
    stored = {str(r.pk): r for r in LinkRecord.objects.visible_to(acting_user)}
    if len(stored) < 2:
        return 0
    model = model or TrainedModel.objects.filter(entity_type="persons").first()
    settings_json = model.settings_json if model else starting_model()
    frame = prepare(from_records(person_records(stored.values())))
    resolution = resolve([frame], model=settings_json, candidate_floor=floor, threshold=max(floor, 0.9))
    return store_candidates(acting_user=acting_user, model=model, pairs=resolution.pairs, records=stored)


def starting_model() -> dict[str, Any]:
    """The persons model shipped with the platform (trained on generated records of the region: names,
    date of birth, documents, city), for a site that has not trained its own yet."""
    import json
    from pathlib import Path

    return dict(json.loads((Path(__file__).parent / "data" / "persons-model.json").read_text(encoding="utf-8")))
