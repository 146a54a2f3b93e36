from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.steering.builders import Portfolio, build_portfolio

GENERATED = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)  # the one time an export writes: fixed, so bytes compare


@pytest.fixture
def portfolio(db: object) -> Portfolio:
    """The steering tests' portfolio: a programme with bilateral, multilateral, pipeline and cancelled actions,
    and another donor's action."""
    return build_portfolio()
