"""``palermo qualify FILE.json``: the legal qualification of the facts in a file, as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.screening import legal
from palermo.screening.legal_texts import LANGUAGES


class Command(BaseCommand):
    help = ("Qualify the facts in FILE.json (or '-' for standard input) under each instrument and print the answer "
            "as JSON: an indication for professionals, not a court's finding. Format: docs/screening.md.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a JSON object of facts, or '-' to read standard input")
        parser.add_argument("--language", choices=LANGUAGES, default="en", help="language of the reasons")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
            raw = json.loads(text)
        except OSError as error:
            raise CommandError(f"{name}: cannot be read ({error.strerror})") from error
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{name}: not valid JSON ({error})") from error
        try:
            answer = legal.qualify_json(raw, options["language"])
        except legal.FactsError as error:
            lines = [f"{field}: {message}" for field, messages in error.messages(options["language"]).items()
                     for message in messages]
            raise CommandError(f"{name}: nothing qualified:\n" + "\n".join(lines)) from error
        self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2))
