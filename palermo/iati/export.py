"""The portfolio as IATI 2.03: the programme as parent activity, its actions as children.

Ordering is by IATI identifier everywhere and no time is written but ``generated-datetime``, so the
same data always give the same bytes (export -> import -> export is stable).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise

from palermo.iati import activity as iati
from palermo.iati import codes, mapping, xml_builder
from palermo.partners.models import Organisation as PartnerOrganisation
from palermo.programme.models import (
    Action,
    ActionParticipation,
    Channel,
    Indicator,
    Programme,
    Result,
    TargetGroup,
    TraffickingForm,
)
from palermo.reference.models import Objective

FALLBACK_REPORTING_REF = "XM-DAC-4"  # France in the OECD DAC donor list, when no identifier is recorded


def reporting_ref() -> str:
    """The identifier the programme reports under (setting ``PALERMO_IATI_REPORTING_ORG_REF``, docs/iati.md)."""
    return str(getattr(settings, "PALERMO_IATI_REPORTING_ORG_REF", "") or FALLBACK_REPORTING_REF)


def _text(english: str, french: str) -> iati.Text:
    return {lang: value for lang, value in (("en", english), ("fr", french)) if value}


def _words(label: str | Promise) -> iati.Text:
    """A label of the programme's vocabularies in English and French (a narrative in words, not its code)."""
    found = {}
    for lang in ("en", "fr"):
        with translation.override(lang):
            found[lang] = str(label)
    return found


def organisation(org: PartnerOrganisation, role: int | None = None, activity_id: str = "") -> iati.Organisation:
    return iati.Organisation(
        ref=org.iati_identifier,
        type=mapping.ORGANISATION_TYPE.get(org.kind, "90"),
        name={"en": org.name},
        role=str(role) if role else "",
        crs_channel_code=org.crs_channel_code if role else "",
        activity_id=activity_id,
    )


def reporting_organisation(org: PartnerOrganisation, *, own: bool = True) -> iati.Organisation:
    """The reporting organisation of an activity: the programme's own activities report under the setting's
    identifier; another donor's activity keeps its organisation's."""
    found = organisation(org)
    found.ref = reporting_ref() if own else (found.ref or FALLBACK_REPORTING_REF)
    return found


def vocabulary_uri(programme: Programme | None) -> str:
    return (programme.objectives_vocabulary_uri if programme else "") or mapping.FALLBACK_VOCABULARY_URI


def programme_activity(programme: Programme, children: list[str], objectives: list[Objective]) -> iati.Activity:
    uri = vocabulary_uri(programme)
    ended = programme.end_date is not None and programme.end_date < timezone.localdate()
    dates = {}
    if programme.start_date:
        dates["1"] = programme.start_date
    if programme.end_date:
        dates["3"] = programme.end_date
    share = Decimal(100) / len(codes.DAC_SECTORS)
    return iati.Activity(
        identifier=programme.iati_identifier,
        reporting_org=reporting_organisation(programme.reporting_organisation),
        title=_text(programme.title_en, programme.title_fr),
        hierarchy=1,
        descriptions={
            "1": _text(programme.description_en, programme.description_fr)
            or _text(programme.title_en, programme.title_fr)
        },
        participating_orgs=[organisation(programme.reporting_organisation, role=1)],
        status="4" if ended else "2",
        dates=dates,
        scope="2",
        recipient_regions=[iati.Share(code="89", vocabulary="1", name={"en": "Europe, regional"})],
        sectors=[
            iati.Share(code=code, vocabulary="1", percentage=share.quantize(Decimal("0.01")))
            for code in codes.DAC_SECTORS
        ],
        tags=[
            *(iati.Share(code=code, vocabulary="3") for code in codes.SDG_TARGETS),
            *(
                iati.Share(
                    code=mapping.objective_code(o.number),
                    vocabulary="99",
                    vocabulary_uri=uri,
                    name=_text(o.name_en, o.name_fr),
                )
                for o in objectives
            ),
        ],
        collaboration_type="1",
        related=[(identifier, "2") for identifier in children],
    )


def _documents(action: Action) -> list[iati.Document]:
    found = []
    for document in action.documents.all():
        if not document.url:
            continue  # uploaded files have no public address to publish
        kind = mimetypes.guess_type(document.url)[0] or "text/html"
        found.append(
            iati.Document(
                url=document.url,
                format=kind,
                title={"en": document.title},
                category=document.category,
                language=document.language,
                date=document.document_date,
            )
        )
    return found


