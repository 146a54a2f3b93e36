"""Training, prediction and clustering with Splink, on DuckDB (the default) or on Spark.

Training needs no labels: the probability that two records match comes from deterministic rules, u from random
pairs, m from expectation maximisation on each blocking rule of ``settings.person_training_rules``. The trained
model is Splink's settings JSON (``Resolution.model``): stored, versioned and reused as it is.

Pure: no Django.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
import pyarrow as pa
from splink import Linker, block_on

from palermo.linkage.settings import LinkType, person_settings, person_training_rules

ENGINES = ("duckdb", "spark")
DEFAULT_THRESHOLD = 0.9
_SEED = 42


@dataclass
class Resolution:
    """What one run gives: the model, the scored pairs above the candidate floor, the clusters at the threshold,
    and the seconds of each step."""

    model: dict[str, Any]
    pairs: pl.DataFrame  # unique_id_l, unique_id_r, source_dataset_l/_r, match_weight, match_probability
    clusters: pl.DataFrame  # unique_id, source_dataset, cluster_id
    seconds: dict[str, float] = field(default_factory=dict)
    peak_bytes: dict[str, int] = field(default_factory=dict)


def db_api(engine: str = "duckdb", *, spark_session: Any = None) -> Any:
    """Splink's database API for ``engine``: an in-memory DuckDB, or the given (or a local) Spark session."""
    if engine == "duckdb":
        from splink import DuckDBAPI

        return DuckDBAPI()
    if engine == "spark":
        from splink import SparkAPI

        session = spark_session if spark_session is not None else local_spark_session()
        return SparkAPI(spark_session=session, break_lineage_method="parquet",
                        num_partitions_on_repartition=int(session.conf.get("spark.sql.shuffle.partitions", "4")))
    raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")


def local_spark_session(master: str = "local[1]", partitions: int = 1) -> Any:
    """A local Spark session with Splink's similarity functions (its jar) on the class path. A real cluster:
    build the session against its master instead (docs/linkage.md)."""
    from pyspark import SparkConf
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    conf = (SparkConf().setMaster(master).setAppName("palermo-linkage")
            .set("spark.jars", similarity_jar_location())
            .set("spark.sql.shuffle.partitions", str(partitions))
            .set("spark.default.parallelism", str(partitions))
            .set("spark.ui.enabled", "false")
            .set("spark.driver.memory", "1g")
            .set("spark.sql.ansi.enabled", "false")
            .set("spark.sql.codegen.wholeStage", "false")  # Splink's wide CASE expressions overflow Janino's 64 KB
            .set("spark.ui.showConsoleProgress", "false"))
    session = SparkSession.builder.config(conf=conf).getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="palermo-spark-"))
    return session


def _register(api: Any, frames: Sequence[pl.DataFrame], engine: str) -> list[Any]:
    tables = []
    for index, frame in enumerate(frames):
        data = frame.drop("truth") if "truth" in frame.columns else frame
        if engine == "spark":
            table: Any = api.spark.createDataFrame(data.rows(), schema=_spark_schema(data))
        else:
            table = data.to_arrow()
        tables.append(api.register(table, dataset_display_name=f"input_{index}"))
    return tables


def _spark_schema(frame: pl.DataFrame) -> Any:
    """Text columns, and lists of text (documents), as Spark types (no pandas needed)."""
    from pyspark.sql.types import ArrayType, StringType, StructField, StructType

    return StructType([StructField(name, ArrayType(StringType()) if isinstance(dtype, pl.List) else StringType())
                       for name, dtype in frame.schema.items()])


def _to_polars(splink_frame: Any, columns: Sequence[str] | None = None) -> pl.DataFrame:
    table: pa.Table = splink_frame.as_pyarrow_table()
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame.select(columns) if columns else frame


class _Step:
    """Seconds and peak Python-side memory of one step (DuckDB's own memory is measured by the benchmark)."""

    def __init__(self, resolution_seconds: dict[str, float], peaks: dict[str, int], name: str) -> None:
        self.seconds, self.peaks, self.name = resolution_seconds, peaks, name

    def __enter__(self) -> None:
        self.started = time.perf_counter()
        self.tracing = tracemalloc.is_tracing()
        if self.tracing:
            tracemalloc.reset_peak()

    def __exit__(self, *exc: object) -> None:
        self.seconds[self.name] = round(time.perf_counter() - self.started, 3)
        if self.tracing:
            self.peaks[self.name] = tracemalloc.get_traced_memory()[1]


def link_type_for(frames: Sequence[pl.DataFrame]) -> LinkType:
    return "dedupe_only" if len(frames) == 1 else "link_only"


def model_for_dialect(model: dict[str, Any], columns: Sequence[str], link_type: LinkType, dialect: str
                      ) -> dict[str, Any]:
    """A trained model (saved from DuckDB) written again in another engine's SQL dialect: the settings are
    generated for ``dialect`` and the trained values (prior, m and u of each level) copied over level by level."""
    if model.get("sql_dialect") == dialect:
        return model
    fresh = person_settings(columns, link_type=link_type).create_settings_dict(dialect)
    fresh["probability_two_random_records_match"] = model["probability_two_random_records_match"]
    trained = {c["output_column_name"]: c for c in model["comparisons"]}
    for comparison in fresh["comparisons"]:
        source = trained[comparison["output_column_name"]]["comparison_levels"]
        for level, learnt in zip(comparison["comparison_levels"], source, strict=True):
            for key in ("m_probability", "u_probability", "tf_adjustment_weight", "tf_minimum_u_value"):
                if key in learnt:
                    level[key] = learnt[key]
    return fresh


