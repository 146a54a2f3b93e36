"""``palermo networks import FILE --format ftm|csv --source NAME --country CC [--network NAME]`` and
``palermo networks analyse --network NAME [--format json|text]``."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.accounts.access import SYSTEM
from palermo.networks import reading
from palermo.networks.graphs import analyse_network
from palermo.networks.importing import FORMATS, import_network_file
from palermo.networks.models import Network


class Command(BaseCommand):
    help = ("Investigation networks. 'import' reads a FollowTheMoney JSON-lines file or a spreadsheet (edge list, "
            "call-detail records, money transfers, adjacency matrix) into a network, all rows or none; 'analyse' "
            "prints its figures.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a file into a network (created if new)")
        imp.add_argument("file")
        imp.add_argument("--format", dest="fmt", choices=FORMATS, required=True,
                         help="ftm (FollowTheMoney JSON lines) or csv (a spreadsheet with a column mapping)")
        imp.add_argument("--source", required=True, help="name of the source (document, register, wiretap...)")
        imp.add_argument("--country", required=True, help="ISO alpha-2 code of the country the source came from")
        imp.add_argument("--network", default="", help="the network (default: named as the source)")
        imp.add_argument("--kind", choices=reading.KINDS, default="edges",
                         help="csv only: edges, calls (call-detail records), payments (money transfers), matrix")
        imp.add_argument("--columns", default="",
                         help="csv only: which column is which, e.g. caller=a_number,receiver=b_number,date=start "
                              "(names of the header, or positions 0, 1... without header)")
        imp.add_argument("--no-header", action="store_true", help="csv only: the first row is data")
        imp.add_argument("--node-type", default="", help="csv only: FtM schema of the nodes (default by kind)")
        imp.add_argument("--link-type", default="", help="csv only: FtM schema of the links (default by kind)")
        imp.add_argument("--agency", default="", help="the agency that gave the source")
        imp.add_argument("--document", default="", help="the document the source is")
        imp.add_argument("--date", default="", help="the source's date (YYYY-MM-DD)")
        imp.add_argument("--report", help="also write the JSON report to this file")
        imp.add_argument("--no-progress", action="store_true", help="no progress bar")
        ana = sub.add_parser("analyse", help="print the figures of a network")
        ana.add_argument("--network", required=True, help="the network's name")
        ana.add_argument("--format", dest="fmt", choices=("json", "text"), default="text")
        ana.add_argument("--no-values", action="store_true", help="leave the shared-value nodes out")
        ana.add_argument("--refresh", action="store_true", help="compute again even if cached")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self.import_file(**options)
        else:
            self.analyse(**options)

    def import_file(self, **options: Any) -> None:
        from tqdm import tqdm

        if not Path(options["file"]).is_file():
            raise CommandError(f"{options['file']}: no such file")
        mapping = None
        if options["fmt"] == "csv":
            try:
                columns = reading.parse_mapping(options["columns"])
            except ValueError as error:
                raise CommandError(f"--columns: {error}") from error
            if options["node_type"] and reading.model.get(options["node_type"]) is None:
                raise CommandError(f"--node-type: unknown FollowTheMoney schema {options['node_type']!r}")
            if options["link_type"] and reading.model.get(options["link_type"]) is None:
                raise CommandError(f"--link-type: unknown FollowTheMoney schema {options['link_type']!r}")
            mapping = reading.Mapping(kind=options["kind"], columns=columns,
                                      header=False if options["no_header"] else None,
                                      node_schema=options["node_type"], link_schema=options["link_type"])
        try:
            day = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        bars: dict[str, Any] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if options["no_progress"]:
                return
            bar = bars.get(phase)
            if bar is None:
                for other in bars.values():
                    other.close()
                bar = bars[phase] = tqdm(total=total or None, desc=phase, unit="rows", file=sys.stderr)
            bar.update(done - bar.n)

        try:
            report = import_network_file(
                acting_user=SYSTEM.running("palermo networks import"), path=options["file"], fmt=options["fmt"],
                source=options["source"], country=options["country"], network_name=options["network"],
                mapping=mapping, agency=options["agency"], document=options["document"], source_date=day,
                progress=progress)
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        for bar in bars.values():
            bar.close()
        data = report.as_dict()
        if options.get("report"):
            Path(options["report"]).write_text(json.dumps(data, indent=1), encoding="utf-8")
        if report.error:
            raise CommandError(f"nothing imported: {report.error}")
        if not report.ok:
            for problem in data["problems"][:50]:
                self.stderr.write(f"row {problem['row']}, column {problem['column']}, value {problem['value']!r}: "
                                  f"{problem['reason']}")
            raise CommandError(f"nothing imported: {len(report.problems)} problem(s)")
        self.stdout.write(f"{report.network}: {report.rows} rows, {report.entities_created} entities created, "
                          f"{report.entities_merged} merged, {report.links} links, {report.values} values")

    def analyse(self, **options: Any) -> None:
        network = Network.objects.filter(name=options["network"]).first()
        if network is None:
            raise CommandError(f"no network named {options['network']!r}")
        figures = analyse_network(network, values=not options["no_values"], refresh=options["refresh"])
        if options["fmt"] == "json":
            self.stdout.write(json.dumps({"network": network.name, **figures}, ensure_ascii=False))
            return
        for key in ("nodes", "edges", "arcs", "links", "total_weight", "components", "largest_component", "density",
                    "degree_centralisation", "communities", "modularity"):
            self.stdout.write(f"{key}: {figures[key]}")
        for key in ("top_betweenness", "top_pagerank", "brokers", "cross_border_brokers"):
            self.stdout.write(f"{key}: " + ", ".join(f"{n['label']} ({n['value']})" for n in figures[key][:5]))
