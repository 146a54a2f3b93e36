from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.linkage.models import Candidate, LinkRecord


@pytest.fixture
def people(user_factory: Callable[..., Any]) -> dict[str, Any]:
    """Allowed (an analyst of Albania), the same role in Serbia, an outsider (Albania's case worker)."""
    return {"allowed": user_factory("analyst-al", Role.ANALYST, ("AL",)),
            "other_country": user_factory("analyst-rs", Role.ANALYST, ("RS",)),
            "outsider": user_factory("cw-al", Role.CASE_WORKER, ("AL",))}


@pytest.fixture
def records(db: Any) -> dict[str, LinkRecord]:
    """Three records of one man in three Albanian files: the police's, an NGO's (no passport), a third with
    another date of birth and another Albanian passport."""
    def make(ref: str, source: str, name: str, dob: str, documents: list[list[str]]) -> LinkRecord:
        return LinkRecord.objects.create(source_name=source, reference=ref, country_id="AL", names=[name], dob=dob,
                                         documents=documents)

    return {"police": make("P-1", "police-al", "Ardit Hoxha", "1988-03-14", [["AL", "AL1234567"]]),
            "ngo": make("N-7", "ngo-al", "HODJA Ardit", "1988-03-14", []),
            "other": make("X-3", "io-regional", "A. Hoxha", "1988-04-14", [["AL", "AL9999999"]])}


def _pair(left: LinkRecord, right: LinkRecord, probability: float, stake: int = 0) -> Candidate:
    return Candidate.objects.create(left=left, right=right, match_probability=probability, match_weight=3.0,
                                    uncertainty=abs(probability - 0.5), stake=stake)


@pytest.fixture
def pairs(records: dict[str, LinkRecord]) -> dict[str, Candidate]:
    return {"police_ngo": _pair(records["police"], records["ngo"], 0.97),
            "ngo_other": _pair(records["ngo"], records["other"], 0.62),
            "police_other": _pair(records["police"], records["other"], 0.55, stake=1)}


@pytest.fixture
def system() -> Any:
    return SYSTEM.running("tests")
