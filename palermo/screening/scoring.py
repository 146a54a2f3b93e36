"""Indicator screening: which dimensions are positive, whether the list's combination rule is met, and what
referral to propose. Pure Python: the rules come from the list (data), never from code.

A list is given as\u00a0:class:`ListSpec` (built from the reference data's ``IndicatorList``); the ticked
indicators as keys ``dimension/code`` (a bare ``code`` is accepted when only one dimension has it).

Dimension rule (``dimension_rule``): ``{"positive_if_any": [{"strong": 2}, {"strong": 1, "medium_or_weak": 1},
{"medium": 3}, {"medium": 2, "weak": 1}]}``: a dimension is positive when one combination's counts are reached,
each indicator counting once. Case rule (``case_rule``): ``{"all_of": [{"any_of": [dimension, ...]}, ...]}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from palermo.screening.legal_texts import Language, Text

STRENGTHS = ("strong", "medium", "weak")


@dataclass(frozen=True)
class IndicatorSpec:
    dimension: str
    code: str
    strength: str
    text: Text

    @property
    def key(self) -> str:
        return f"{self.dimension}/{self.code}"


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    stage: str
    name: Text


@dataclass(frozen=True)
class ListSpec:
    code: str
    version: str
    population: str  # adult / child
    exploitation: str  # labour / sexual
    verified: bool
    source: str
    dimension_rule: Mapping[str, Any]
    case_rule: Mapping[str, Any]
    dimensions: Sequence[DimensionSpec]
    indicators: Sequence[IndicatorSpec]


class ScreeningInputError(ValueError):
    """Ticked indicators the list does not hold (or holds in several dimensions): each named."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def resolve(spec: ListSpec, ticked: Iterable[str]) -> list[IndicatorSpec]:
    """The indicators behind the given keys, in the list's order; unknown or ambiguous keys are refused."""
    by_key = {indicator.key: indicator for indicator in spec.indicators}
    by_code: dict[str, list[IndicatorSpec]] = {}
    for indicator in spec.indicators:
        by_code.setdefault(indicator.code, []).append(indicator)
    chosen: set[str] = set()
    problems: list[str] = []
    for key in ticked:
        if key in by_key:
            chosen.add(key)
        elif len(by_code.get(key, [])) == 1:
            chosen.add(by_code[key][0].key)
        elif key in by_code:
            options = ", ".join(indicator.key for indicator in by_code[key])
            problems.append(f"{key}: in several dimensions of {spec.code} {spec.version}; give one of {options}")
        else:
            problems.append(f"{key}: not an indicator of {spec.code} {spec.version}")
    if problems:
        raise ScreeningInputError(problems)
    return [indicator for indicator in spec.indicators if indicator.key in chosen]


def counts(indicators: Iterable[IndicatorSpec]) -> dict[str, int]:
    tally = dict.fromkeys(STRENGTHS, 0)
    for indicator in indicators:
        tally[indicator.strength] += 1
    return tally


def combination_met(combination: Mapping[str, int], tally: Mapping[str, int]) -> bool:
    """One combination of the dimension rule: every count reached, ``medium_or_weak`` from what is left over."""
    if any(tally[strength] < combination.get(strength, 0) for strength in STRENGTHS):
        return False
    spare = (tally["medium"] - combination.get("medium", 0)) + (tally["weak"] - combination.get("weak", 0))
    return spare >= combination.get("medium_or_weak", 0)


def dimension_positive(rule: Mapping[str, Any], tally: Mapping[str, int]) -> bool:
    return any(combination_met(combination, tally) for combination in rule["positive_if_any"])


@dataclass
class DimensionResult:
    dimension: DimensionSpec
    indicators: list[IndicatorSpec]
    counts: dict[str, int]
    positive: bool