def without_term_frequencies(model: dict[str, Any]) -> dict[str, Any]:
    """The model with no term-frequency adjustment: on a few records the frequencies are those of a handful of
    names (each name 1/3 of three records), which would wrongly weigh every agreement down."""
    copied = json.loads(json.dumps(model))
    for comparison in copied.get("comparisons", []):
        for level in comparison.get("comparison_levels", []):
            for key in ("tf_adjustment_column", "tf_adjustment_weight", "tf_minimum_u_value"):
                level.pop(key, None)
    return copied


SMALL = 10_000  # fewer records than this are scored with a trained model without term-frequency adjustments


def make_linker(frames: Sequence[pl.DataFrame], *, engine: str = "duckdb", model: dict[str, Any] | None = None,
                spark_session: Any = None) -> Linker:
    """A Linker over the prepared frames (``records.prepare``): with ``model`` a trained one, else untrained."""
    api = db_api(engine, spark_session=spark_session)
    tables = _register(api, frames, engine)
    link_type = link_type_for(frames)
    settings: Any = (person_settings(frames[0].columns, link_type=link_type) if model is None
                     else model_for_dialect(model, frames[0].columns, link_type, api.sql_dialect.sql_dialect_str))
    if model is not None and sum(frame.height for frame in frames) < SMALL:
        settings = without_term_frequencies(settings)
    return Linker(tables if len(tables) > 1 else tables[0], settings, log_level=logging.ERROR)


def train(linker: Linker, columns: Sequence[str], *, max_pairs: float = 5e5, recall: float = 0.7,
          em_max_pairs: float | None = None) -> None:
    """Unsupervised training: λ from deterministic rules, u by random sampling (seeded), m by EM per rule."""
    deterministic: list[Any] = [block_on("first_name", "surname", "dob") if "dob" in columns
                     else block_on("first_name", "surname")]
    if "document" in columns:
        deterministic.append(block_on("document"))
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=_SEED)
    for rule in person_training_rules(columns):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=em_max_pairs)


def resolve(frames: Sequence[pl.DataFrame], *, engine: str = "duckdb", threshold: float = DEFAULT_THRESHOLD,
            candidate_floor: float = 0.5, model: dict[str, Any] | None = None, spark_session: Any = None,
            max_pairs: float = 5e5) -> Resolution:
    """Train (unless ``model`` is given), score the blocked pairs, keep those at or above ``candidate_floor``
    (the review queue's candidates), and cluster at ``threshold`` (connected components)."""
    seconds: dict[str, float] = {}
    peaks: dict[str, int] = {}
    linker = make_linker(frames, engine=engine, model=model, spark_session=spark_session)
    columns = frames[0].columns
    with _Step(seconds, peaks, "training"):
        if model is None:
            # EM on a sample of the blocked pairs once they would number tens of millions (Splink 5's max_pairs)
            records = sum(frame.height for frame in frames)
            train(linker, columns, max_pairs=max_pairs, em_max_pairs=2e6 if records > 100_000 else None)
    trained = linker.misc.save_model_to_json()
    with _Step(seconds, peaks, "prediction"):
        predictions = linker.inference.predict(threshold_match_probability=min(candidate_floor, threshold))
        keep = ["unique_id_l", "unique_id_r", "source_dataset_l", "source_dataset_r", "match_weight",
                "match_probability"]
        pairs = _to_polars(predictions)
        pairs = pairs.select([c for c in keep if c in pairs.columns])
    with _Step(seconds, peaks, "clustering"):
        clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold)
        cluster_columns = ["unique_id", "source_dataset", "cluster_id"]
        clusters = _to_polars(clustered)
        clusters = clusters.select([c for c in cluster_columns if c in clusters.columns])
    return Resolution(model=trained, pairs=pairs, clusters=clusters, seconds=seconds, peak_bytes=peaks)


def keyed(frame: pl.DataFrame, column: str) -> dict[tuple[str, str], str]:
    """Record (source, id) -> value of ``column``."""
    return {(s, u): v for s, u, v in zip(frame["source_dataset"].to_list(), frame["unique_id"].to_list(),
                                         frame[column].to_list(), strict=True)}


def evaluate(frames: Sequence[pl.DataFrame], *, engine: str = "duckdb", threshold: float = DEFAULT_THRESHOLD,
             spark_session: Any = None) -> tuple[dict[str, Any], Resolution]:
    """Resolve labelled frames (``records.prepare(..., truth=...)``) and score the clusters against the truth."""
    from palermo.linkage.evaluation import scores

    resolution = resolve(frames, engine=engine, threshold=threshold, spark_session=spark_session)
    truth: dict[tuple[str, str], str] = {}
    for frame in frames:
        truth.update(keyed(frame, "truth"))
    predicted = keyed(resolution.clusters.with_columns(pl.col("cluster_id").cast(pl.Utf8)), "cluster_id")
    result = scores(predicted, truth)
    result["threshold"] = threshold
    result["engine"] = engine
    result["seconds"] = resolution.seconds
    return result, resolution
