"""The aggregates of capacity building: what everyone may read (no name), for pages, the API, the results
framework (the feed ``capacity.people_trained``) and the steering committee's stock-take.

Who counts as trained: a participant marked as having attended a training that was held. A person on two trainings
counts twice (the sheets carry no identifier across trainings: the figure is "participations"). A training belongs
to the period, and to the year, of its last day.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from palermo.capacity import gain
from palermo.capacity.choices import PracticeChange, Profession, Sex, Status
from palermo.capacity.models import FollowUp, Participant, SurveyResponse, Training
from palermo.i18n import number, percent
from palermo.programme.feeds import Measurement
from palermo.steering.figures import ExtraSection

SEXES = tuple(Sex.values)


def trained() -> Q:
    """The participants who count as trained (on ``Participant``)."""
    return Q(attended=True, training__status=Status.HELD)


def people_trained(action_id: int, start: date, end: date) -> Measurement | None:
    """The feed ``capacity.people_trained``: participants trained on the action's trainings held and ended in the
    period, by sex (women and men always, other when any); None when no training of the action ended then."""
    trainings = Training.objects.filter(action_id=action_id, status=Status.HELD, end_date__gte=start,
                                        end_date__lte=end)
    if not trainings.exists():
        return None
    counts = dict(Participant.objects.filter(trained(), training__in=trainings).values_list("sex")
                  .annotate(n=Count("pk")).order_by())
    by_sex = {sex: Decimal(counts.get(sex, 0)) for sex in SEXES if sex != Sex.OTHER or counts.get(sex)}
    return Measurement(total=Decimal(sum(counts.values())), by_sex=by_sex)


@dataclass
class TrainingFigures:
    """A training's aggregates (no name): trained by sex and profession, gain, survey, follow-up."""

    registered: int = 0
    attended: int = 0
    by_sex: dict[str, int] = field(default_factory=dict)
    by_profession: dict[str, int] = field(default_factory=dict)
    gain: gain.Gain = field(default_factory=lambda: gain.Gain(pairs=0))
    survey_responses: int = 0
    survey_means: dict[str, float | None] = field(default_factory=dict)
    follow_ups: int = 0
    follow_up_answers: dict[str, int] = field(default_factory=dict)

    @property
    def practice_changed(self) -> int:
        return self.follow_up_answers.get(PracticeChange.YES, 0) + self.follow_up_answers.get(PracticeChange.PARTLY, 0)


def training_figures(training: Training) -> TrainingFigures:
    """Five queries, whatever the number of participants."""
    figures = TrainingFigures()
    rows = list(Participant.objects.filter(training=training).values_list("attended", "sex", "profession",
                                                                          "pre_score", "post_score"))
    figures.registered = len(rows)
    pairs = []
    for attended, sex, profession, pre, post in rows:
        if not attended:
            continue
        figures.attended += 1
        figures.by_sex[sex] = figures.by_sex.get(sex, 0) + 1
        figures.by_profession[profession] = figures.by_profession.get(profession, 0) + 1
        if pre is not None and post is not None:
            pairs.append((pre, post))
    figures.gain = gain.knowledge_gain(pairs)
    survey = SurveyResponse.objects.filter(training=training).aggregate(
        n=Count("pk"), overall=Avg("overall"), relevance=Avg("relevance"), trainers=Avg("trainers"),
        organisation=Avg("organisation"))
    figures.survey_responses = survey.pop("n")
    figures.survey_means = {name: (float(value) if value is not None else None) for name, value in survey.items()}
    answers = dict(FollowUp.objects.filter(participant__training=training).values_list("practice_changed")
                   .annotate(n=Count("pk")).order_by())
    figures.follow_up_answers = answers
    figures.follow_ups = sum(answers.values())
    return figures