def _results(action: Action) -> list[iati.Result]:
    found = []
    for result in action.results.all():
        indicators = []
        indicator: Indicator
        for indicator in result.indicators.all():
            periods = [
                iati.Period(
                    start=p.period_start,
                    end=p.period_end,
                    target=p.target,
                    actual=p.actual,
                    actual_comment={"en": p.comment} if p.comment and p.actual is not None else {},
                    target_comment={"en": p.comment} if p.comment and p.actual is None else {},
                    breakdowns=[
                        iati.Breakdown(dimension=d.dimension, value=d.value, target=d.target, actual=d.actual)
                        for d in sorted(p.disaggregations.all(), key=lambda d: (d.dimension, d.value))
                    ],
                )
                for p in indicator.periods.all()
            ]
            indicators.append(
                iati.Indicator(
                    measure=str(indicator.measure),
                    title=_text(indicator.title_en, indicator.title_fr),
                    description={"en": indicator.description} if indicator.description else {},
                    ascending=indicator.ascending,
                    references=[(indicator.reference_vocabulary, indicator.reference_code)]
                    if indicator.reference_vocabulary and indicator.reference_code
                    else [],
                    baseline_year=indicator.baseline_year,
                    baseline_value=indicator.baseline_value if indicator.baseline_year else None,
                    baseline_comment={"en": indicator.baseline_comment}
                    if indicator.baseline_comment and indicator.baseline_year
                    else {},
                    periods=periods,
                )
            )
        found.append(
            iati.Result(
                type=str(result.result_type),
                title=_text(result.title_en, result.title_fr),
                description={"en": result.description} if result.description else {},
                indicators=indicators,
            )
        )
    return found


def action_activity(action: Action, programme: Programme | None) -> iati.Activity:
    uri = vocabulary_uri(action.programme or programme)
    reporting = action.reporting_organisation or (action.programme.reporting_organisation if action.programme else None)
    dates = {
        key: day
        for key, day in (
            ("1", action.planned_start),
            ("2", action.actual_start),
            ("3", action.planned_end),
            ("4", action.actual_end),
        )
        if day
    }
    participations: list[ActionParticipation] = list(action.participations.all())
    participations.sort(key=lambda p: (p.role, p.organisation.name, p.organisation.pk))
    objectives = sorted(action.objective_shares.all(), key=lambda share: share.objective.number)
    tags = [
        iati.Share(code=t.code, vocabulary=t.vocabulary, vocabulary_uri=t.vocabulary_uri)
        for t in sorted(action.tags.all(), key=lambda t: (t.vocabulary, t.vocabulary_uri, t.code))
        if not (t.vocabulary == "99" and t.vocabulary_uri.startswith(uri))
    ]
    tags += [
        iati.Share(
            code=mapping.objective_code(s.objective.number),
            vocabulary="99",
            vocabulary_uri=uri,
            name=_text(s.objective.name_en, s.objective.name_fr),
        )
        for s in objectives
    ]
    if not action.is_external:
        tags.append(
            iati.Share(
                code=action.channel,
                vocabulary="99",
                vocabulary_uri=uri + mapping.CHANNEL_FRAGMENT,
                name=_words(Channel(action.channel).label) if action.channel in Channel.values else {},
            )
        )
        tags += [
            iati.Share(
                code=g.group, vocabulary="99", vocabulary_uri=uri + mapping.TARGET_GROUP_FRAGMENT,
                name=_words(TargetGroup(g.group).label) if g.group in TargetGroup.values else {"en": g.group},
            )
            for g in sorted(action.target_groups.all(), key=lambda g: g.group)
        ]
    if action.trafficking_form:
        tags.append(
            iati.Share(
                code=action.trafficking_form,
                vocabulary="99",
                vocabulary_uri=uri + mapping.TRAFFICKING_FORM_FRAGMENT,
                name=_words(TraffickingForm(action.trafficking_form).label),
            )
        )
    sectors = [
        iati.Share(code=s.code, vocabulary=s.vocabulary, percentage=s.percentage)
        for s in sorted(action.sectors.all(), key=lambda s: (s.vocabulary, s.code))
    ]
    sectors += [
        iati.Share(
            code=mapping.objective_code(s.objective.number),
            vocabulary="99",
            vocabulary_uri=uri,
            percentage=s.percentage,
            name=_text(s.objective.name_en, s.objective.name_fr),
        )
        for s in objectives
    ]
    countries = sorted(action.country_shares.all(), key=lambda s: (-s.percentage, s.country_id))
    budgets = sorted(action.budgets.all(), key=lambda b: (b.period_start, b.budget_type, b.status, b.value))
    transactions = sorted(action.transactions.all(), key=lambda t: (t.date, t.transaction_type, t.value, t.ref))
    related = [(action.programme.iati_identifier, "1")] if action.programme else []
    return iati.Activity(
        identifier=action.iati_identifier,
        reporting_org=reporting_organisation(reporting, own=not action.is_external)
        if reporting
        else iati.Organisation(reporting_ref(), "10", {"en": "France"}),
        title=_text(action.title_en, action.title_fr),
        hierarchy=2 if action.programme else 1,
        descriptions={
            "1": _text(action.description_en, action.description_fr) or _text(action.title_en, action.title_fr)
        },
        participating_orgs=[
            organisation(p.organisation, role=p.role, activity_id=p.activity_id) for p in participations
        ],
        status=str(action.status),
        dates=dates,
        recipient_countries=[iati.Share(code=s.country_id, percentage=s.percentage) for s in countries],
        sectors=sectors,
        tags=tags,
        collaboration_type=str(action.collaboration_type),
        budgets=[
            iati.Budget(
                type=str(b.budget_type),
                status=str(b.status),
                period_start=b.period_start,
                period_end=b.period_end,
                value=b.value,
                currency="EUR",
                value_date=b.value_date or b.period_start,
            )
            for b in budgets
        ],
        transactions=[
            iati.Transaction(
                type=str(t.transaction_type),
                date=t.date,
                value=t.value,
                currency="EUR",
                value_date=t.date,
                description={"en": t.description} if t.description else {},
                ref=t.ref,
                provider=organisation(t.provider_organisation, activity_id=t.provider_activity_id)
                if t.provider_organisation
                else None,
                receiver=organisation(t.receiver_organisation, activity_id=t.receiver_activity_id)
                if t.receiver_organisation
                else None,
            )
            for t in transactions
        ],
        documents=_documents(action),
        related=related,
        results=_results(action),
    )


