"""The legal test of trafficking in human beings, instrument by instrument. Pure Python: no Django here.

Facts come in as a mapping whose keys are all optional; a missing or ``None`` key means *unknown*, an empty
list means *known: none*::

    {"age": 16, "acts": ["recruitment"], "means": [], "purposes": ["begging"], "consent": true,
     "date": "2025-03-01"}

:func:`qualify` answers, for each instrument in ``data/legal_instruments.json``, a verdict (``trafficking``,
``not_trafficking``, ``insufficient_information``), each element (``act``, ``means``, ``purpose``) ``met``,
``not_met`` or ``unknown``, the reason in English and French, and the articles it rests on. The answer is an
indication for professionals, never a court's finding.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

from palermo.screening.legal_texts import LANGUAGES, Language, Text, article_list, join_labels, long_date, say

DATA_FILE = Path(__file__).resolve().parent / "data" / "legal_instruments.json"

TRAFFICKING = "trafficking"
NOT_TRAFFICKING = "not_trafficking"
INSUFFICIENT = "insufficient_information"
CHILD_AGE_LIMIT = 18
MAX_AGE = 130
FACT_KEYS = ("age", "acts", "means", "purposes", "consent", "date")
LIST_KEYS = ("acts", "means", "purposes")
PURPOSE_RULES = frozenset({"named", "included", "under", "added", "open"})

Element = Literal["met", "not_met", "unknown"]
MET: Element = "met"
NOT_MET: Element = "not_met"
UNKNOWN: Element = "unknown"


# ------------------------------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Article:
    article: str
    wording_verified: bool


@dataclass(frozen=True)
class PurposeRule:
    rule: str  # named / included / under / added / open
    article: str
    under: str = ""


@dataclass(frozen=True)
class Instrument:
    code: str
    name: Text
    applies_from: date
    applies_from_what: Text
    source: str
    articles: Mapping[str, Article]
    purposes: Mapping[str, PurposeRule]


@dataclass(frozen=True)
class Codes:
    acts: Mapping[str, Text]
    means: Mapping[str, Text]
    purposes: Mapping[str, Text]

    def of(self, key: str) -> Mapping[str, Text]:
        return {"acts": self.acts, "means": self.means, "purposes": self.purposes}[key]


@cache
def load() -> tuple[Codes, tuple[Instrument, ...]]:
    """The codes and instruments of the data file, checked: every instrument rules on every purpose code."""
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    codes = Codes(**{key: {code: Text(**label) for code, label in raw["codes"][key].items()} for key in LIST_KEYS})
    instruments = []
    for spec in raw["instruments"]:
        purposes = {code: PurposeRule(**rule) for code, rule in spec["purposes"].items()}
        if set(purposes) != set(codes.purposes):
            raise ValueError(f"{spec['code']}: rules for {sorted(purposes)} instead of {sorted(codes.purposes)}")
        if any(rule.rule not in PURPOSE_RULES for rule in purposes.values()):
            raise ValueError(f"{spec['code']}: unknown purpose rule")
        if not spec["source"].strip():
            raise ValueError(f"{spec['code']}: no source")
        instruments.append(Instrument(
            code=spec["code"], name=Text(**spec["name"]), applies_from=date.fromisoformat(spec["applies_from"]),
            applies_from_what=Text(**spec["applies_from_what"]), source=spec["source"],
            articles={key: Article(**value) for key, value in spec["articles"].items()}, purposes=purposes,
        ))
    return codes, tuple(instruments)


def instrument_codes() -> tuple[str, ...]:
    return tuple(instrument.code for instrument in load()[1])


# ------------------------------------------------------------------------------------------------ input


@dataclass(frozen=True)
class Problem:
    field: str
    message: Text


class FactsError(ValueError):
    """The facts could not be read: every problem names its field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message.en}" for p in problems))
        self.problems = list(problems)

    def messages(self, language: Language = "en") -> dict[str, list[str]]:
        by_field: dict[str, list[str]] = {}
        for problem in self.problems:
            by_field.setdefault(problem.field, []).append(problem.message.get(language))
        return by_field


@dataclass(frozen=True)
class Facts:
    age: int | None = None
    acts: frozenset[str] | None = None
    means: frozenset[str] | None = None
    purposes: frozenset[str] | None = None
    consent: bool | None = None
    date: date | None = None

    @property
    def is_child(self) -> bool | None:
        return None if self.age is None else self.age < CHILD_AGE_LIMIT


