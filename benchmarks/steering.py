"""Steering committee at scale: build a portfolio of N actions (countries, objectives, budgets, transactions,
indicators) in a scratch database, then time the complementarity matrix and the rendering of the review of
one year against a raw SQL aggregate of the same figures, measured in the same run.

    .venv/bin/python benchmarks/steering.py --actions 10000        # SQLite in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_steering .venv/bin/python benchmarks/steering.py

Progress goes to stderr; the last line of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
COUNTRIES = ["AL", "BA", "BG", "HR", "GR", "XK", "MD", "ME", "MK", "RO", "RS"]
YEAR = 2024


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def setup(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "palermo.settings")
    os.environ.setdefault("PALERMO_VAR_DIR", str(workdir / "var"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(actions: int, seed: int = 11) -> None:
    from palermo.partners.models import Organisation
    from palermo.programme import models as m
    from palermo.reference.models import Objective

    rng = random.Random(seed)
    m.Action.objects.all().delete()
    donor, _ = Organisation.objects.get_or_create(
        name="Bench ministry", country_id="FR", defaults={"kind": "donor", "iati_identifier": "XM-DAC-4-BENCH"}
    )
    programme, _ = m.Programme.objects.get_or_create(
        iati_identifier="XM-DAC-4-BENCH-THB", defaults={"title_en": "Bench", "reporting_organisation": donor}
    )
    objectives = {o.number: o.pk for o in Objective.objects.all()}
    words = (
        "training",
        "shelter",
        "campaign",
        "prosecutors",
        "minors",
        "labour",
        "inspectors",
        "helpline",
        "research",
        "referral",
        "police",
        "judges",
        "outreach",
        "Roma",
        "migrants",
        "schools",
        "data",
    )
    batch: list[Any] = []
    for number in range(actions):
        start = date(2014 + number % 12, 1 + number % 12, 1)
        batch.append(
            m.Action(
                programme=programme,
                iati_identifier=f"XM-DAC-4-BENCH-THB-{number:05d}",
                title_en=" ".join(rng.sample(words, 4)),
                description_en=" ".join(rng.sample(words, 8)),
                channel=rng.choice(["bilateral", "regional", "multilateral"]),
                status=rng.choice([1, 2, 2, 3, 4, 4, 5]),
                planned_start=start,
                planned_end=start + timedelta(days=rng.randint(300, 1200)),
            )
        )
    m.Action.objects.bulk_create(batch, batch_size=2000)
    rows = list(m.Action.objects.filter(programme=programme).values_list("pk", "planned_start"))
    shares, goals, groups, budgets, transactions, results = [], [], [], [], [], []
    for pk, start in rows:
        chosen = rng.sample(COUNTRIES, rng.choice([1, 1, 2, 3]))
        split = [Decimal(100 // len(chosen))] * len(chosen)
        split[0] += Decimal(100) - sum(split)
        shares += [
            m.ActionCountry(action_id=pk, country_id=c, percentage=s) for c, s in zip(chosen, split, strict=True)
        ]
        numbers = rng.sample([1, 2, 3, 4], rng.choice([1, 2]))
        weights = [Decimal(100)] if len(numbers) == 1 else [Decimal(60), Decimal(40)]
        goals += [
            m.ActionObjective(action_id=pk, objective_id=objectives[n], percentage=w)
            for n, w in zip(numbers, weights, strict=True)
        ]
        groups.append(
            m.ActionTargetGroup(action_id=pk, group=rng.choice(["minors", "professionals", "migrants_asylum_seekers"]))
        )
        for offset in (0, 1):
            year = start.year + offset
            budgets.append(
                m.Budget(
                    action_id=pk,
                    period_start=date(year, 1, 1),
                    period_end=date(year, 12, 31),
                    value=Decimal(rng.randint(10, 500) * 1000),
                )
            )
            for kind in (2, 3, 4):
                transactions.append(
                    m.Transaction(
                        action_id=pk,
                        transaction_type=kind,
                        date=date(year, 6, 1),
                        value=Decimal(rng.randint(5, 400) * 1000),
                    )
                )
        results.append(m.Result(action_id=pk, result_type=1, title_en="Output"))
    for model, objects in (
        (m.ActionCountry, shares),
        (m.ActionObjective, goals),
        (m.ActionTargetGroup, groups),
        (m.Budget, budgets),
        (m.Transaction, transactions),
        (m.Result, results),
    ):
        model.objects.bulk_create(objects, batch_size=5000)
    indicators = [
        m.Indicator(result_id=pk, title_en="People trained")
        for pk in m.Result.objects.filter(action__programme=programme).values_list("pk", flat=True)
    ]
    m.Indicator.objects.bulk_create(indicators, batch_size=5000)
    periods = [
        m.Period(
            indicator_id=pk,
            period_start=date(YEAR, 1, 1),
            period_end=date(YEAR, 12, 31),
            target=Decimal(100),
            actual=Decimal(rng.randint(40, 140)),
        )
        for pk in m.Indicator.objects.filter(result__action__programme=programme).values_list("pk", flat=True)
    ]
    m.Period.objects.bulk_create(periods, batch_size=5000)


def timed(function: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def best_of(runs: int, function: Any) -> tuple[float, Any]:
    timings = [timed(function) for _ in range(runs)]
    return min(seconds for seconds, _ in timings), timings[-1][1]


def sql_matrix() -> list[tuple[Any, ...]]:
    """The matrix's money in one SQL statement: actions running in YEAR, amounts of YEAR split by shares."""
    from django.db import connection

    query = """
        SELECT c.country_id, o.objective_id, a.channel, COUNT(DISTINCT a.id),
               SUM(CASE WHEN t.transaction_type = 2 THEN t.value * c.percentage * o.percentage / 10000 ELSE 0 END),
               SUM(CASE WHEN t.transaction_type = 3 THEN t.value * c.percentage * o.percentage / 10000 ELSE 0 END)
        FROM programme_action a
        JOIN programme_actioncountry c ON c.action_id = a.id
        JOIN programme_actionobjective o ON o.action_id = a.id
        LEFT JOIN programme_transaction t ON t.action_id = a.id AND t.date BETWEEN %s AND %s
        WHERE COALESCE(a.actual_start, a.planned_start) <= %s AND COALESCE(a.actual_end, a.planned_end) >= %s
        GROUP BY c.country_id, o.objective_id, a.channel"""
    with connection.cursor() as cursor:
        cursor.execute(query, [date(YEAR, 1, 1), date(YEAR, 12, 31), date(YEAR, 12, 31), date(YEAR, 1, 1)])
        return cursor.fetchall()


