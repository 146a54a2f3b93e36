from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.people import case_work_people


@pytest.fixture
def people(user_factory: Callable[..., Any]) -> dict[str, Any]:
    return case_work_people(user_factory)