def facts_schema() -> dict[str, Any]:
    """The JSON Schema of what :func:`parse_facts` reads (the API's request body): every key optional or null."""
    codes, _ = load()
    lists = {key: {"type": "array", "nullable": True, "items": {"type": "string", "enum": list(codes.of(key))}}
             for key in LIST_KEYS}
    return {"type": "object", "additionalProperties": False, "properties": {
        "age": {"type": "integer", "minimum": 0, "maximum": MAX_AGE, "nullable": True},
        **lists,
        "consent": {"type": "boolean", "nullable": True},
        "date": {"type": "string", "format": "date", "nullable": True},
    }}


def parse_facts(raw: Any) -> Facts:
    """Read facts from parsed JSON (or a form); raise :class:`FactsError` naming each bad field."""
    if not isinstance(raw, Mapping):
        raise FactsError([Problem("facts", say("not_an_object"))])
    codes, _ = load()
    problems: list[Problem] = []
    for key in sorted(set(raw) - set(FACT_KEYS)):
        problems.append(Problem(str(key), say("unknown_field", expected=", ".join(FACT_KEYS))))
    values: dict[str, Any] = {}
    age = raw.get("age")
    if age is not None:
        if isinstance(age, bool) or not isinstance(age, int):
            problems.append(Problem("age", say("age_not_number")))
        elif not 0 <= age <= MAX_AGE:
            problems.append(Problem("age", say("age_range", max=MAX_AGE)))
        else:
            values["age"] = age
    for key in LIST_KEYS:
        items = raw.get(key)
        if items is None:
            continue
        known = codes.of(key)
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            problems.append(Problem(key, say("not_a_list", expected=", ".join(known))))
            continue
        unknown = [item for item in items if item not in known]
        if unknown:
            problems.append(Problem(key, say("unknown_codes", codes=", ".join(unknown), expected=", ".join(known))))
        else:
            values[key] = frozenset(items)
    consent = raw.get("consent")
    if consent is not None:
        if isinstance(consent, bool):
            values["consent"] = consent
        else:
            problems.append(Problem("consent", say("consent_not_bool")))
    when = raw.get("date")
    if when is not None:
        try:
            if not isinstance(when, str) or len(when) != 10:
                raise ValueError(when)
            values["date"] = date.fromisoformat(when)
        except ValueError:
            problems.append(Problem("date", say("bad_date")))
    if problems:
        raise FactsError(problems)
    return Facts(**values)


# ----------------------------------------------------------------------------------------------- output


@dataclass
class Qualification:
    instrument: Instrument
    verdict: str
    elements: dict[str, Element]
    reasons: list[Text] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)

    @property
    def wording_verified(self) -> bool:
        return all(article.wording_verified for article in self.articles)

    def reason(self, language: Language) -> str:
        return " ".join(text.get(language) for text in self.reasons)

    @property
    def article(self) -> str:
        return article_list(self.articles)

    def as_dict(self, language: Language = "en") -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "elements": dict(self.elements),
            "reason": self.reason(language),
            "article": self.article,
            "instrument": self.instrument.name.get(language),
            "applies_from": self.instrument.applies_from.isoformat(),
            "wording_verified": self.wording_verified,
            "notice": say("notice").get(language),
        }


def qualify(facts: Facts) -> dict[str, Qualification]:
    """The verdict of every instrument on the facts, in the data file's order."""
    codes, instruments = load()
    return {instrument.code: _qualify_one(instrument, codes, facts) for instrument in instruments}