def sql_review() -> dict[str, Any]:
    """The stock-take's figures in raw SQL: money by country and by objective, targets met."""
    from django.db import connection

    bounds = [date(YEAR, 1, 1), date(YEAR, 12, 31)]
    found: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for key, table, column in (
            ("country", "programme_actioncountry", "country_id"),
            ("objective", "programme_actionobjective", "objective_id"),
        ):
            cursor.execute(
                f"""SELECT s.{column}, t.transaction_type, SUM(t.value * s.percentage / 100)
                FROM programme_transaction t JOIN programme_action a ON a.id = t.action_id
                JOIN {table} s ON s.action_id = a.id
                WHERE a.is_external = %s AND t.date BETWEEN %s AND %s GROUP BY s.{column}, t.transaction_type""",
                [False, *bounds],
            )
            found[key] = cursor.fetchall()
            cursor.execute(
                f"""SELECT s.{column}, SUM(b.value * s.percentage / 100) FROM programme_budget b
                JOIN programme_action a ON a.id = b.action_id JOIN {table} s ON s.action_id = a.id
                WHERE a.is_external = %s AND b.period_start BETWEEN %s AND %s GROUP BY s.{column}""",
                [False, *bounds],
            )
            found[f"budget-{key}"] = cursor.fetchall()
        cursor.execute(
            """SELECT COUNT(*), SUM(CASE WHEN p.actual >= p.target THEN 1 ELSE 0 END) FROM programme_period p
            WHERE p.period_end BETWEEN %s AND %s AND p.target IS NOT NULL AND p.actual IS NOT NULL""",
            bounds,
        )
        found["achievement"] = cursor.fetchone()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=10_000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        setup(Path(workdir))
        log(f"building {arguments.actions} actions")
        build_seconds, _ = timed(lambda: build(arguments.actions))
        log(f"built in {build_seconds:.1f} s")
        from palermo.programme import complementarity
        from palermo.programme.models import Action
        from palermo.programme.portfolio import facts_for, matrix_for
        from palermo.steering.models import SteeringMeeting
        from palermo.steering.report import render_document

        # Best of three for the matrix timings (SQL too): each run is a fraction of a second, so one run is noise.
        matrix_sql_seconds, rows = best_of(3, sql_matrix)
        # What the matrix page, its downloads and /api/programme/matrix/ run: filters and money sums in SQL,
        # only the columns the matrix reads (portfolio.matrix_for).
        matrix_seconds, matrix = best_of(3, lambda: matrix_for(Action.objects.all(), year=YEAR))
        log(f"matrix {matrix_seconds:.3f} s, SQL {matrix_sql_seconds:.3f} s")
        # What they ran before: the complete facts of every action, filtered in Python. Same cells, checked below.
        full_seconds, full = best_of(3, lambda: complementarity.matrix(facts_for(Action.objects.all()), year=YEAR))
        log(f"matrix from the complete facts of every action: {full_seconds:.3f} s")
        sql_committed = sum(Decimal(str(row[4] or 0)) for row in rows)
        cell_committed = sum(cell.committed for cell in matrix.cells)
        review_sql_seconds, _ = timed(sql_review)
        meeting = SteeringMeeting(year=YEAR, date=date(YEAR + 1, 2, 1), place="bench")
        review_seconds, document = timed(lambda: render_document(meeting, "en"))
        log(f"review {review_seconds:.2f} s ({len(document)} bytes), SQL {review_sql_seconds:.2f} s")
        result = {
            "benchmark": "steering",
            "actions": arguments.actions,
            "year": YEAR,
            "database": os.environ["DATABASE_URL"].split(":", 1)[0],
            "build_seconds": round(build_seconds, 2),
            "matrix_seconds": round(matrix_seconds, 3),
            "matrix_sql_seconds": round(matrix_sql_seconds, 3),
            "matrix_ratio": round(matrix_seconds / matrix_sql_seconds, 2),
            "matrix_cells": len(matrix.cells),
            "matrix_full_seconds": round(full_seconds, 3),
            "matrix_full_ratio": round(full_seconds / matrix_sql_seconds, 2),
            "matrix_same_as_full": matrix == full,
            "matrix_committed_matches_sql": abs(cell_committed - sql_committed) < Decimal(len(matrix.cells)) / 100,
            "review_seconds": round(review_seconds, 3),
            "review_sql_seconds": round(review_sql_seconds, 3),
            "review_ratio": round(review_seconds / review_sql_seconds, 2),
            "review_bytes": len(document),
        }
        print(json.dumps(result))


if __name__ == "__main__":
    main()
