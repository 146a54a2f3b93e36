"""The risk ranking at scale (plain logic, no database): rank N synthetic case records of eleven countries into
profiles (sex × age band × form, then all six dimensions), attach 200 campaigns and list the gaps, against a
baseline measured in the same run: one Counter over the same cases' (country, year) keys, the least any ranking
must do.

    .venv/bin/python benchmarks/awareness.py --rows 200000

Progress goes to stderr; the last line of stdout is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from palermo.awareness import risk

COUNTRIES = ("AL", "BA", "BG", "HR", "GR", "XK", "MD", "ME", "MK", "RO", "RS")
FORMS = ("sexual_exploitation", "forced_labour", "begging", "forced_marriage", "forced_criminality")
METHODS = ("AtWork", "ThroughOnlineSocialNetworks", "ThroughFamilyOrFamilyEvents", "ThroughAnOnlineAdvertisement")


def synthetic(rows: int, seed: int = 13) -> list[risk.CaseFacts]:
    rng = random.Random(seed)
    return [risk.CaseFacts(
        country=rng.choice(COUNTRIES), year=rng.randint(2019, 2024), citizenship=rng.choice(COUNTRIES),
        sex=rng.choice(("female", "female", "male", "other")), age_band=rng.choice(risk.AGE_BANDS),
        recruitment=tuple(rng.sample(METHODS, rng.randint(0, 2))), form=tuple(rng.sample(FORMS, rng.randint(1, 2))),
        thb_form=rng.choice(("traditional", "migration_route"))) for _ in range(rows)]


def campaigns(count: int, seed: int = 14) -> list[risk.CampaignFacts]:
    rng = random.Random(seed)
    return [risk.CampaignFacts(i, frozenset(rng.sample(COUNTRIES, 2)), date(2024, rng.randint(1, 12), 1),
                               date(2025, rng.randint(1, 12), 1),
                               {"sex": frozenset({rng.choice(("female", "male"))}),
                                "age_band": frozenset(rng.sample(risk.AGE_BANDS, 2))}) for i in range(count)]


def timed(run: object) -> float:
    started = time.perf_counter()
    run()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    arguments = parser.parse_args()
    cases = synthetic(arguments.rows)
    aims = campaigns(200)
    print(f"{arguments.rows} cases made", file=sys.stderr)
    baseline = timed(lambda: Counter((c.country, c.year) for c in cases))
    result: dict[str, object] = {"rows": arguments.rows, "baseline_s": round(baseline, 3)}
    for name, dimensions in (("default", risk.DEFAULT_DIMENSIONS), ("all_six", risk.DIMENSIONS)):
        holder: dict[str, object] = {}

        def run(dimensions: tuple[str, ...] = dimensions, holder: dict[str, object] = holder) -> None:
            ranking = risk.rank(cases, dimensions=dimensions, year=2024)
            risk.attach_campaigns(ranking, aims, date(2023, 1, 1), date(2025, 12, 31))
            holder["profiles"] = sum(len(lines) for lines in ranking.values())
            holder["gaps"] = len(risk.gaps(ranking))

        seconds = timed(run)
        result[name] = {"seconds": round(seconds, 3), "ratio_to_baseline": round(seconds / baseline, 1), **holder}
        print(f"{name}: {seconds:.2f} s", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
