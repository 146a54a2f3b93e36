"""Demo networks (synthetic, deterministic, idempotent: a network already there is skipped).

- "Demo ring Bucharest–Belgrade" (Romania, shared with Serbia): a recruitment ring in Romania feeding exploitation
  in Serbia, from three sources (Romanian police, a Serbian NGO, a bank's transfers): recruiters, a driver and his
  vehicle, exploiters in Serbia, a money handler with accounts, calls over two years, trips, payments; the same
  recruiter appears under two sources with two ids, joined by his phone. Its persons are linked to demo cases
  (victims in Romania), and its diagnosis is drafted, shared with Romania's coordinator, commented and co-signed.
- "Demo transfers Chișinău" (Moldova): a money trail from call-detail records and transfers (spreadsheets).
"""

from __future__ import annotations

import json
import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

from palermo.accounts.access import SYSTEM
from palermo.cases.models import Case
from palermo.networks import reading, services
from palermo.networks.importing import import_network_file
from palermo.networks.models import Entity, Network

RING = "Demo ring Bucharest–Belgrade"
TRANSFERS = "Demo transfers Chișinău"


def _person(pid: str, name: str, nationality: str, phone: str = "", **more: str) -> dict[str, object]:
    properties: dict[str, list[str]] = {"name": [name], "nationality": [nationality]}
    if phone:
        properties["phone"] = [phone]
    for key, value in more.items():
        properties[key] = [value]
    return {"id": pid, "schema": "Person", "properties": properties}


def _write(folder: Path, name: str, lines: list[dict[str, object]]) -> Path:
    path = folder / name
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    return path


def _ring_sources(rng: random.Random) -> tuple[list[dict[str, object]], list[dict[str, object]],
                                               list[dict[str, object]]]:
    police: list[dict[str, object]] = [
        _person("ro-p1", "Ion Marinescu", "ro", "0721 555 101", position="recruiter"),
        _person("ro-p2", "Elena Dobre", "ro", "0722 555 102"),
        _person("ro-p3", "Vasile Ungureanu", "ro", "0723 555 103", profession="driver"),
        _person("ro-v1", "Maria P.", "ro"), _person("ro-v2", "Ana S.", "ro"), _person("ro-v3", "Ioana T.", "ro"),
        {"id": "ro-car", "schema": "Vehicle", "properties": {"registrationNumber": ["B 77 XYZ"], "owner": ["ro-p3"],
                                                             "model": ["Ford Transit"]}},
        {"id": "ro-addr", "schema": "Address", "properties": {"full": ["Str. Lipscani 12, București"],
                                                              "country": ["ro"]}},
        {"id": "rs-addr", "schema": "Address", "properties": {"full": ["Beograd"], "country": ["rs"]}},
    ]
    for n, victim in enumerate(("ro-v1", "ro-v2", "ro-v3")):
        police.append({"id": f"ro-as{n}", "schema": "Associate", "properties": {
            "person": ["ro-p1" if n < 2 else "ro-p2"], "associate": [victim], "relationship": ["recruited"]}})
        police.append({"id": f"ro-trip{n}", "schema": "Trip", "properties": {
            "involved": [victim, "ro-p3"], "vehicle": ["ro-car"], "startLocation": ["ro-addr"],
            "endLocation": ["rs-addr"], "date": [f"2024-0{3 + n}-1{n}"]}})
    ngo: list[dict[str, object]] = [
        _person("rs-p1", "Jon Marinescu", "ro", "+40 721 555 101", alias="Nelu"),  # ro-p1 under another source
        _person("rs-p2", "Dragan Petrović", "rs", "063 555 201", position="club owner"),
        _person("rs-p3", "Milica Jovanović", "rs", "064 555 202"),
        {"id": "rs-club", "schema": "Company", "properties": {"name": ["Noćni klub Zvezda"], "country": ["rs"]}},
        {"id": "rs-own", "schema": "Ownership", "properties": {"owner": ["rs-p2"], "asset": ["rs-club"]}},
        {"id": "rs-emp", "schema": "Employment", "properties": {"employee": ["rs-p3"], "employer": ["rs-club"],
                                                                "role": ["manager, exploitation"]}},
        {"id": "rs-as1", "schema": "Associate", "properties": {"person": ["rs-p1"], "associate": ["rs-p2"]}},
    ]
    start = date(2024, 1, 8)
    callers = [("ro-p1", "rs-p2"), ("ro-p1", "ro-p3"), ("ro-p2", "ro-p1"), ("rs-p2", "rs-p3"), ("ro-p3", "rs-p3")]
    for n in range(60):
        caller, receiver = callers[rng.randrange(len(callers))]
        day = start + timedelta(days=rng.randrange(700))
        ngo.append({"id": f"call-{n}", "schema": "Call", "properties": {
            "caller": [caller], "receiver": [receiver], "date": [day.isoformat()],
            "duration": [str(30 + rng.randrange(600))]}})
    bank: list[dict[str, object]] = [
        _person("bk-p1", "Cristian Munteanu", "md", "+373 69 555 301"),
        {"id": "bk-a1", "schema": "BankAccount", "properties": {"iban": ["RS35260005601001611379"],
                                                                "bankName": ["Banca Demo"]}},
        {"id": "bk-a2", "schema": "BankAccount", "properties": {"iban": ["MD24AG000225100013104168"]}},
        {"id": "bk-o1", "schema": "Ownership", "properties": {"owner": ["bk-p1"], "asset": ["bk-a2"]}},
        {"id": "bk-o2", "schema": "Ownership", "properties": {"owner": ["rs-p2"], "asset": ["bk-a1"]}},
    ]
    for n in range(18):
        day = date(2024, 2, 1) + timedelta(days=35 * n)
        bank.append({"id": f"pay-{n}", "schema": "Payment", "properties": {
            "payer": ["rs-p2" if n % 3 else "rs-p3"], "beneficiary": ["bk-p1" if n % 2 else "ro-p1"],
            "amount": [str(800 + 150 * rng.randrange(10))], "currency": ["EUR"], "date": [day.isoformat()],
            "purpose": ["services"]}})
    return police, ngo, bank


