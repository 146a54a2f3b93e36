"""A reader's version of the review: plain logic, no Django.

The full review names every action of the programme. A national coordinator or an international organisation
partner reads the version of their scope, drawn from the same facts: only the actions they read everywhere else
(``figures.Scope.holds``), the figures computed again on those, and, for a country scope, only the part of each
action's money that falls to their countries (an action 60 % Romania / 40 % Serbia counts 60 % of its money in
Romania's version). Gaps are those of the version's countries; overlaps those between two of its actions in one
of its countries; decisions those whose every action is in the version (a decision concerning no action, or one
outside it, stays in the full review). Contributed stock-take sections carry no scope and stay in the full review.
"""

from __future__ import annotations

from dataclasses import replace

from palermo.programme import complementarity
from palermo.steering.figures import Review, Scope, assemble


def scoped_review(review: Review, scope: Scope) -> Review:
    """The version of the full ``review`` for ``scope``."""
    held = {pk: line for pk, line in review.actions.items() if scope.holds(line)}
    if scope.organisation is None:
        countries = scope.countries
    else:
        countries = frozenset(code for line in held.values() for code in line.countries)
    # A country version shows its countries only: the share columns, the by-country tables, the overlaps' countries.
    shown = {
        pk: line if scope.organisation is not None else replace(
            line, countries={code: share for code, share in line.countries.items() if code in countries})
        for pk, line in held.items()
    }
    gaps = review.proposal.gaps
    version = assemble(
        year=review.year,
        generated_at=review.generated_at,
        actions=shown,
        money={pk: money for pk, money in review.money_by_action.items() if pk in held},
        money_countries=None if scope.organisation is not None else countries,
        indicators=[line for line in review.stock_take.indicators if line.action_id in held],
        gaps=complementarity.Gaps(
            uncovered_cells=[cell for cell in gaps.uncovered_cells if cell[0] in countries],
            unanswered_urges=[urge for urge in gaps.unanswered_urges if urge.country in countries],
            uncovered_groups=[group for group in gaps.uncovered_groups if group[1] in countries],
            uncovered_forms=[form for form in gaps.uncovered_forms if form[1] in countries],
        ),
        overlaps=[
            replace(overlap, countries=tuple(code for code in overlap.countries if code in countries))
            for overlap in review.proposal.overlaps
            if overlap.first.id in held and overlap.second.id in held
            and not countries.isdisjoint(overlap.countries)
        ],
        decisions=[
            decision for decision in review.decisions
            if decision.actions and all(pk in held for pk, _identifier in decision.actions)
        ],
        country_names={code: name for code, name in review.country_names.items() if code in countries},
        objective_names=review.objective_names,
        cases=review.cases.within(countries),
    )
    version.scope = scope
    version.version = scope.organisation_name if scope.organisation is not None else ", ".join(
        sorted(review.country_names.get(code, code) for code in countries)) or "—"
    return version
