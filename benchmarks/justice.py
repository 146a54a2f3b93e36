"""The justice counting rules at scale: N synthetic proceedings (about a third with an appeal, one person in five in
two proceedings) counted on UNODC's definitions (``palermo.justice.counting``: persons prosecuted and convicted per
country and year, durations, sentences) against a baseline measured in the same run: one pass adding each
proceeding to its (country, year) with no rule (no distinct persons, no first finding of guilt).

    .venv/bin/python benchmarks/justice.py --proceedings 200000

Pure Python, no database. Progress goes to stderr; the last line of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from palermo.justice import counting
from palermo.justice.counting import DecisionFacts, ProceedingFacts

COUNTRIES = ("AL", "BA", "BG", "GR", "HR", "MD", "ME", "MK", "RO", "RS", "XK")


def generate(size: int, seed: int = 10) -> list[ProceedingFacts]:
    rng = random.Random(seed)
    out = []
    for index in range(size):
        person = str(index if rng.random() < 0.8 else rng.randrange(max(1, index)))
        opened = date(2010, 1, 1) + timedelta(days=rng.randrange(5000))
        prosecuted = opened + timedelta(days=rng.randint(30, 400))
        decisions: list[DecisionFacts] = []
        if rng.random() < 0.8:
            first = prosecuted + timedelta(days=rng.randint(100, 900))
            outcome = rng.choice(["convicted", "convicted", "acquitted", "dismissed"])
            decisions.append(DecisionFacts("first_instance", first, outcome, True, rng.choice([24, 48, 96]), False))
            if rng.random() < 0.35:
                decisions.append(DecisionFacts("appeal", first + timedelta(days=rng.randint(100, 500)),
                                               rng.choice(["convicted", "acquitted"]), True, 36, False))
        out.append(ProceedingFacts(person, rng.choice(COUNTRIES), opened, prosecuted,
                                   thb_charged=rng.random() < 0.9, decisions=tuple(decisions), pk=index))
    return out


def baseline(proceedings: list[ProceedingFacts]) -> int:
    counts: Counter[tuple[str, int]] = Counter()
    for p in proceedings:
        if p.prosecuted_on is not None:
            counts[(p.country, p.prosecuted_on.year)] += 1
    return len(counts)


def rules(proceedings: list[ProceedingFacts]) -> int:
    prosecuted = counting.persons_prosecuted(proceedings)
    convicted = counting.persons_convicted(proceedings)
    counting.durations(proceedings, 10)
    counting.sentences(proceedings)
    return len(prosecuted) + len(convicted)


def timed(function: object, data: list[ProceedingFacts]) -> float:
    started = time.perf_counter()
    function(data)  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--proceedings", type=int, default=200_000)
    size = parser.parse_args().proceedings
    print(f"generating {size} proceedings", file=sys.stderr)
    data = generate(size)
    base = min(timed(baseline, data) for _ in range(3))
    full = min(timed(rules, data) for _ in range(3))
    print(json.dumps({"proceedings": size, "baseline_s": round(base, 3), "rules_s": round(full, 3),
                      "ratio": round(full / base, 1), "per_proceeding_us": round(full / size * 1e6, 2)}))


if __name__ == "__main__":
    main()