@dataclass
class ScreeningResult:
    spec: ListSpec
    dimensions: list[DimensionResult]
    clauses: list[tuple[list[str], bool]]
    possible_victim: bool
    referral: str
    ticked: list[str] = field(default_factory=list)

    @property
    def positive_dimensions(self) -> list[DimensionResult]:
        return [result for result in self.dimensions if result.positive]

    def as_dict(self, language: Language = "en") -> dict[str, Any]:
        return {
            "list": self.spec.code,
            "version": self.spec.version,
            "verified": self.spec.verified,
            "source": self.spec.source,
            "possible_victim": self.possible_victim,
            "positive_dimensions": [
                {"dimension": result.dimension.code, "name": result.dimension.name.get(language),
                 "counts": result.counts,
                 "indicators": [{"key": i.key, "strength": i.strength, "text": i.text.get(language)}
                                for i in result.indicators]}
                for result in self.positive_dimensions
            ],
            "combination": [{"any_of": names, "met": met} for names, met in self.clauses],
            "ticked": self.ticked,
            "referral": {"code": self.referral, "text": REFERRALS[self.referral].get(language)},
            "notice": NOTICE.get(language),
            "warning": "" if self.spec.verified else UNVERIFIED.get(language),
        }


def score(spec: ListSpec, ticked: Iterable[str]) -> ScreeningResult:
    indicators = resolve(spec, ticked)
    results = []
    for dimension in spec.dimensions:
        behind = [indicator for indicator in indicators if indicator.dimension == dimension.code]
        tally = counts(behind)
        results.append(DimensionResult(dimension, behind, tally, dimension_positive(spec.dimension_rule, tally)))
    positive = {result.dimension.code for result in results if result.positive}
    clauses = [(list(clause["any_of"]), bool(positive & set(clause["any_of"]))) for clause in spec.case_rule["all_of"]]
    possible_victim = all(met for _, met in clauses)
    if possible_victim:
        referral = "refer_child" if spec.population == "child" else "refer_presumed_victim"
    else:
        referral = "assess_further" if positive else "no_indication"
    return ScreeningResult(spec, results, clauses, possible_victim, referral, [i.key for i in indicators])


NOTICE = Text("A screening result is an indication for referral, never a legal finding.",
              "Un résultat de repérage est une indication pour l'orientation, jamais une constatation juridique.")
UNVERIFIED = Text("This list has not been checked against the ILO/EC publication: its items are a reconstruction, "
                  "not the ILO's wording.",
                  "Cette liste n'a pas été vérifiée sur la publication OIT/CE\u00a0: ses éléments sont une "
                  "reconstitution, pas la formulation de l'OIT.")
REFERRALS = {
    "refer_child": Text(
        "Refer at once as a presumed child victim: the national referral mechanism, child protection services and "
        "a guardian; no means needs to be shown; a recovery and reflection period of at least 30 days.",
        "Orienter sans délai comme enfant présumé victime\u00a0: mécanisme national d'orientation, services de "
        "protection de l'enfance et tuteur ; aucun moyen n'a à être établi ; délai de rétablissement et de "
        "réflexion d'au moins 30 jours."),
    "refer_presumed_victim": Text(
        "Refer to the national referral mechanism as a presumed victim: offer assistance and a recovery and "
        "reflection period of at least 30 days; formal identification follows.",
        "Orienter vers le mécanisme national d'orientation comme victime présumée\u00a0: proposer une assistance et un "
        "délai de rétablissement et de réflexion d'au moins 30 jours ; l'identification formelle suit."),
    "assess_further": Text(
        "Some dimensions are positive but not the list's combination: interview further (with an interpreter if "
        "needed) and consider referral for assistance.",
        "Certaines dimensions sont positives, mais pas la combinaison de la liste\u00a0: poursuivre l'entretien (avec "
        "un interprète si besoin) et envisager une orientation vers une assistance."),
    "no_indication": Text(
        "These indicators give no indication of trafficking: record the screening and stay alert to new facts.",
        "Ces indicateurs ne donnent aucune indication de traite\u00a0: enregistrer le repérage et rester attentif aux "
        "faits nouveaux."),
}