def load(log: list[str]) -> None:
    actor = SYSTEM.running("demo")
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        if not Network.objects.filter(name=RING).exists():
            police, ngo, bank = _ring_sources(rng)
            for name, lines, country, agency in (("Demo police file RO 2024", police, "RO", "Police (RO)"),
                                                 ("Demo NGO interviews RS", ngo, "RS", "NGO (RS)"),
                                                 ("Demo bank transfers RS", bank, "RS", "Bank (RS)")):
                report = import_network_file(acting_user=actor, path=_write(folder, "source.json", lines),
                                             fmt="ftm", source=name, country=country, network_name=RING,
                                             agency=agency)
                if not report.ok:
                    raise RuntimeError(report.as_dict())
            network = Network.objects.get(name=RING)
            services.share_network(acting_user=actor, network=network, countries=["RS"])
            victims = Entity.objects.filter(network=network, ftm_id__in=["ro-v1", "ro-v2", "ro-v3"]).order_by("ftm_id")
            cases = Case.objects.filter(owner_country_id="RO").order_by("pk")[:3]
            for victim, case in zip(victims, cases, strict=False):
                services.link_case(acting_user=actor, entity=victim, case=case, role="victim")
            recruiter = Entity.objects.get(network=network, ftm_id="ro-p1")
            services.annotate_role(acting_user=actor, entity=recruiter, role="recruiter",
                                   note="DÉMO : désigné par deux victimes")
            diagnosis = services.draft_diagnosis(
                acting_user=actor, network=network, year=2025, source_country="RO",
                summary="DÉMO : un réseau qui recrute de jeunes femmes en Roumanie pour les exploiter dans un "
                        "club de Belgrade, avec un chauffeur, un patron de club et un gestionnaire de l'argent en "
                        "Moldavie.")
            services.share_diagnosis(acting_user=actor, diagnosis=diagnosis)
            services.comment_diagnosis(acting_user=actor, diagnosis=diagnosis,
                                       comment="DÉMO : les virements de 2025 confirment le gestionnaire de l'argent.")
            services.cosign_diagnosis(acting_user=actor, diagnosis=diagnosis)
            log.append(f"networks: {RING}")
        if not Network.objects.filter(name=TRANSFERS).exists():
            cdr = folder / "cdr.csv"
            rows = ["caller,receiver,date,duration"]
            numbers = [f"+373 69 555 {300 + n}" for n in range(12)]
            for _n in range(150):
                a, b = rng.sample(numbers, 2)
                rows.append(f"{a},{b},{(date(2024, 6, 1) + timedelta(days=rng.randrange(400))).isoformat()},"
                            f"{20 + rng.randrange(400)}")
            cdr.write_text("\n".join(rows) + "\n", encoding="utf-8")
            transfers = folder / "transfers.csv"
            accounts = [f"MD24AG0002251000131041{60 + n}" for n in range(10)]
            rows = ["payer,beneficiary,amount,currency,date"]
            for _n in range(80):
                a, b = rng.sample(accounts, 2)
                rows.append(f"{a},{b},{100 + rng.randrange(3000)},EUR,"
                            f"{(date(2024, 6, 1) + timedelta(days=rng.randrange(400))).isoformat()}")
            transfers.write_text("\n".join(rows) + "\n", encoding="utf-8")
            for name, path, kind in (("Demo call-detail records MD", cdr, "calls"),
                                     ("Demo transfers MD", transfers, "payments")):
                report = import_network_file(acting_user=actor, path=path, fmt="csv", source=name, country="MD",
                                             network_name=TRANSFERS, mapping=reading.Mapping(kind=kind))
                if not report.ok:
                    raise RuntimeError(report.as_dict())
            log.append(f"networks: {TRANSFERS}")
