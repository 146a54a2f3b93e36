"""Write activities as an IATI 2.03 ``iati-activities`` document, children in the schema's order.

The output depends only on its input: same activities and same ``generated`` time, same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from palermo.iati.activity import (
    Activity,
    Budget,
    Document,
    Indicator,
    Organisation,
    Result,
    Share,
    Text,
    Transaction,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def number(value: Decimal) -> str:
    return format(value, "f")


def iso(day: date) -> str:
    return day.isoformat()


def _narratives(parent: etree._Element, text: Text, default_lang: str) -> None:
    ordered = sorted(text.items(), key=lambda item: (item[0] != default_lang, item[0]))
    for lang, value in ordered:
        if not value:
            continue
        narrative = etree.SubElement(parent, "narrative")
        if lang != default_lang:
            narrative.set(XML_LANG, lang)
        narrative.text = value


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    for name, value in attributes.items():
        if value != "":
            element.set(name.replace("_", "-"), value)
    return element


def _organisation(parent: etree._Element, tag: str, org: Organisation, lang: str, with_role: bool) -> None:
    attributes = {"ref": org.ref, "type": org.type}
    if with_role:
        attributes.update(role=org.role, activity_id=org.activity_id, crs_channel_code=org.crs_channel_code)
    element = _sub(parent, tag, **attributes)
    _narratives(element, org.name, lang)


def _share(parent: etree._Element, tag: str, share: Share, lang: str) -> None:
    attributes = {"code": share.code, "vocabulary": share.vocabulary, "vocabulary_uri": share.vocabulary_uri}
    if share.percentage is not None:
        attributes["percentage"] = number(share.percentage)
    element = _sub(parent, tag, **attributes)
    _narratives(element, share.name, lang)


def _value(
    parent: etree._Element, tag: str, value: Decimal, currency: str, value_date: date, default_currency: str
) -> None:
    element = _sub(parent, tag, currency="" if currency == default_currency else currency, value_date=iso(value_date))
    element.text = number(value)


def _budget(parent: etree._Element, budget: Budget, default_currency: str) -> None:
    element = _sub(parent, "budget", type=budget.type, status=budget.status)
    _sub(element, "period-start", iso_date=iso(budget.period_start))
    _sub(element, "period-end", iso_date=iso(budget.period_end))
    _value(element, "value", budget.value, budget.currency, budget.value_date, default_currency)


def _transaction(parent: etree._Element, transaction: Transaction, activity: Activity) -> None:
    element = _sub(parent, "transaction", ref=transaction.ref)
    _sub(element, "transaction-type", code=transaction.type)
    _sub(element, "transaction-date", iso_date=iso(transaction.date))
    _value(element, "value", transaction.value, transaction.currency, transaction.value_date, activity.default_currency)
    if transaction.description:
        _narratives(_sub(element, "description"), transaction.description, activity.lang)
    for tag, org in (("provider-org", transaction.provider), ("receiver-org", transaction.receiver)):
        if org is not None:
            side = tag.split("-")[0]
            party = _sub(element, tag, ref=org.ref, type=org.type, **{f"{side}_activity_id": org.activity_id})
            _narratives(party, org.name, activity.lang)


def _document(parent: etree._Element, document: Document, lang: str) -> None:
    element = _sub(parent, "document-link", format=document.format, url=document.url)
    _narratives(_sub(element, "title"), document.title, lang)
    _sub(element, "category", code=document.category)
    if document.language:
        _sub(element, "language", code=document.language)
    if document.date:
        _sub(element, "document-date", iso_date=iso(document.date))


def _indicator(parent: etree._Element, indicator: Indicator, lang: str) -> None:
    element = _sub(parent, "indicator", measure=indicator.measure, ascending="1" if indicator.ascending else "0")
    _narratives(_sub(element, "title"), indicator.title, lang)
    if indicator.description:
        _narratives(_sub(element, "description"), indicator.description, lang)
    for vocabulary, code in indicator.references:
        _sub(element, "reference", vocabulary=vocabulary, code=code)
    if indicator.baseline_year is not None:
        baseline = _sub(
            element,
            "baseline",
            year=str(indicator.baseline_year),
            iso_date=iso(indicator.baseline_date) if indicator.baseline_date else "",
            value=number(indicator.baseline_value) if indicator.baseline_value is not None else "",
        )
        if indicator.baseline_comment:
            _narratives(_sub(baseline, "comment"), indicator.baseline_comment, lang)
    for period in indicator.periods:
        period_element = _sub(element, "period")
        _sub(period_element, "period-start", iso_date=iso(period.start))
        _sub(period_element, "period-end", iso_date=iso(period.end))
        for tag, value, comment in (
            ("target", period.target, period.target_comment),
            ("actual", period.actual, period.actual_comment),
        ):
            if value is not None:
                value_element = _sub(period_element, tag, value=number(value))
                if comment:
                    _narratives(_sub(value_element, "comment"), comment, lang)
            for breakdown in period.breakdowns:
                part = getattr(breakdown, tag)
                if part is not None:
                    part_element = _sub(period_element, tag, value=number(part))
                    _sub(part_element, "dimension", name=breakdown.dimension, value=breakdown.value)


def _result(parent: etree._Element, result: Result, lang: str) -> None:
    element = _sub(parent, "result", type=result.type)
    _narratives(_sub(element, "title"), result.title, lang)
    if result.description:
        _narratives(_sub(element, "description"), result.description, lang)
    for indicator in result.indicators:
        _indicator(element, indicator, lang)


def activity_element(activity: Activity) -> etree._Element:
    lang = activity.lang
    root = etree.Element("iati-activity")
    root.set(XML_LANG, lang)
    root.set("default-currency", activity.default_currency)
    if activity.last_updated is not None:
        root.set("last-updated-datetime", activity.last_updated.isoformat())
    root.set("hierarchy", str(activity.hierarchy))
    _sub(root, "iati-identifier").text = activity.identifier
    _organisation(root, "reporting-org", activity.reporting_org, lang, with_role=False)
    _narratives(_sub(root, "title"), activity.title, lang)
    for kind, text in sorted(activity.descriptions.items()):
        _narratives(_sub(root, "description", type=kind), text, lang)
    for org in activity.participating_orgs:
        _organisation(root, "participating-org", org, lang, with_role=True)
    _sub(root, "activity-status", code=activity.status)
    for kind, day in sorted(activity.dates.items()):
        _sub(root, "activity-date", type=kind, iso_date=iso(day))
    if activity.scope:
        _sub(root, "activity-scope", code=activity.scope)
    for share in activity.recipient_countries:
        _share(root, "recipient-country", share, lang)
    for share in activity.recipient_regions:
        _share(root, "recipient-region", share, lang)
    for share in activity.sectors:
        _share(root, "sector", share, lang)
    for share in activity.tags:
        _share(root, "tag", share, lang)
    for marker in activity.policy_markers:
        _sub(root, "policy-marker", vocabulary=marker.vocabulary, code=marker.code, significance=marker.significance)
    if activity.collaboration_type:
        _sub(root, "collaboration-type", code=activity.collaboration_type)
    for budget in activity.budgets:
        _budget(root, budget, activity.default_currency)
    for transaction in activity.transactions:
        _transaction(root, transaction, activity)
    for document in activity.documents:
        _document(root, document, lang)
    for ref, kind in activity.related:
        _sub(root, "related-activity", ref=ref, type=kind)
    for result in activity.results:
        _result(root, result, lang)
    return root


def build_document(activities: Iterable[Activity], generated: datetime) -> bytes:
    root = etree.Element("iati-activities", version="2.03")
    root.set("generated-datetime", generated.replace(microsecond=0).isoformat())
    for activity in activities:
        root.append(activity_element(activity))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
