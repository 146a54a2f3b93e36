"""Write validated IATI activities into the portfolio tables (called inside the import transaction)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from palermo.iati import activity as iati
from palermo.iati import mapping
from palermo.partners.models import Organisation
from palermo.programme.models import (
    Action,
    ActionCountry,
    ActionObjective,
    ActionParticipation,
    ActionSector,
    ActionTag,
    ActionTargetGroup,
    Budget,
    Channel,
    Document,
    Indicator,
    Period,
    PeriodDisaggregation,
    Programme,
    Result,
    TargetGroup,
    TraffickingForm,
    Transaction,
)
from palermo.reference.models import Objective

CENT = Decimal("0.01")


class TextPicker:
    """English and French out of a multilingual IATI text; the default language stands in for English."""

    def __init__(self, text: iati.Text, default_lang: str) -> None:
        self.text = text
        self.default_lang = default_lang

    def english(self) -> str:
        return self.text.get("en") or self.text.get(self.default_lang) or next(iter(self.text.values()), "")

    def french(self) -> str:
        return self.text.get("fr", "")

    def any(self) -> str:
        return self.text.get(self.default_lang) or self.english()


class Registry:
    """Organisations met in a file: found by IATI identifier, else by name; created when unknown."""

    def __init__(self, crs_channel_codes: frozenset[str] | None = None) -> None:
        self.crs_channel_codes = crs_channel_codes
        self.by_ref: dict[str, Organisation] = {}
        self.by_name: dict[str, Organisation] = {}
        for org in Organisation.objects.order_by("pk"):
            if org.iati_identifier:
                self.by_ref.setdefault(org.iati_identifier, org)
            self.by_name.setdefault(org.name, org)
        self.created = 0

    def organisation(self, found: iati.Organisation) -> Organisation | None:
        name = TextPicker(found.name, "en").any().strip()
        if found.ref and found.ref in self.by_ref:
            return self.by_ref[found.ref]
        if name and name in self.by_name:
            return self.by_name[name]
        if not (name or found.ref):
            return None
        channel = found.crs_channel_code
        if self.crs_channel_codes is not None and channel not in self.crs_channel_codes:
            channel = ""
        org = Organisation.objects.create(
            name=(name or found.ref)[:300],
            kind=mapping.KIND_OF_TYPE.get(found.type, mapping.DEFAULT_KIND),
            iati_identifier=found.ref[:120],
            crs_channel_code=channel[:10],
        )
        self.created += 1
        if found.ref:
            self.by_ref[found.ref] = org
        self.by_name[org.name] = org
        return org


def cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, ROUND_HALF_UP)


def euros(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


class ActionWriter:
    def __init__(self, registry: Registry, programmes: dict[str, Programme], source: str) -> None:
        self.registry = registry
        self.programmes = programmes
        self.source = source
        self.objectives = {o.number: o for o in Objective.objects.all()}
        self.uris = {p.objectives_vocabulary_uri or mapping.FALLBACK_VOCABULARY_URI for p in programmes.values()}
        self.uris.add(mapping.FALLBACK_VOCABULARY_URI)

    def _ours(self, share: iati.Share, fragment: str = "") -> bool:
        return share.vocabulary == "99" and any(share.vocabulary_uri == uri + fragment for uri in self.uris)

    def _trafficking_form(self, item: iati.Activity) -> str:
        for tag in item.tags:
            if self._ours(tag, mapping.TRAFFICKING_FORM_FRAGMENT) and tag.code in TraffickingForm.values:
                return tag.code
        return ""

    def _channel(self, item: iati.Activity, own: bool) -> str:
        for tag in item.tags:
            if self._ours(tag, mapping.CHANNEL_FRAGMENT) and tag.code in Channel.values:
                return tag.code
        return mapping.guess_channel(
            item.collaboration_type, item.reporting_org.type, len(item.recipient_countries), len(item.recipient_regions)
        )

    def save(self, item: iati.Activity, *, own: bool) -> bool:
        title = TextPicker(item.title, item.lang)
        description = TextPicker(item.descriptions.get("1", {}), item.lang)
        parent = next(
            (self.programmes[ref] for ref, kind in item.related if kind == "1" and ref in self.programmes), None
        )
        values = {
            "programme": parent if own else None,
            "reporting_organisation": self.registry.organisation(item.reporting_org),
            "is_external": not own,
            "source": "" if own else self.source[:300],
            "title_en": title.english()[:300],
            "title_fr": title.french()[:300],
            "description_en": description.english(),
            "description_fr": description.french(),
            "channel": self._channel(item, own),
            "trafficking_form": self._trafficking_form(item),
            "status": int(item.status or 1),
            "planned_start": item.dates.get("1"),
            "actual_start": item.dates.get("2"),
            "planned_end": item.dates.get("3"),
            "actual_end": item.dates.get("4"),
            "collaboration_type": int(item.collaboration_type or 1),
        }
        action, created = Action.objects.update_or_create(iati_identifier=item.identifier, defaults=values)
        if not created:
            for related in (
                action.country_shares,
                action.objective_shares,
                action.participations,
                action.sectors,
                action.tags,
                action.budgets,
                action.transactions,
                action.results,
            ):
                related.all().delete()
            action.documents.exclude(url="").delete()
            if own:
                action.target_groups.all().delete()
        self._shares(action, item, own)
        self._organisations(action, item)
        self._money(action, item)
        self._documents(action, item)
        self._results(action, item)
        return created

    def _shares(self, action: Action, item: iati.Activity, own: bool) -> None:
        countries: dict[str, Decimal] = {}
        if item.recipient_countries:
            single = len(item.recipient_countries) == 1
            for share in item.recipient_countries:
                countries[share.code] = (
                    Decimal(100) if single and share.percentage is None else (share.percentage or Decimal(0))
                )
        else:  # countries given on the transactions only: weight them by the amounts
            totals: dict[str, Decimal] = {}
            for t in item.transactions:
                for code in t.recipient_countries[:1]:
                    totals[code] = totals.get(code, Decimal(0)) + t.value
            grand = sum(totals.values(), Decimal(0))
            countries = {code: value * 100 / grand for code, value in totals.items()} if grand else {}
        ActionCountry.objects.bulk_create(
            [
                ActionCountry(action=action, country_id=code, percentage=euros(share))
                for code, share in countries.items()
                if share > 0
            ]
        )
        objective_shares = {mapping.objective_number(s.code): s.percentage for s in item.sectors if self._ours(s)}
        if not objective_shares:
            tagged = [mapping.objective_number(t.code) for t in item.tags if self._ours(t)]
            objective_shares = {n: Decimal(100) / len(tagged) for n in tagged} if tagged else {}
        ActionObjective.objects.bulk_create(
            [
                ActionObjective(action=action, objective=self.objectives[number], percentage=euros(share or Decimal(0)))
                for number, share in objective_shares.items()
                if number in self.objectives
            ]
        )
        ActionSector.objects.bulk_create(
            [
                ActionSector(
                    action=action, vocabulary=s.vocabulary[:3], code=s.code[:20], percentage=cents(s.percentage)
                )
                for s in item.sectors
                if not self._ours(s)
            ],
            ignore_conflicts=True,
        )
        plain_tags = [
            t
            for t in item.tags
            if not (
                self._ours(t) or self._ours(t, mapping.CHANNEL_FRAGMENT) or self._ours(t, mapping.TARGET_GROUP_FRAGMENT)
                or self._ours(t, mapping.TRAFFICKING_FORM_FRAGMENT)
            )
        ]
        ActionTag.objects.bulk_create(
            [
                ActionTag(
                    action=action, vocabulary=t.vocabulary[:3], vocabulary_uri=t.vocabulary_uri[:200], code=t.code[:30]
                )
                for t in plain_tags
            ],
            ignore_conflicts=True,
        )
        if own:
            groups = {t.code for t in item.tags if self._ours(t, mapping.TARGET_GROUP_FRAGMENT)}
            ActionTargetGroup.objects.bulk_create(
                [ActionTargetGroup(action=action, group=g) for g in sorted(groups) if g in TargetGroup.values]
            )

    def _organisations(self, action: Action, item: iati.Activity) -> None:
        seen = set()
        rows = []
        for found in item.participating_orgs:
            org = self.registry.organisation(found)
            if org is None or not found.role or (org.pk, found.role) in seen:
                continue
            seen.add((org.pk, found.role))
            rows.append(
                ActionParticipation(
                    action=action, organisation=org, role=int(found.role), activity_id=found.activity_id[:150]
                )
            )
        ActionParticipation.objects.bulk_create(rows)

    def _money(self, action: Action, item: iati.Activity) -> None:
        Budget.objects.bulk_create(
            [
                Budget(
                    action=action,
                    budget_type=int(b.type or 1),
                    status=int(b.status or 1),
                    period_start=b.period_start,
                    period_end=b.period_end,
                    value=euros(b.value),
                    value_date=b.value_date,
                )
                for b in item.budgets
            ]
        )
        rows = []
        for t in item.transactions:
            provider = self.registry.organisation(t.provider) if t.provider else None
            receiver = self.registry.organisation(t.receiver) if t.receiver else None
            rows.append(
                Transaction(
                    action=action,
                    ref=t.ref[:100],
                    transaction_type=int(t.type),
                    date=t.date,
                    value=euros(t.value),
                    description=TextPicker(t.description, item.lang).any()[:500],
                    provider_organisation=provider,
                    provider_activity_id=t.provider.activity_id[:150] if t.provider else "",
                    receiver_organisation=receiver,
                    receiver_activity_id=t.receiver.activity_id[:150] if t.receiver else "",
                )
            )
        Transaction.objects.bulk_create(rows)

    def _documents(self, action: Action, item: iati.Activity) -> None:
        Document.objects.bulk_create(
            [
                Document(
                    action=action,
                    title=(TextPicker(d.title, item.lang).any() or d.url)[:300],
                    category=d.category[:3],
                    url=d.url,
                    language=(d.language or "en")[:5],
                    document_date=d.date,
                )
                for d in item.documents
                if d.url and len(d.url) <= 200 and d.category.startswith("A")
            ]
        )

    def _results(self, action: Action, item: iati.Activity) -> None:
        for order, found in enumerate(item.results):
            title = TextPicker(found.title, item.lang)
            result = Result.objects.create(
                action=action,
                result_type=int(found.type),
                title_en=title.english()[:300] or "—",
                title_fr=title.french()[:300],
                description=TextPicker(found.description, item.lang).any(),
                order=order,
            )
            for position, entry in enumerate(found.indicators):
                name = TextPicker(entry.title, item.lang)
                vocabulary, code = entry.references[0] if entry.references else ("", "")
                indicator = Indicator.objects.create(
                    result=result,
                    title_en=name.english()[:300] or "—",
                    title_fr=name.french()[:300],
                    description=TextPicker(entry.description, item.lang).any(),
                    measure=int(entry.measure),
                    ascending=entry.ascending,
                    baseline_year=entry.baseline_year,
                    baseline_value=cents(entry.baseline_value),
                    baseline_comment=TextPicker(entry.baseline_comment, item.lang).any()[:500],
                    reference_vocabulary=vocabulary[:3],
                    reference_code=code[:50],
                    order=position,
                    disaggregated_by_sex=any(b.dimension == "sex" for p in entry.periods for b in p.breakdowns),
                    disaggregated_by_age=any(b.dimension == "age" for p in entry.periods for b in p.breakdowns),
                )
                periods = Period.objects.bulk_create(
                    [
                        Period(
                            indicator=indicator,
                            period_start=p.start,
                            period_end=p.end,
                            target=cents(p.target),
                            actual=cents(p.actual),
                            comment=TextPicker(p.actual_comment or p.target_comment, item.lang).any()[:500],
                        )
                        for p in entry.periods
                    ]
                )
                PeriodDisaggregation.objects.bulk_create(
                    PeriodDisaggregation(
                        period=period,
                        dimension=b.dimension,
                        value=b.value,
                        target=cents(b.target),
                        actual=cents(b.actual),
                    )
                    for period, found_period in zip(periods, entry.periods, strict=True)
                    for b in found_period.breakdowns
                )


def save_programme(item: iati.Activity, registry: Registry) -> Programme:
    """The programme's own parent activity: created, or updated when its identifier is known."""
    title = TextPicker(item.title, item.lang)
    description = TextPicker(item.descriptions.get("1", {}), item.lang)
    objective_uris = {t.vocabulary_uri for t in item.tags if t.vocabulary == "99" and mapping.objective_number(t.code)}
    uri = next(iter(sorted(objective_uris)), "")
    values = {
        "title_en": title.english()[:300],
        "title_fr": title.french()[:300],
        "description_en": description.english(),
        "description_fr": description.french(),
        "reporting_organisation": registry.organisation(item.reporting_org),
        "start_date": item.dates.get("1") or item.dates.get("2"),
        "end_date": item.dates.get("3"),
        "objectives_vocabulary_uri": "" if uri == mapping.FALLBACK_VOCABULARY_URI else uri[:200],
    }
    programme, _ = Programme.objects.update_or_create(iati_identifier=item.identifier, defaults=values)
    return programme
