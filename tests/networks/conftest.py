from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from palermo.accounts.access import SYSTEM
from palermo.accounts.roles import Role
from palermo.networks.importing import import_network_file
from palermo.networks.models import Network

FTM_LINES = [
    {"id": "p-ion", "schema": "Person", "properties": {"name": ["Ion Recrutor"], "phone": ["0721 123 456"],
                                                         "nationality": ["ro"]}},
    {"id": "p-marko", "schema": "Person", "properties": {"name": ["Marko Vozač"], "phone": ["+40 721 123 456"],
                                                           "nationality": ["rs"]}},
    {"id": "p-ana", "schema": "Person", "properties": {"name": ["Ana Banca"], "nationality": ["ro"]}},
    {"id": "acc-1", "schema": "BankAccount", "properties": {"iban": ["RO49AAAA1B31007593840000"]}},
    {"id": "own-1", "schema": "Ownership", "properties": {"owner": ["p-ana"], "asset": ["acc-1"]}},
    {"id": "call-1", "schema": "Call", "properties": {"caller": ["p-ion"], "receiver": ["p-marko"],
                                                        "date": ["2024-03-01"], "duration": ["60"]}},
    {"id": "pay-1", "schema": "Payment", "properties": {"payer": ["p-marko"], "beneficiary": ["p-ana"],
                                                          "amount": ["500"], "currency": ["EUR"],
                                                          "date": ["2024-04-02"]}},
    {"id": "assoc-1", "schema": "Associate", "properties": {"person": ["p-ion"], "associate": ["p-ana"],
                                                              "relationship": ["recruiter"]}},
    {"id": "veh-1", "schema": "Vehicle", "properties": {"registrationNumber": ["B 12 ABC"], "owner": ["p-marko"]}},
]


def write_lines(path: Path, lines: list[Any]) -> Path:
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def ftm_file(tmp_path: Path) -> Path:
    return write_lines(tmp_path / "ring.ftm.json", FTM_LINES)


@pytest.fixture
def people(user_factory: Callable[..., Any]) -> dict[str, Any]:
    """Allowed (Romania's analyst: Romania owns the network), the same role in Serbia, an outsider (a case worker
    in Romania), Serbia's national coordinator and the programme manager."""
    return {"allowed": user_factory("analyst-ro", Role.ANALYST, ("RO",)),
            "other_country": user_factory("analyst-md", Role.ANALYST, ("MD",)),
            "outsider": user_factory("cw-ro", Role.CASE_WORKER, ("RO",)),
            "coordinator_rs": user_factory("nc-rs", Role.NATIONAL_COORDINATOR, ("RS",)),
            "coordinator_ro": user_factory("nc-ro", Role.NATIONAL_COORDINATOR, ("RO",)),
            "manager": user_factory("pm", Role.PROGRAMME_MANAGER)}


@pytest.fixture
def network(ftm_file: Path, db: Any) -> Network:
    report = import_network_file(acting_user=SYSTEM.running("test"), path=ftm_file, fmt="ftm", source="police-ro",
                                 country="RO", network_name="ring")
    assert report.ok, report.as_dict()
    return Network.objects.get(name="ring")
