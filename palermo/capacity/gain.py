"""The knowledge gain of a training, from its participants' pre- and post-test scores: plain Python, no Django.

The gain is the mean of the paired differences ``post - pre`` over the participants with both scores, with its
95 % confidence interval from Student's t distribution with ``n - 1`` degrees of freedom::

    d_i = post_i - pre_i,   mean = sum(d_i) / n,   s = sqrt(sum((d_i - mean)^2) / (n - 1))
    interval = mean -/+ t(0.975; n - 1) * s / sqrt(n)

SciPy is not a dependency of the project, so the quantile ``t(0.975; n - 1)`` is computed here: Student's
distribution function is ``1 - I_x(df/2, 1/2) / 2`` with ``x = df / (df + t^2)`` (``I`` the regularised incomplete
beta function, evaluated by its continued fraction, Numerical Recipes §6.4), inverted by bisection to 1e-12. It
agrees with SciPy's ``t.ppf`` to 1e-9 (tested on tabulated values). Below ``MIN_PAIRS`` pairs, nothing is shown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

MIN_PAIRS = 5
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Gain:
    """The gain of one training. ``withheld`` when fewer than ``MIN_PAIRS`` pairs exist (then no figure)."""

    pairs: int
    mean: float | None = None
    low: float | None = None
    high: float | None = None
    sd: float | None = None
    mean_pre: float | None = None
    mean_post: float | None = None

    @property
    def withheld(self) -> bool:
        return self.mean is None


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny, eps = 1e-300, 1e-15
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < eps:
            break
    return h


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: int) -> float:
    """Student's t distribution function with ``df`` degrees of freedom."""
    tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p: float, df: int) -> float:
    """The ``p`` quantile (0.5 < p < 1) of Student's t with ``df`` degrees of freedom, by bisection."""
    if not 0.5 < p < 1.0 or df < 1:
        raise ValueError("p must lie in (0.5, 1) and df be at least 1")
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2.0
    while high - low > 1e-12 * max(1.0, high):
        middle = (low + high) / 2.0
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2.0


def knowledge_gain(pairs: Iterable[tuple[Decimal | float, Decimal | float]], min_pairs: int = MIN_PAIRS) -> Gain:
    """The mean paired difference (post - pre) and its 95 % t-interval; withheld below ``min_pairs`` pairs."""
    clean = [(float(pre), float(post)) for pre, post in pairs]
    n = len(clean)
    if n < max(min_pairs, 2):
        return Gain(pairs=n)
    differences = [post - pre for pre, post in clean]
    mean = sum(differences) / n
    sd = math.sqrt(sum((d - mean) ** 2 for d in differences) / (n - 1))
    half = t_quantile(0.5 + CONFIDENCE / 2.0, n - 1) * sd / math.sqrt(n)
    return Gain(pairs=n, mean=mean, low=mean - half, high=mean + half, sd=sd,
                mean_pre=sum(pre for pre, _ in clean) / n, mean_post=sum(post for _, post in clean) / n)


def mean_rating(values: Iterable[int]) -> float | None:
    """The mean of 1-5 ratings, or None when there is none."""
    found = list(values)
    return sum(found) / len(found) if found else None
