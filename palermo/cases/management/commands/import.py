"""``palermo import <subcommand> ...``: each data source registers a handler module here.

A handler module has ``help``, ``add_arguments(parser)`` and ``handle(command, **options)``; it is imported only
when the command's parser is built, and a module that is not installed is left out.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

SUBCOMMANDS = {
    "attendance": "palermo.capacity.cli",
    "cases": "palermo.cases.importing.cli",
    "glotip": "palermo.diagnostics.glotip_cli",
    "greta": "palermo.programme.greta_cli",
}


def _handlers() -> dict[str, ModuleType]:
    handlers: dict[str, ModuleType] = {}
    for name, module_name in SUBCOMMANDS.items():
        try:
            handlers[name] = import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name and module_name.startswith(error.name):
                continue
            raise
    return handlers


class Command(BaseCommand):
    help = "Import data from a file: " + ", ".join(SUBCOMMANDS)

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="subcommand", required=True, title="subcommands")
        for name, module in _handlers().items():
            sub = subparsers.add_parser(name, help=getattr(module, "help", ""))
            module.add_arguments(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        handlers = _handlers()
        name = options.pop("subcommand")
        if name not in handlers:
            raise CommandError(f"unknown import {name!r}")
        handlers[name].handle(self, **options)
