"""``palermo screen FILE.json``: score indicators against a list version and print the result as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.reference.models import IndicatorList
from palermo.screening import lists, scoring
from palermo.screening.legal_texts import LANGUAGES


class Command(BaseCommand):
    help = ('Score the indicators in FILE.json (or \'-\'), {"list": "adult-labour", "indicators": '
            '["coercion_destination/debt_bondage", ...], "version": optional}, keys as listed by '
            "'palermo reference export indicators' (dimension/code). Prints the result; stores nothing.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a JSON object, or '-' to read standard input")
        parser.add_argument("--language", choices=LANGUAGES, default="en")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            raw = json.loads(sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"{name}: cannot be read ({error.strerror})") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{name}: not valid JSON ({error})") from error
        indicator_list, ticked = self.read(name, raw)
        try:
            result = scoring.score(lists.spec_of(indicator_list), ticked)
        except scoring.ScreeningInputError as error:
            raise CommandError(f"{name}, indicators: " + "\n".join(error.problems)) from error
        self.stdout.write(json.dumps(result.as_dict(options["language"]), ensure_ascii=False, indent=2))

    def read(self, name: str, raw: Any) -> tuple[IndicatorList, list[str]]:
        if not isinstance(raw, dict):
            raise CommandError(f'{name}: expected an object such as {{"list": "adult-labour", "indicators": [...]}}')
        unknown = sorted(set(raw) - {"list", "version", "indicators"})
        if unknown:
            raise CommandError(f"{name}: unknown field(s) {', '.join(unknown)}; the fields are list, version, "
                               "indicators")
        ticked = raw.get("indicators")
        if not isinstance(ticked, list) or not all(isinstance(key, str) for key in ticked):
            raise CommandError(f"{name}, indicators: give a list of indicator keys (dimension/code)")
        code, version = raw.get("list"), raw.get("version")
        active = {item.code: item for item in lists.active_lists()}
        if code not in active:
            raise CommandError(f"{name}, list: unknown list {code!r}; the lists are {', '.join(sorted(active))}")
        if version is None:
            return active[code], ticked
        found = IndicatorList.objects.filter(code=code, version=version).first()
        if found is None:
            raise CommandError(f"{name}, version: list {code} has no version {version!r}")
        return found, ticked
