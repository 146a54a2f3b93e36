"""Who does what, where, with how much: the complementarity matrix, overlap and gap alerts.

Plain logic on dataclasses, no Django: ``portfolio.py`` turns querysets into ``ActionFacts``.

Money in a cell is weighted by the action's country share and objective share: an action of
EUR 100,000 committed, 60 % Albania / 40 % Serbia and 50 % objective 2 / 50 % objective 3, puts
EUR 30,000 in (AL, 2), 30,000 in (AL, 3), 20,000 in (RS, 2) and 20,000 in (RS, 3). The count of
a cell is the number of actions that touch it (not weighted). An action without country or
objective shares (some imported activities) lands in the country ``""`` or objective ``0``
("not classified") rather than vanishing from the totals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import repeat
from operator import mul

from palermo.programme import similarity

COMMITMENT = 2
DISBURSEMENT = 3
PIPELINE, IMPLEMENTATION, FINALISATION, CLOSED, CANCELLED, SUSPENDED = 1, 2, 3, 4, 5, 6
ACTIVE = frozenset({IMPLEMENTATION, FINALISATION})
UNCLASSIFIED_OBJECTIVE = 0
CENT = Decimal("0.01")
HUNDRED = Decimal("100")
DEFAULT_SIMILARITY_THRESHOLD = 0.30
# Minors first, then the other groups in the programme's order.
TARGET_GROUP_PRIORITY = (
    "minors", "roma_minorities", "migrants_asylum_seekers", "women_precarious", "job_seekers_abroad",
    "victims", "professionals", "general_public",
)
# The groups whose absence in a country is a gap: the people at risk, not the professionals serving them.
GAP_TARGET_GROUPS = TARGET_GROUP_PRIORITY[:6]
# The two forms of trafficking of the programme text; an action addressing "both" covers each.
TRAFFICKING_FORMS = ("traditional", "migration_route")
BOTH_FORMS = "both"


def addresses(action_form: str, form: str) -> bool:
    """Whether an action of ``action_form`` ("traditional", "migration_route", "both" or "" unstated) addresses
    ``form``."""
    return action_form in (form, BOTH_FORMS) if action_form else False


@dataclass(frozen=True)
class ActionFacts:
    id: int
    identifier: str
    title: str
    description: str
    channel: str
    status: int
    start: date | None
    end: date | None
    countries: dict[str, Decimal] = field(default_factory=dict)
    objectives: dict[int, Decimal] = field(default_factory=dict)
    target_groups: frozenset[str] = frozenset()
    beneficiaries: frozenset[int] = frozenset()
    greta: frozenset[int] = frozenset()
    # (IATI transaction type, year) -> EUR
    money: dict[tuple[int, int], Decimal] = field(default_factory=dict)
    is_external: bool = False
    trafficking_form: str = ""  # "traditional", "migration_route", "both", or "" when not stated

    def runs_during(self, year: int) -> bool:
        starts_before_end = self.start is None or self.start <= date(year, 12, 31)
        ends_after_start = self.end is None or self.end >= date(year, 1, 1)
        return starts_before_end and ends_after_start

    def amount(self, transaction_type: int, year: int | None) -> Decimal:
        return sum(
            (value for (kind, in_year), value in self.money.items()
             if kind == transaction_type and (year is None or in_year == year)),
            Decimal("0"),
        )

    def country_shares(self) -> dict[str, Decimal]:
        return self.countries or {"": HUNDRED}

    def objective_shares(self) -> dict[int, Decimal]:
        return self.objectives or {UNCLASSIFIED_OBJECTIVE: HUNDRED}


@dataclass
class Cell:
    country: str
    objective: int
    channel: str
    actions: int = 0
    committed: Decimal = Decimal("0")
    disbursed: Decimal = Decimal("0")
    share: Decimal = Decimal("0")  # percent of the portfolio's commitments


@dataclass(frozen=True)
class Matrix:
    cells: list[Cell]
    total_committed: Decimal
    total_disbursed: Decimal
    actions: int

    def cell(self, country: str, objective: int, channel: str) -> Cell | None:
        return next((c for c in self.cells if (c.country, c.objective, c.channel) == (country, objective, channel)),
                    None)


def select(facts: Iterable[ActionFacts], *, year: int | None = None,
           statuses: Iterable[int] | None = None) -> list[ActionFacts]:
    """The actions running during ``year`` (any year when None) in one of ``statuses`` (any when None)."""
    wanted = frozenset(statuses) if statuses is not None else None
    return [f for f in facts if (wanted is None or f.status in wanted) and (year is None or f.runs_during(year))]


def matrix(facts: Iterable[ActionFacts], *, year: int | None = None,
           statuses: Iterable[int] | None = None) -> Matrix:
    """Country x objective x channel: actions, EUR committed and disbursed (in ``year`` when given), share."""
    chosen = select(facts, year=year, statuses=statuses)
    cells: dict[tuple[str, int, str], Cell] = {}
    total_committed = total_disbursed = Decimal("0")
    for action in chosen:
        committed = action.amount(COMMITMENT, year)
        disbursed = action.amount(DISBURSEMENT, year)
        total_committed += committed
        total_disbursed += disbursed
        for country, country_share in action.country_shares().items():
            for objective, objective_share in action.objective_shares().items():
                weight = country_share * objective_share / (HUNDRED * HUNDRED)
                key = (country, objective, action.channel)
                cell = cells.get(key)
                if cell is None:
                    cell = cells[key] = Cell(country, objective, action.channel)
                cell.actions += 1
                cell.committed += committed * weight
                cell.disbursed += disbursed * weight
    for cell in cells.values():
        cell.share = (cell.committed * HUNDRED / total_committed) if total_committed else Decimal("0")
        cell.committed = cell.committed.quantize(CENT, ROUND_HALF_UP)
        cell.disbursed = cell.disbursed.quantize(CENT, ROUND_HALF_UP)
        cell.share = cell.share.quantize(CENT, ROUND_HALF_UP)
    ordered = sorted(cells.values(), key=lambda c: (c.country, c.objective, c.channel))
    return Matrix(ordered, total_committed, total_disbursed, len(chosen))


@dataclass(frozen=True)
class Overlap:
    first: ActionFacts
    second: ActionFacts
    countries: tuple[str, ...]
    objectives: tuple[int, ...]
    target_groups: tuple[str, ...]
    beneficiaries: tuple[int, ...]
    similarity: float


def _candidate_pairs(live: Sequence[ActionFacts]) -> set[tuple[int, int]]:
    """Pairs sharing a country, an objective and a target group or beneficiary institution, running at the
    same time. Blocked by (country, objective, group or institution), then swept in order of start date, so
    the cost follows the pairs found rather than the square of the block."""
    blocks: dict[tuple[str, int, str, object], list[ActionFacts]] = defaultdict(list)
    for action in live:
        links = [("group", g) for g in action.target_groups] + [("institution", b) for b in action.beneficiaries]
        for country in action.countries:
            for objective in action.objectives:
                for kind, link in links:
                    blocks[(country, objective, kind, link)].append(action)
    candidates: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda f: (f.start or date.min, f.id))
        running: list[tuple[date, date, int]] = []  # (end, start, id) of earlier members
        for action in members:
            start, end = action.start or date.min, action.end or date.max
            running = [item for item in running if item[0] >= start]
            for _other_end, other_start, other in running:
                if other != action.id and other_start <= end:
                    candidates.add((min(other, action.id), max(other, action.id)))
            running.append((end, start, action.id))
    return candidates


def _cosines(vectors: dict[int, dict[str, float]], pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], float]:
    """``similarity.cosine`` of each pair, term by term in the same order (so the same floats), in C loops."""
    scores = {}
    for a_id, b_id in pairs:
        a, b = vectors[a_id], vectors[b_id]
        if len(b) < len(a):
            a, b = b, a
        scores[(a_id, b_id)] = sum(map(mul, a.values(), map(b.get, a.keys(), repeat(0.0))))
    return scores


def overlaps(facts: Sequence[ActionFacts], *, threshold: float = DEFAULT_SIMILARITY_THRESHOLD,
             within_year: int | None = None) -> list[Overlap]:
    """Pairs of live actions (not closed, cancelled or suspended) that share a country and an objective,
    run at the same time, aim at the same target group or beneficiary institution, and whose titles and
    descriptions have a TF-IDF cosine similarity at or above ``threshold``. Most similar first.

    ``within_year`` keeps only pairs whose two actions both run in that year, without comparing the others:
    the same pairs and scores as filtering the full answer afterwards (weights still come from every live
    action), at a fraction of the cost."""
    live = [f for f in facts if f.status in (PIPELINE, IMPLEMENTATION, FINALISATION)]
    compared = live if within_year is None else [f for f in live if f.runs_during(within_year)]
    candidates = _candidate_pairs(compared)
    if not candidates:
        return []
    by_id = {f.id: f for f in live}
    # Inverse document frequencies are taken over every live action, whichever pairs are compared.
    vectors = similarity.tfidf_vectors({i: f"{by_id[i].title}\n{by_id[i].description}" for i in sorted(by_id)})
    found = []
    for (a_id, b_id), score in _cosines(vectors, sorted(candidates)).items():
        if score < threshold:
            continue
        a, b = by_id[a_id], by_id[b_id]
        found.append(Overlap(
            first=a, second=b,
            countries=tuple(sorted(a.countries.keys() & b.countries.keys())),
            objectives=tuple(sorted(a.objectives.keys() & b.objectives.keys())),
            target_groups=tuple(g for g in TARGET_GROUP_PRIORITY if g in a.target_groups & b.target_groups),
            beneficiaries=tuple(sorted(a.beneficiaries & b.beneficiaries)),
            similarity=round(score, 3),
        ))
    return sorted(found, key=lambda o: (-o.similarity, o.first.identifier, o.second.identifier))


@dataclass(frozen=True)
class Recommendation:
    id: int
    country: str
    level: str
    follow_up: str
    label: str


@dataclass(frozen=True)
class Gaps:
    uncovered_cells: list[tuple[str, int]]  # (country, objective) with no active action
    unanswered_urges: list[Recommendation]
    uncovered_groups: list[tuple[str, str]]  # (target group, country), minors first
    # (form of trafficking, country) no active action addresses; with case records of that form in the country
    # when the caller gives them (``case_forms``), else every programme country
    uncovered_forms: list[tuple[str, str]] = field(default_factory=list)


def gaps(facts: Sequence[ActionFacts], *, countries: Sequence[str], objectives: Sequence[int],
         recommendations: Sequence[Recommendation], year: int | None = None,
         case_forms: Mapping[tuple[str, str], int] | None = None) -> Gaps:
    """What no active action covers (during ``year`` when given). ``case_forms`` counts case records by
    (form, country): with it, a form no action addresses in a country is a gap only where cases of that form
    were recorded."""
    active = select(facts, year=year, statuses=ACTIVE)
    covered_cells = {(c, o) for f in active for c in f.countries for o in f.objectives}
    covered_groups = {(g, c) for f in active for c in f.countries for g in f.target_groups}
    covered_forms = {(form, c) for f in active for c in f.countries for form in TRAFFICKING_FORMS
                     if addresses(f.trafficking_form, form)}
    answered = {r for f in facts if f.status != CANCELLED for r in f.greta}
    return Gaps(
        uncovered_cells=[(c, o) for c in countries for o in objectives if (c, o) not in covered_cells],
        unanswered_urges=[
            r for r in recommendations
            if r.level == "urges" and r.follow_up != "implemented" and r.id not in answered
        ],
        uncovered_groups=[(g, c) for g in GAP_TARGET_GROUPS for c in countries if (g, c) not in covered_groups],
        uncovered_forms=[
            (form, c) for form in TRAFFICKING_FORMS for c in countries
            if (form, c) not in covered_forms and (case_forms is None or case_forms.get((form, c), 0) > 0)
        ],
    )
