"""The knowledge gain (pure): mean paired difference with its 95 % t-interval, withheld below the minimum pairs."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from palermo.capacity.gain import MIN_PAIRS, knowledge_gain, t_cdf, t_quantile

# Student's t 0.975 quantiles as tabulated (SciPy's t.ppf(0.975, df) to 9 decimals).
TABLE = {1: 12.706204736, 2: 4.302652730, 4: 2.776445105, 5: 2.570581836, 9: 2.262157163, 29: 2.045229642,
         120: 1.979930405}


@pytest.mark.parametrize("df", sorted(TABLE))
def test_the_t_quantile_matches_the_tables(df: int) -> None:
    assert t_quantile(0.975, df) == pytest.approx(TABLE[df], abs=1e-8)
    assert t_cdf(TABLE[df], df) == pytest.approx(0.975, abs=1e-10)


def test_the_gain_of_five_pairs_equals_the_hand_computation() -> None:
    # differences 10, 15, 2, 15, 1: mean 43 / 5 = 8.6; squares of deviations 1.96 + 40.96 + 43.56 + 40.96 + 57.76
    # = 185.2; s = sqrt(185.2 / 4) = sqrt(46.3); half-width = 2.776445105 * sqrt(46.3) / sqrt(5)
    pairs = [(Decimal(50), Decimal(60)), (Decimal(40), Decimal(55)), (Decimal(70), Decimal(72)),
             (Decimal(30), Decimal(45)), (Decimal(60), Decimal(61))]
    gain = knowledge_gain(pairs)
    half = 2.776445105 * math.sqrt(46.3) / math.sqrt(5)
    assert (gain.pairs, gain.withheld) == (5, False)
    assert gain.mean == pytest.approx(8.6, abs=1e-12)
    assert gain.sd == pytest.approx(math.sqrt(46.3), abs=1e-12)
    assert (gain.low, gain.high) == (pytest.approx(8.6 - half, abs=1e-8), pytest.approx(8.6 + half, abs=1e-8))
    assert (round(gain.low, 4), round(gain.high, 4)) == (0.1512, 17.0488)
    assert (gain.mean_pre, gain.mean_post) == (50.0, 58.6)


def test_below_the_minimum_number_of_pairs_nothing_is_shown() -> None:
    pairs = [(Decimal(50), Decimal(60))] * (MIN_PAIRS - 1)
    gain = knowledge_gain(pairs)
    assert (gain.pairs, gain.withheld, gain.mean, gain.low, gain.high) == (MIN_PAIRS - 1, True, None, None, None)
    assert knowledge_gain([]).withheld


def test_identical_differences_give_a_zero_width_interval() -> None:
    gain = knowledge_gain([(Decimal(10), Decimal(13))] * 6)
    assert (gain.mean, gain.low, gain.high) == (3.0, 3.0, 3.0)