def qualify_json(raw: Any, language: Language = "en") -> dict[str, dict[str, Any]]:
    """Parsed JSON facts in, the JSON-ready answer out (``FactsError`` on bad input)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    return {code: result.as_dict(language) for code, result in qualify(parse_facts(raw)).items()}


def _element(values: frozenset[str] | None) -> Element:
    if values is None:
        return UNKNOWN
    return MET if values else NOT_MET


def _labels(codes: Mapping[str, Text], values: frozenset[str]) -> Text:
    ordered = [codes[code] for code in codes if code in values]
    return join_labels(ordered)


def _qualify_one(instrument: Instrument, codes: Codes, facts: Facts) -> Qualification:
    arts = instrument.articles
    act, means = _element(facts.acts), _element(facts.means)
    purpose, purpose_reasons, purpose_articles = _purpose(instrument, codes, facts.purposes)
    result = Qualification(instrument, INSUFFICIENT, {"act": act, "means": means, "purpose": purpose},
                           articles=[arts["definition"]])
    say_more = result.reasons.append

    in_time = facts.date is None or facts.date >= instrument.applies_from
    if facts.date is None:
        say_more(say("no_date"))
    elif not in_time:
        say_more(say("before_instrument", date=long_date(facts.date), applies_from=long_date(instrument.applies_from),
                     what=instrument.applies_from_what))

    if act == MET:
        say_more(say("act_met", acts=_labels(codes.acts, facts.acts or frozenset())))
    else:
        say_more(say("act_not_met" if act == NOT_MET else "act_unknown"))

    means_needed = _means_reasons(result, facts, codes)
    say_more(_consent_reason(result, facts))
    result.reasons.extend(purpose_reasons)
    result.articles.extend(purpose_articles)

    needed = [act, purpose] + ([means] if means_needed else [])
    if not in_time:
        result.verdict = NOT_TRAFFICKING
        say_more(say("verdict_not_in_force"))
    elif NOT_MET in (act, purpose) or (means_needed and facts.is_child is False and means == NOT_MET):
        result.verdict = NOT_TRAFFICKING
        say_more(say("verdict_not_trafficking"))
    elif facts.is_child is None and means == NOT_MET:
        result.verdict = INSUFFICIENT
        say_more(say("verdict_age_decides"))
    elif all(element == MET for element in needed):
        result.verdict = TRAFFICKING
        say_more(say("verdict_trafficking"))
    else:
        say_more(say("verdict_insufficient"))
    if not result.wording_verified:
        unchecked = [article for article in result.articles if not article.wording_verified]
        say_more(say("unverified_wording", articles=article_list(unchecked, ", ")))
    result.reasons = [text for text in result.reasons if text.en]
    return result


def _means_reasons(result: Qualification, facts: Facts, codes: Codes) -> bool:
    """Explain the means and the child rule; answer whether a means is needed for the verdict."""
    arts = result.instrument.articles
    means = result.elements["means"]
    means_text = _labels(codes.means, facts.means or frozenset())
    if facts.is_child:
        result.articles.extend([arts["child"], arts["child_age"]])
        result.reasons.append(say("child", age=facts.age or 0))
        if means == MET:
            result.reasons.append(say("child_means_too", means=means_text))
        return False
    if facts.is_child is False:
        result.articles.append(arts["child_age"])
        key = {MET: "adult_means_met", NOT_MET: "adult_means_not_met", UNKNOWN: "adult_means_unknown"}[means]
        result.reasons.append(say(key, age=facts.age or 0, means=means_text))
        return True
    result.articles.extend([arts["child"], arts["child_age"]])
    key = {MET: "unknown_age_means_met", NOT_MET: "unknown_age_no_means", UNKNOWN: "unknown_age_means_unknown"}[means]
    result.reasons.append(say(key, means=means_text))
    if "age_presumption" in arts and means != MET:
        result.articles.append(arts["age_presumption"])
        result.reasons.append(say("age_presumption", article=arts["age_presumption"].article))
    return True


def _consent_reason(result: Qualification, facts: Facts) -> Text:
    if not facts.consent:
        return Text("", "")
    arts = result.instrument.articles
    if facts.is_child:
        return say("consent_child")
    result.articles.append(arts["consent"])
    key = {MET: "consent_means", NOT_MET: "consent_no_means", UNKNOWN: "consent_means_unknown"}
    return say(key[result.elements["means"]], article=arts["consent"].article)


def _purpose(instrument: Instrument, codes: Codes,
             purposes: frozenset[str] | None) -> tuple[Element, list[Text], list[Article]]:
    if purposes is None:
        return UNKNOWN, [say("purpose_unknown")], []
    if not purposes:
        return NOT_MET, [say("purpose_none")], []
    definition = instrument.articles["definition"]
    reasons: list[Text] = []
    articles: list[Article] = []
    covered = False
    for code in (code for code in codes.purposes if code in purposes):
        rule = instrument.purposes[code]
        covered = covered or rule.rule != "open"
        under = codes.purposes.get(rule.under, Text("", ""))
        reasons.append(say(f"purpose_{rule.rule}", purpose=codes.purposes[code], article=rule.article, under=under))
        articles.append(Article(rule.article, definition.wording_verified))
    return (MET if covered else UNKNOWN), reasons, articles