def gains_of(trainings: list[Training]) -> dict[int, gain.Gain]:
    """The knowledge gain of each training (one query for all; none for no training)."""
    if not trainings:
        return {}
    pairs: dict[int, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for training_id, pre, post in Participant.objects.filter(
            training__in=[t.pk for t in trainings], attended=True, pre_score__isnull=False,
            post_score__isnull=False).values_list("training_id", "pre_score", "post_score"):
        pairs[training_id].append((pre, post))
    return {t.pk: gain.knowledge_gain(pairs.get(t.pk, [])) for t in trainings}


def trained_counts(year: int | None = None, trainings: Q | None = None) -> list[tuple[str, str, str, int]]:
    """(country, profession, sex, count) of the participants trained (in ``year``, by the training's last day)."""
    query = Participant.objects.filter(trained())
    if year is not None:
        query = query.filter(training__end_date__year=year)
    if trainings is not None:
        query = query.filter(training__in=Training.objects.filter(trainings).values("pk"))
    return list(query.values_list("training__country_id", "profession", "sex").annotate(n=Count("pk"))
                .order_by("training__country_id", "profession", "sex"))


def _gain_text(found: gain.Gain) -> tuple[str, str, str]:
    if found.withheld:
        return (_("withheld: fewer than %(n)d pairs") % {"n": gain.MIN_PAIRS}, "", "")
    assert found.mean is not None and found.low is not None and found.high is not None
    return (number(found.mean, 1), f"{number(found.low, 1)} – {number(found.high, 1)}",
            f"{number(found.mean_pre or 0, 1)} → {number(found.mean_post or 0, 1)}")


def stock_take(year: int) -> list[ExtraSection]:
    """The steering review's part for the trainings of ``year``: people trained by country and sex, by country,
    profession and sex, and the knowledge gain of each training held (``STOCK_TAKE_CONTRIBUTORS``): one query
    without a training held that year, three with."""
    held = list(Training.objects.filter(status=Status.HELD, end_date__year=year)
                .select_related("country").order_by("country__name_en", "end_date", "pk"))
    names = {t.country_id: t.country.name for t in held}
    professions = dict(Profession.choices)
    counts = trained_counts(year) if held else []
    sex_columns = [_("women"), _("men"), _("other"), _("total")]
    by_country: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_cell: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for country, profession, sex, n in counts:
        by_country[country][sex] += n
        by_cell[(country, profession)][sex] += n
    trainings_by_country: dict[str, int] = defaultdict(int)
    for training in held:
        trainings_by_country[training.country_id] += 1

    def sexes(values: dict[str, int]) -> list[str]:
        return [number(values.get(sex, 0)) for sex in SEXES] + [number(sum(values.values()))]

    total: dict[str, int] = defaultdict(int)
    for values in by_country.values():
        for sex, n in values.items():
            total[sex] += n
    country_rows = [[names.get(code, code), number(trainings_by_country.get(code, 0)), *sexes(values)]
                    for code, values in sorted(by_country.items(), key=lambda item: names.get(item[0], item[0]))]
    if country_rows:
        country_rows.append([_("all countries"), number(len(held)), *sexes(total)])
    cell_rows = [[names.get(code, code), str(professions.get(profession, profession)), *sexes(values)]
                 for (code, profession), values in sorted(
                     by_cell.items(), key=lambda item: (names.get(item[0][0], item[0][0]), item[0][1]))]
    gains = gains_of(held)
    gain_rows = [[names.get(t.country_id, t.country_id), t.title, number(gains[t.pk].pairs), *_gain_text(gains[t.pk])]
                 for t in held]
    return [
        ExtraSection(_("Professionals trained in %(year)s, by country and sex") % {"year": year},
                     [_("country"), _("trainings held"), *sex_columns], country_rows),
        ExtraSection(_("Professionals trained in %(year)s, by country, profession and sex") % {"year": year},
                     [_("country"), _("profession"), *sex_columns], cell_rows),
        ExtraSection(_("Knowledge gain of the trainings held in %(year)s (post-test minus pre-test, 95 %% "
                       "interval)") % {"year": year},
                     [_("country"), _("training"), _("pairs of scores"), _("mean gain"),
                      _("interval (%(level)s)") % {"level": percent(0.95)}, _("mean before → after")], gain_rows),
    ]
