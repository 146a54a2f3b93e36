"""``palermo linkage``: resolve person records with Splink, evaluate against labels, count unique victims from
encodings.

- ``evaluate FILE [FILE] --truth COLUMN``: resolve labelled file(s) (two files: link one to the other) and print
  precision, recall and F1, pairwise and cluster-level, as JSON on the last line;
- ``train FILE [FILE]``: train a model and store it as the next version;
- ``run FILE [FILE] [--engine spark] [--out CLUSTERS.csv]``: resolve with the current model (or train one);
- ``encode FILE --key-file KEY --out FILE``: an organisation's encodings of its victims (no plain identifier);
- ``count-unique FILE...``: distinct victims and the overlap matrix from the organisations' encodings.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from palermo.accounts.access import SYSTEM


def _frames(files: list[str], truth: str | None) -> list[Any]:
    from palermo.linkage.records import prepare, read_table

    if not 1 <= len(files) <= 2:
        raise CommandError("give one file (deduplicate it) or two (link one to the other)")
    frames = []
    for name in files:
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"{name}: no such file")
        try:
            frames.append(prepare(read_table(path), source=path.stem, truth=truth))
        except ValueError as error:
            raise CommandError(f"{name}: {error}") from error
    return frames


class Command(BaseCommand):
    help = ("Entity resolution with Splink: evaluate, train, run (DuckDB or Spark), encode, count-unique "
            "(docs/linkage.md).")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        evaluate = actions.add_parser("evaluate", help="resolve a labelled file and print precision/recall/F1")
        evaluate.add_argument("files", nargs="+", metavar="FILE")
        evaluate.add_argument("--truth", required=True, metavar="COLUMN",
                              help="the column naming each row's true entity (FEBRL rec_id: rec-N-org/dup-k -> N)")
        evaluate.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
        evaluate.add_argument("--threshold", type=float, default=None, help="match probability to link (0.9)")
        train = actions.add_parser("train", help="train a person model on a file and store it as a new version")
        train.add_argument("files", nargs="+", metavar="FILE")
        run = actions.add_parser("run", help="resolve a file with the current model (trained on it if none)")
        run.add_argument("files", nargs="+", metavar="FILE")
        run.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
        run.add_argument("--spark-master", default="local[1]",
                         help="Spark master URL (spark://host:7077, yarn, k8s://...); default local[1]")
        run.add_argument("--threshold", type=float, default=None)
        run.add_argument("--out", default=None, help="write the clusters (unique_id, source, cluster) to this CSV")
        run.add_argument("--retrain", action="store_true", help="train on these records even if a model exists")
        encode = actions.add_parser("encode", help="encode an organisation's victims (keyed Bloom filters)")
        encode.add_argument("file", metavar="FILE")
        encode.add_argument("--key-file", required=True, help="the programme's secret key (a file)")
        encode.add_argument("--organisation", required=True, help="the organisation's short name")
        encode.add_argument("--country", default="", help="ISO code of the organisation's country")
        encode.add_argument("--out", required=True, help="the encodings file to send (CSV)")
        candidates = actions.add_parser("candidates", help="score the stored records and queue the candidate pairs")
        candidates.add_argument("--from-networks", action="store_true",
                                help="first bring in the networks' Person entities as records")
        candidates.add_argument("--floor", type=float, default=0.5, help="lowest match probability kept (0.5)")
        count = actions.add_parser("count-unique", help="distinct victims across organisations' encodings")
        count.add_argument("files", nargs="+", metavar="FILE")
        count.add_argument("--threshold", type=float, default=None)
        count.add_argument("--save", action="store_true", help="store the figures for the unique-victim page")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        getattr(self, "_" + action.replace("-", "_"))(options)

    def _emit(self, result: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(result, sort_keys=True))

    def _evaluate(self, options: dict[str, Any]) -> None:
        from palermo.linkage.engine import DEFAULT_THRESHOLD, evaluate

        frames = _frames(options["files"], options["truth"])
        result, _resolution = evaluate(frames, engine=options["engine"],
                                       threshold=options["threshold"] or DEFAULT_THRESHOLD)
        result["files"] = [Path(name).name for name in options["files"]]
        self.stderr.write(f"pairwise F1 {result['pairwise']['f1']}, cluster F1 {result['cluster']['f1']} "
                          f"on {result['records']} records")
        self._emit(result)

    def _train(self, options: dict[str, Any]) -> None:
        from palermo.linkage.services import train_model

        frames = _frames(options["files"], None)
        model = train_model(acting_user=SYSTEM.running("palermo linkage train"), frames=frames,
                            source=", ".join(Path(name).name for name in options["files"]))
        self._emit({"entity_type": model.entity_type, "version": model.version, "records": model.records})

    def _run(self, options: dict[str, Any]) -> None:
        from palermo.linkage.engine import DEFAULT_THRESHOLD, local_spark_session, resolve
        from palermo.linkage.models import TrainedModel

        frames = _frames(options["files"], None)
        current = TrainedModel.objects.filter(entity_type="persons").first()
        model = None if (current is None or options["retrain"]) else current.settings_json
        session = local_spark_session(options["spark_master"]) if options["engine"] == "spark" else None
        resolution = resolve(frames, engine=options["engine"], model=model, spark_session=session,
                             threshold=options["threshold"] or DEFAULT_THRESHOLD)
        if options["out"]:
            resolution.clusters.write_csv(options["out"])
        self._emit({"engine": options["engine"], "records": resolution.clusters.height,
                    "clusters": resolution.clusters["cluster_id"].n_unique(), "pairs": resolution.pairs.height,
                    "model_version": current.version if model is not None and current else None,
                    "seconds": resolution.seconds})

    def _candidates(self, options: dict[str, Any]) -> None:
        from palermo.linkage.adapters import sync_network_persons
        from palermo.linkage.services import find_candidates

        actor = SYSTEM.running("palermo linkage candidates")
        created = sync_network_persons(acting_user=actor) if options["from_networks"] else 0
        added = find_candidates(acting_user=actor, floor=options["floor"])
        self._emit({"records_from_networks": created, "new_pairs": added})

    def _encode(self, options: dict[str, Any]) -> None:
        from palermo.linkage.encoding import encode_file, read_key

        try:
            key = read_key(Path(options["key_file"]))
            rows = encode_file(Path(options["file"]), key=key, organisation=options["organisation"],
                               country=options["country"], out=Path(options["out"]))
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        self._emit({"organisation": options["organisation"], "records": rows, "out": options["out"]})

    def _count_unique(self, options: dict[str, Any]) -> None:
        from palermo.linkage.encoding import DEFAULT_ENCODED_THRESHOLD, count_unique, read_encodings

        try:
            frames = [read_encodings(Path(name)) for name in options["files"]]
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        result = count_unique(frames, threshold=options["threshold"] or DEFAULT_ENCODED_THRESHOLD)
        if options["save"]:
            from palermo.linkage.services import save_unique_count

            save_unique_count(acting_user=SYSTEM.running("palermo linkage count-unique"), result=result)
        self._emit(result)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run as: palermo linkage ...")
