"""Demo: person records of several agencies with the errors they make (``synthetic.generate``), a few tied to
cases, the networks' persons, the candidate pairs the shipped model scores, and a unique-victim count made from
the organisations' encodings. Deterministic and idempotent."""

from __future__ import annotations

import polars as pl

from palermo.accounts.access import SYSTEM
from palermo.cases.models import Case
from palermo.linkage.adapters import sync_network_persons
from palermo.linkage.encoding import count_unique, encode_frame
from palermo.linkage.models import Candidate, LinkRecord, UniqueCount
from palermo.linkage.records import prepare
from palermo.linkage.services import find_candidates, save_unique_count
from palermo.linkage.synthetic import generate

SIZE = 240
DEMO_KEY = b"palermo-demo-key-not-for-production"


def _country(source: str) -> str:
    return {"gr": "GR", "md": "MD", "rs": "RS", "ro": "RO"}.get(source.rsplit("-", 1)[-1], "AL")


def load(log: list[str]) -> None:
    actor = SYSTEM.running("demo")
    raw = generate(SIZE, seed=5)
    if not LinkRecord.objects.filter(source_name__startswith="demo-").exists():
        cases = {code: list(Case.objects.filter(owner_country_id=code).order_by("pk").values_list("pk", flat=True)[:5])
                 for code in ("AL", "RS", "RO", "MD", "GR")}
        rows = []
        for index, row in enumerate(raw.iter_rows(named=True)):
            country = _country(row["source_dataset"])
            tied = cases.get(country) or []
            rows.append(LinkRecord(
                source_name=f"demo-{row['source_dataset']}", reference=row["unique_id"], country_id=country,
                names=[f"{row['first_name']} {row['surname']}"], dob=row["dob"] or "",
                documents=[[row["documents"][:2], row["documents"]]] if row["documents"] else [],
                case_id=tied[index % len(tied)] if tied and index % 9 == 0 else None))
        LinkRecord.objects.bulk_create(rows)
    sync_network_persons(acting_user=actor)
    if not Candidate.objects.exists():
        find_candidates(acting_user=actor)
    if not UniqueCount.objects.exists():
        frames = []
        for source, group in raw.group_by("source_dataset", maintain_order=True):
            frames.append(pl.DataFrame(encode_frame(prepare(group), key=DEMO_KEY, organisation=str(source[0]),
                                                    country=_country(str(source[0])))))
        save_unique_count(acting_user=actor, result=count_unique(frames))
    log.append(f"linkage: {LinkRecord.objects.count()} records, {Candidate.objects.count()} candidate pairs, "
               f"{UniqueCount.objects.count()} unique-victim count")
