"""Reach and effect of a campaign period: plain Python, no Django.

- people reached add up by channel, sex and age band;
- hotline contacts before, during and after a period are a comparison window, not a causal claim;
- a knowledge survey's gain is the share of right answers after minus before, with a 95 % interval (Newcombe's
  hybrid score interval for two independent proportions) when each survey has at least ``MIN_ANSWERS`` answers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from palermo.awareness.risk import wilson

AGE_BANDS = ("0-17", "18-24", "25-39", "40+")
SEXES = ("female", "male", "other")
MIN_ANSWERS = 30


@dataclass(frozen=True)
class Gain:
    before: float
    after: float
    low: float | None
    high: float | None

    @property
    def gain(self) -> float:
        return self.after - self.before

    @property
    def enough(self) -> bool:
        return self.low is not None


def survey_gain(before_answers: int | None, before_right: int | None, after_answers: int | None,
                after_right: int | None, minimum: int = MIN_ANSWERS) -> Gain | None:
    """None without both surveys; an interval only when each has ``minimum`` answers."""
    if not before_answers or not after_answers or before_right is None or after_right is None:
        return None
    if not (0 <= before_right <= before_answers and 0 <= after_right <= after_answers):
        raise ValueError("right answers between 0 and the number of answers")
    p1, p2 = before_right / before_answers, after_right / after_answers
    if before_answers < minimum or after_answers < minimum:
        return Gain(p1, p2, None, None)
    l1, u1 = wilson(before_right, before_answers)
    l2, u2 = wilson(after_right, after_answers)
    low = (p2 - p1) - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = (p2 - p1) + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return Gain(p1, p2, max(-1.0, low), min(1.0, high))


@dataclass(frozen=True)
class HotlineWindow:
    before: int | None
    during: int | None
    after: int | None

    @property
    def change(self) -> int | None:
        """Contacts during minus before (a comparison, not an effect)."""
        if self.before is None or self.during is None:
            return None
        return self.during - self.before
