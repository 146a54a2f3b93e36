from __future__ import annotations

from typing import Any

import pytest

from tests.steering.builders import Portfolio, build_portfolio


@pytest.fixture
def portfolio(db: Any) -> Portfolio:
    return build_portfolio()
