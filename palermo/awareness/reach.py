"""What a campaign's reach periods add up to: the ``awareness.people_reached`` feed of the funding action's
indicators, the reach of the year in the steering committee's stock-take, and the high-risk profiles no campaign
reaches in its proposal for the next year."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Sum
from django.utils.translation import gettext as _

from palermo.awareness import planning
from palermo.awareness.choices import Channel, Sex
from palermo.awareness.labels import ProfileWords
from palermo.awareness.measures import Gain, HotlineWindow, survey_gain
from palermo.awareness.models import Campaign, ReachCount, ReachPeriod
from palermo.i18n import day, number, percent
from palermo.programme.feeds import Measurement
from palermo.steering.figures import ExtraSection

FEED_KEY = "awareness.people_reached"


def people_reached(action_id: int, start: date, end: date) -> Measurement | None:
    """The people reached by the action's campaigns in the reach periods ending between ``start`` and ``end``
    (each period counts once, in the indicator period holding its end); None without such a period."""
    periods = ReachPeriod.objects.filter(campaign__action_id=action_id, end__gte=start, end__lte=end)
    if not periods.exists():
        return None
    counts = ReachCount.objects.filter(period__in=periods)
    by_sex = {sex: Decimal(total) for sex, total in
              counts.values_list("sex").annotate(total=Sum("people")).order_by("sex")}
    by_age = {band: Decimal(total) for band, total in
              counts.values_list("age_band").annotate(total=Sum("people")).order_by("age_band")}
    return Measurement(total=sum(by_sex.values(), Decimal(0)), by_sex=by_sex, by_age=by_age)


@dataclass
class PeriodFigures:
    period: ReachPeriod
    reached: int
    by_channel: dict[str, int]
    by_sex: dict[str, int]
    by_age: dict[str, int]
    hotline: HotlineWindow
    gain: Gain | None

    @property
    def channel_rows(self) -> list[tuple[str, int]]:
        names = dict(Channel.choices)
        return [(str(names.get(key, key)), value) for key, value in self.by_channel.items()]

    @property
    def sex_rows(self) -> list[tuple[str, int]]:
        names = dict(Sex.choices)
        return [(str(names.get(key, key)), value) for key, value in self.by_sex.items()]

    @property
    def gain_text(self) -> str:
        return gain_text(self.gain)

    @property
    def share_of_target(self) -> float | None:
        target = self.period.target
        return self.reached / target if target else None


def figures_of(period: ReachPeriod) -> PeriodFigures:
    """A period's figures from its prefetched counts."""
    by_channel: dict[str, int] = defaultdict(int)
    by_sex: dict[str, int] = defaultdict(int)
    by_age: dict[str, int] = defaultdict(int)
    for count in period.counts.all():
        by_channel[count.channel] += count.people
        by_sex[count.sex] += count.people
        by_age[count.age_band] += count.people
    return PeriodFigures(
        period, sum(by_sex.values()), dict(by_channel), dict(by_sex), dict(by_age),
        HotlineWindow(period.hotline_before, period.hotline_during, period.hotline_after),
        survey_gain(period.survey_before_answers, period.survey_before_right, period.survey_after_answers,
                    period.survey_after_right))


def _cell(value: int | None) -> str:
    return "" if value is None else number(value)


def _points(fraction: float) -> str:
    """A difference of shares in percentage points, signed, one decimal, in the reader's language."""
    return ("+" if fraction >= 0 else "−") + number(abs(fraction) * 100, 1)


def gain_text(gain: Gain | None) -> str:
    if gain is None:
        return ""
    if not gain.enough:
        return _("%(points)s points (too few answers for an interval)") % {"points": _points(gain.gain)}
    return _("%(points)s points (95 %% interval %(low)s to %(high)s)") % {
        "points": _points(gain.gain), "low": _points(gain.low or 0.0), "high": _points(gain.high or 0.0)}


def stock_take(year: int) -> list[ExtraSection]:
    """Awareness campaigns: the reach periods ending in ``year``, one row each."""
    periods = list(ReachPeriod.objects.filter(end__year=year).select_related("campaign__action").prefetch_related(
        "counts", Prefetch("campaign__countries")).order_by("campaign__title", "start", "pk"))
    rows = []
    for period in periods:
        figures = figures_of(period)
        share = figures.share_of_target
        rows.append([
            period.campaign.title, ", ".join(c.code for c in period.campaign.countries.all()),
            period.campaign.action.iati_identifier, f"{day(period.start)} – {day(period.end)}",
            _cell(period.target), number(figures.reached), "" if share is None else percent(share),
            " / ".join(_cell(v) for v in (period.hotline_before, period.hotline_during, period.hotline_after)),
            gain_text(figures.gain), _cell(period.referrals)])
    if not rows:
        return []
    total = sum(figures_of(p).reached for p in periods)
    rows.append([_("total"), "", "", "", _cell(sum(p.target or 0 for p in periods)), number(total), "", "", "",
                 _cell(sum(p.referrals or 0 for p in periods))])
    return [ExtraSection(
        _("Awareness campaigns: people reached, periods ending in %(year)s") % {"year": year},
        [_("campaign"), _("countries"), _("funding action"), _("period"), _("target"), _("people reached"),
         _("reached / target"), _("hotline contacts before / during / after"), _("knowledge gain"),
         _("referrals mentioning the campaign")],
        rows)]


def proposal(year: int) -> list[ExtraSection]:
    """High-risk profiles of every programme country that no campaign reaches (ranking of ``year``; campaigns
    running in the recent window or planned until the end of ``year + 1``)."""
    found = planning.picture(None, year=year, cover_until=date(year + 1, 12, 31), official=False)
    words = ProfileWords() if found.gaps else None
    rows = [] if words is None else [
        [words.country(line.profile.country), words.profile(line.profile), str(line.rank), number(line.recent),
         number(line.previous), trend_word(line.trend)] for line in found.gaps]
    return [ExtraSection(
        _("High-risk profiles no awareness campaign reaches (victims identified %(first)s–%(last)s)") % {
            "first": found.recent_years[0], "last": found.recent_years[-1]},
        [_("country"), _("profile"), _("rank in the country"), _("recent victims"), _("victims before"),
         _("trend")], rows)]


def trend_word(trend: str) -> str:
    return {"rising": _("rising"), "falling": _("falling")}.get(trend, _("unclear"))


def campaigns_reaching(year: int) -> int:
    return Campaign.objects.filter(start__year__lte=year, end__year__gte=year).count()