def actions_for_export(actions: QuerySet[Action]) -> QuerySet[Action]:
    return (
        actions.select_related("programme__reporting_organisation", "reporting_organisation")
        .prefetch_related(
            Prefetch("participations", queryset=ActionParticipation.objects.select_related("organisation")),
            "objective_shares__objective",
            "tags",
            "target_groups",
            "sectors",
            "country_shares",
            "budgets",
            "transactions__provider_organisation",
            "transactions__receiver_organisation",
            "documents",
            Prefetch("results", queryset=Result.objects.prefetch_related("indicators__periods__disaggregations")),
        )
        .order_by("iati_identifier")
    )


def portfolio_activities(
    actions: Iterable[Action] | None = None, *, include_external: bool = False
) -> list[iati.Activity]:
    """The programmes and their actions (other donors' actions only when asked), by identifier."""
    if actions is None:
        queryset = Action.objects.all() if include_external else Action.objects.filter(is_external=False)
        actions = actions_for_export(queryset)
    chosen = list(actions)
    objectives = list(Objective.objects.order_by("number"))
    programmes = list(Programme.objects.select_related("reporting_organisation").order_by("iati_identifier"))
    found: list[iati.Activity] = []
    for programme in programmes:
        children = sorted(a.iati_identifier for a in chosen if a.programme_id == programme.pk)
        found.append(programme_activity(programme, children, objectives))
    default = programmes[0] if programmes else None
    found += [action_activity(action, default) for action in chosen]
    return sorted(found, key=lambda a: (a.hierarchy, a.identifier))


def export_bytes(generated: datetime | None = None, *, include_external: bool = False, lang: str = "en") -> bytes:
    """The whole file; ``lang`` is the default language of its narratives (the other one is tagged)."""
    activities = portfolio_activities(include_external=include_external)
    for activity in activities:
        activity.lang = lang
    return xml_builder.build_document(activities, generated or timezone.now())


def today() -> date:
    return timezone.localdate()
