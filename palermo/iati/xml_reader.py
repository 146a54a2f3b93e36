"""Read an (already validated) IATI 2.03 tree into plain activities."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from palermo.iati.activity import (
    Activity,
    Breakdown,
    Budget,
    Document,
    Indicator,
    Organisation,
    Period,
    PolicyMarker,
    Result,
    Share,
    Text,
    Transaction,
)
from palermo.iati.problems import line_of
from palermo.iati.xml_builder import XML_LANG
from palermo.numbers import whole_number

Element = etree._Element
DIMENSION_NAMES = {"sex": "sex", "gender": "sex", "age": "age"}


def text_of(element: Element | None, default_lang: str) -> Text:
    if element is None:
        return {}
    found: Text = {}
    for narrative in element.iterfind("narrative"):
        lang = narrative.get(XML_LANG) or default_lang
        value = (narrative.text or "").strip()
        if value and lang not in found:
            found[lang] = value
    return found


def to_date(value: str | None) -> date | None:
    if not value:
        return None
    return date.fromisoformat(value[:10])


def date_of(element: Element, tag: str) -> date | None:
    child = element.find(tag)
    return to_date(child.get("iso-date")) if child is not None else None


def to_decimal(value: str | None) -> Decimal | None:
    if value is None or value.strip() == "":
        return None
    try:
        return Decimal(value.strip())
    except InvalidOperation:
        return None


def _organisation(element: Element, lang: str) -> Organisation:
    return Organisation(
        ref=element.get("ref", ""),
        type=element.get("type", ""),
        name=text_of(element, lang),
        role=element.get("role", ""),
        crs_channel_code=element.get("crs-channel-code", ""),
        activity_id=element.get("activity-id", ""),
        line=line_of(element),
    )


def _share(element: Element, lang: str, default_vocabulary: str = "") -> Share:
    return Share(
        code=element.get("code", ""),
        percentage=to_decimal(element.get("percentage")),
        vocabulary=element.get("vocabulary", default_vocabulary),
        vocabulary_uri=element.get("vocabulary-uri", ""),
        name=text_of(element, lang),
        line=line_of(element),
    )


def _money(element: Element, default_currency: str, fallback_date: date | None) -> tuple[Decimal, str, date]:
    value = to_decimal(element.text) or Decimal(0)
    value_date = to_date(element.get("value-date")) or fallback_date or date.min
    return value, element.get("currency") or default_currency, value_date


def _budget(element: Element, default_currency: str) -> Budget | None:
    start = date_of(element, "period-start")
    end = date_of(element, "period-end")
    value_element = element.find("value")
    if start is None or end is None or value_element is None:
        return None
    value, currency, value_date = _money(value_element, default_currency, start)
    return Budget(
        type=element.get("type", "1"),
        status=element.get("status", "1"),
        period_start=start,
        period_end=end,
        value=value,
        currency=currency,
        value_date=value_date,
        line=line_of(element),
    )


def _transaction(element: Element, default_currency: str, lang: str) -> Transaction | None:
    kind = element.find("transaction-type")
    day_element = element.find("transaction-date")
    value_element = element.find("value")
    if kind is None or day_element is None or value_element is None:
        return None
    day = to_date(day_element.get("iso-date"))
    if day is None:
        return None
    value, currency, value_date = _money(value_element, default_currency, day)
    return Transaction(
        type=kind.get("code", ""),
        date=day,
        value=value,
        currency=currency,
        value_date=value_date,
        description=text_of(element.find("description"), lang),
        ref=element.get("ref", ""),
        provider=_party(element.find("provider-org"), "provider", lang),
        receiver=_party(element.find("receiver-org"), "receiver", lang),
        recipient_countries=[c.get("code", "") for c in element.iterfind("recipient-country")],
        line=line_of(element),
    )


def _party(element: Element | None, side: str, lang: str) -> Organisation | None:
    if element is None:
        return None
    return Organisation(
        ref=element.get("ref", ""),
        type=element.get("type", ""),
        name=text_of(element, lang),
        activity_id=element.get(f"{side}-activity-id", ""),
        line=line_of(element),
    )


def _indicator(element: Element, lang: str) -> Indicator:
    indicator = Indicator(
        measure=element.get("measure", "1"),
        title=text_of(element.find("title"), lang),
        description=text_of(element.find("description"), lang),
        ascending=element.get("ascending", "1") not in ("0", "false"),
        references=[(r.get("vocabulary", ""), r.get("code", "")) for r in element.iterfind("reference")],
    )
    baseline = element.find("baseline")
    if baseline is not None:
        year = baseline.get("year")
        indicator.baseline_year = whole_number(year)
        indicator.baseline_date = to_date(baseline.get("iso-date"))
        indicator.baseline_value = to_decimal(baseline.get("value"))
        indicator.baseline_comment = text_of(baseline.find("comment"), lang)
    for period in element.iterfind("period"):
        start = date_of(period, "period-start")
        end = date_of(period, "period-end")
        if start is None or end is None:
            continue
        target, actual = _total(period, "target"), _total(period, "actual")
        indicator.periods.append(
            Period(
                start=start,
                end=end,
                target=to_decimal(target.get("value")) if target is not None else None,
                actual=to_decimal(actual.get("value")) if actual is not None else None,
                target_comment=text_of(target.find("comment"), lang) if target is not None else {},
                actual_comment=text_of(actual.find("comment"), lang) if actual is not None else {},
                breakdowns=_breakdowns(period),
            )
        )
    return indicator


def dimension_of(element: Element) -> tuple[str, str] | None:
    """The Palermo dimension ("sex" or "age") and value of a target or actual broken down by exactly one
    ``dimension`` (the name "gender" is read as sex); ``None`` for any other breakdown."""
    dimensions = element.findall("dimension")
    if len(dimensions) != 1:
        return None
    name = (dimensions[0].get("name") or "").strip().lower()
    kind = DIMENSION_NAMES.get(name)
    value = (dimensions[0].get("value") or "").strip()
    return (kind, value) if kind and value else None


def _total(period: Element, tag: str) -> Element | None:
    """The period's plain target (or actual); without one, the first that is not a sex or age breakdown
    Palermo keeps (another publisher's value for, say, female adults stands for the period, as it did before
    breakdowns were read)."""
    elements = period.findall(tag)
    plain = next((e for e in elements if e.find("dimension") is None), None)
    return plain if plain is not None else next((e for e in elements if dimension_of(e) is None), None)


def _breakdowns(period: Element) -> list[Breakdown]:
    found: dict[tuple[str, str], Breakdown] = {}
    for tag in ("target", "actual"):
        for element in period.iterfind(tag):
            key = dimension_of(element)
            if key is None:
                continue
            breakdown = found.setdefault(key, Breakdown(dimension=key[0], value=key[1], line=line_of(element)))
            setattr(breakdown, tag, to_decimal(element.get("value")))
    return [found[key] for key in sorted(found)]


def _document(element: Element, lang: str) -> Document:
    category = element.find("category")
    language = element.find("language")
    day = element.find("document-date")
    return Document(
        url=element.get("url", ""),
        format=element.get("format", ""),
        title=text_of(element.find("title"), lang),
        category=category.get("code", "") if category is not None else "",
        language=language.get("code", "") if language is not None else "",
        date=to_date(day.get("iso-date")) if day is not None else None,
    )


def read_activity(element: Element) -> Activity:
    lang = element.get(XML_LANG) or "en"
    currency = element.get("default-currency") or ""
    updated = element.get("last-updated-datetime")
    reporting = element.find("reporting-org")
    status = element.find("activity-status")
    activity = Activity(
        identifier=(element.findtext("iati-identifier") or "").strip(),
        reporting_org=_organisation(reporting, lang) if reporting is not None else Organisation("", "", {}),
        title=text_of(element.find("title"), lang),
        lang=lang,
        default_currency=currency,
        hierarchy=int(element.get("hierarchy") or 1),
        last_updated=datetime.fromisoformat(updated.replace("Z", "+00:00")) if updated else None,
        status=status.get("code", "") if status is not None else "",
        line=line_of(element),
    )
    for description in element.iterfind("description"):
        activity.descriptions.setdefault(description.get("type", "1"), text_of(description, lang))
    activity.participating_orgs = [_organisation(org, lang) for org in element.iterfind("participating-org")]
    for day in element.iterfind("activity-date"):
        parsed = to_date(day.get("iso-date"))
        if parsed is not None:
            activity.dates[day.get("type", "")] = parsed
    scope = element.find("activity-scope")
    activity.scope = scope.get("code", "") if scope is not None else ""
    activity.recipient_countries = [_share(e, lang) for e in element.iterfind("recipient-country")]
    activity.recipient_regions = [_share(e, lang, "1") for e in element.iterfind("recipient-region")]
    activity.sectors = [_share(e, lang, "1") for e in element.iterfind("sector")]
    activity.tags = [_share(e, lang, "1") for e in element.iterfind("tag")]
    activity.policy_markers = [
        PolicyMarker(
            code=e.get("code", ""), significance=e.get("significance", ""), vocabulary=e.get("vocabulary", "1")
        )
        for e in element.iterfind("policy-marker")
    ]
    collaboration = element.find("collaboration-type")
    activity.collaboration_type = collaboration.get("code", "") if collaboration is not None else ""
    activity.budgets = [b for b in (_budget(e, currency) for e in element.iterfind("budget")) if b is not None]
    activity.transactions = [
        t for t in (_transaction(e, currency, lang) for e in element.iterfind("transaction")) if t is not None
    ]
    activity.documents = [_document(e, lang) for e in element.iterfind("document-link")]
    activity.related = [(e.get("ref", ""), e.get("type", "")) for e in element.iterfind("related-activity")]
    activity.results = [
        Result(
            type=e.get("type", "9"),
            title=text_of(e.find("title"), lang),
            description=text_of(e.find("description"), lang),
            indicators=[_indicator(i, lang) for i in e.iterfind("indicator")],
        )
        for e in element.iterfind("result")
    ]
    return activity


def read(tree: etree._ElementTree) -> list[Activity]:
    return [read_activity(element) for element in tree.getroot().iterfind("iati-activity")]
