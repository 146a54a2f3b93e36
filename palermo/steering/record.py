"""The facts of a review as JSON, and back: plain logic, no Django.

Closing a meeting freezes this record of the full review in each language beside its documents, its hash in the
seal; a reader's version of a closed meeting is drawn from it (``scope.scoped_review``), so it shows the data as
they stood at closing. Only the facts are kept (every figure is computed again by ``figures.assemble``), and of the
actions only those the review refers to. Amounts and shares are exact decimals written as text.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from palermo.programme import complementarity
from palermo.steering.casefacts import cases_from_json, cases_json
from palermo.steering.figures import (
    MONEY_KINDS,
    ActionLine,
    DecisionLine,
    ExtraSection,
    IndicatorLine,
    Money,
    Review,
    assemble,
)

RECORD_FORMAT = 1


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _action(line: ActionLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "identifier": line.identifier,
        "title": line.title,
        "channel": line.channel,
        "status": line.status,
        "start": _day(line.start),
        "end": _day(line.end),
        "countries": {code: str(share) for code, share in line.countries.items()},
        "objectives": {str(number): str(share) for number, share in line.objectives.items()},
        "is_external": line.is_external,
        "organisations": sorted(line.organisations),
        "trafficking_form": line.trafficking_form,
        "target_groups": sorted(line.target_groups),
        "representation": line.representation,
        "french_partners": list(line.french_partners),
    }


def _line(data: dict[str, Any]) -> ActionLine:
    return ActionLine(
        id=data["id"],
        identifier=data["identifier"],
        title=data["title"],
        channel=data["channel"],
        status=data["status"],
        start=_date(data["start"]),
        end=_date(data["end"]),
        countries={code: Decimal(share) for code, share in data["countries"].items()},
        objectives={int(number): Decimal(share) for number, share in data["objectives"].items()},
        is_external=data["is_external"],
        organisations=frozenset(data["organisations"]),
        # kept since the review names forms, channels' representations, minors and French counterparts
        trafficking_form=data.get("trafficking_form", ""),
        target_groups=frozenset(data.get("target_groups", ())),
        representation=data.get("representation", ""),
        french_partners=tuple(data.get("french_partners", ())),
    )


def _facts(line: ActionLine) -> complementarity.ActionFacts:
    """An overlap's action as the review shows it (identifier, title, shares; no description)."""
    return complementarity.ActionFacts(
        id=line.id, identifier=line.identifier, title=line.title, description="", channel=line.channel,
        status=line.status, start=line.start, end=line.end, countries=line.countries, objectives=line.objectives,
        is_external=line.is_external,
    )


def referred(review: Review) -> set[int]:
    """The actions the review refers to: the others change nothing in it nor in any of its versions."""
    take, plan = review.stock_take, review.proposal
    ids = {line.id for line in take.implemented} | {line.id for line in plan.pipeline} | set(review.money_by_action)
    ids |= {line.action_id for line in take.indicators}
    ids |= {action.id for overlap in plan.overlaps for action in (overlap.first, overlap.second)}
    ids |= {pk for decision in review.decisions for pk, _identifier in decision.actions}
    return ids & set(review.actions)


