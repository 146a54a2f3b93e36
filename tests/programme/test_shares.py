from decimal import Decimal as D

from palermo.programme.shares import share_problems


def test_shares_summing_to_100_are_valid() -> None:
    assert share_problems([("RO", D("60")), ("MD", D("40"))]) == []
    assert share_problems([("A", D("33.33")), ("B", D("33.33")), ("C", D("33.34"))]) == []


def test_each_wrong_share_is_named() -> None:
    assert share_problems([]) == ["at least one share is needed"]
    assert share_problems([("RO", D("60")), ("MD", D("30"))]) == ["the shares sum to 90, not 100"]
    assert share_problems([("RO", D("100")), ("RO", D("0"))]) == [
        "RO is given twice", "RO: a share lies above 0 and at most 100 (got 0)"]
    assert share_problems([("RO", "abc")]) == ["RO: 'abc' is not a number"]