def review_record(review: Review) -> dict[str, Any]:
    """The facts of a full review (not of a version) as JSON-ready data."""
    if review.scope is not None:
        raise ValueError("only the full review is recorded: a version is drawn from it")
    take, plan = review.stock_take, review.proposal
    return {
        "format": RECORD_FORMAT,
        "year": review.year,
        "generated_at": review.generated_at,
        "actions": [_action(review.actions[pk]) for pk in sorted(referred(review))],
        "money": {
            str(pk): {kind: str(getattr(money, kind)) for kind in MONEY_KINDS}
            for pk, money in sorted(review.money_by_action.items())
        },
        "indicators": [
            {
                "action_id": line.action_id,
                "action_identifier": line.action_identifier,
                "indicator": line.indicator,
                "unit": line.unit,
                "period_end": _day(line.period_end),
                "target": str(line.target),
                "actual": str(line.actual),
                "ascending": line.ascending,
            }
            for line in take.indicators
        ],
        "extra_sections": [
            {"title": section.title, "columns": section.columns, "rows": section.rows}
            for section in take.extra_sections
        ],
        "proposal_sections": [
            {"title": section.title, "columns": section.columns, "rows": section.rows}
            for section in plan.extra_sections
        ],
        "gaps": {
            "uncovered_cells": [list(cell) for cell in plan.gaps.uncovered_cells],
            "unanswered_urges": [
                {"id": r.id, "country": r.country, "level": r.level, "follow_up": r.follow_up, "label": r.label}
                for r in plan.gaps.unanswered_urges
            ],
            "uncovered_groups": [list(group) for group in plan.gaps.uncovered_groups],
            "uncovered_forms": [list(form) for form in plan.gaps.uncovered_forms],
        },
        "overlaps": [
            {
                "first": o.first.id,
                "second": o.second.id,
                "countries": list(o.countries),
                "objectives": list(o.objectives),
                "target_groups": list(o.target_groups),
                "beneficiaries": list(o.beneficiaries),
                "similarity": o.similarity,
            }
            for o in plan.overlaps
        ],
        "decisions": [
            {
                "text": d.text,
                "actions": [[pk, identifier] for pk, identifier in d.actions],
                "owner": d.owner,
                "due_date": _day(d.due_date),
            }
            for d in review.decisions
        ],
        "country_names": review.country_names,
        "objective_names": {str(number): name for number, name in review.objective_names.items()},
        "cases": cases_json(review.cases),
    }


def record_bytes(review: Review) -> bytes:
    return json.dumps(review_record(review), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str).encode()


def review_from_record(content: bytes) -> Review:
    """The full review a record was made from: the same facts, every figure computed again."""
    data = json.loads(content)
    if data.get("format") != RECORD_FORMAT:
        raise ValueError(f"unknown review record format {data.get('format')!r}")
    actions = {line.id: line for line in map(_line, data["actions"])}
    gaps = data["gaps"]
    return assemble(
        year=data["year"],
        generated_at=data["generated_at"],
        actions=actions,
        money={
            int(pk): Money(*(Decimal(amounts[kind]) for kind in MONEY_KINDS)) for pk, amounts in data["money"].items()
        },
        indicators=[
            IndicatorLine(
                action_id=row["action_id"],
                action_identifier=row["action_identifier"],
                indicator=row["indicator"],
                unit=row["unit"],
                period_end=date.fromisoformat(row["period_end"]),
                target=Decimal(row["target"]),
                actual=Decimal(row["actual"]),
                ascending=row["ascending"],
            )
            for row in data["indicators"]
        ],
        extra_sections=[ExtraSection(s["title"], s["columns"], s["rows"]) for s in data["extra_sections"]],
        proposal_sections=[ExtraSection(s["title"], s["columns"], s["rows"])
                           for s in data.get("proposal_sections", [])],  # absent from records made before
        gaps=complementarity.Gaps(
            uncovered_cells=[(code, number) for code, number in gaps["uncovered_cells"]],
            unanswered_urges=[complementarity.Recommendation(**r) for r in gaps["unanswered_urges"]],
            uncovered_groups=[(group, code) for group, code in gaps["uncovered_groups"]],
            uncovered_forms=[(form, code) for form, code in gaps.get("uncovered_forms", [])],
        ),
        overlaps=[
            complementarity.Overlap(
                first=_facts(actions[o["first"]]),
                second=_facts(actions[o["second"]]),
                countries=tuple(o["countries"]),
                objectives=tuple(o["objectives"]),
                target_groups=tuple(o["target_groups"]),
                beneficiaries=tuple(o["beneficiaries"]),
                similarity=o["similarity"],
            )
            for o in data["overlaps"]
        ],
        decisions=[
            DecisionLine(
                text=d["text"],
                actions=tuple((pk, identifier) for pk, identifier in d["actions"]),
                owner=d["owner"],
                due_date=_date(d["due_date"]),
            )
            for d in data["decisions"]
        ],
        country_names=data["country_names"],
        objective_names={int(number): name for number, name in data["objective_names"].items()},
        cases=cases_from_json(data.get("cases")),
    )
