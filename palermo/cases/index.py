"""The blind index of names in the database: writing a case's tokens, finding the cases that hold a query's.

The tokens and their keyed hashes are ``palermo.cases.blind``'s; the key is derived from the field encryption key
(``palermo.cases.crypto``). Every path that writes names writes the index in the same transaction: the case form
(``services.records``), imports (``importing.bulk``: one frame of index rows, COPYed beside the cases), key
rotation (``services.rotation``, which recomputes the index of the cases still indexed under an old key), and the
purge and erasure (``services.retention``, ``services.subject``), which delete it with the identity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import polars as pl
from django.db.models import Count, QuerySet

from palermo.cases import blind
from palermo.cases.fields import keyring
from palermo.cases.models import Case, SearchToken

NAME_FIELDS = ("first_name", "middle_name", "second_name")


def digests_of(hasher: blind.Hasher, *, names: Iterable[str], birth_date: date | None) -> list[int]:
    return hasher.digests(blind.tokens(names=names, birth_year=birth_date.year if birth_date else None))


def replace(cases: Sequence[Case]) -> int:
    """Rewrite the index of cases whose names are loaded (decrypted) on the instances; returns the rows written."""
    hasher = keyring().index
    SearchToken.objects.filter(case_id__in=[case.pk for case in cases]).delete()
    rows = [SearchToken(case_id=case.pk, key_id=hasher.key_id, token=digest) for case in cases
            for digest in digests_of(hasher, names=[getattr(case, name) or "" for name in NAME_FIELDS],
                                     birth_date=case.birth_date)]  # type: ignore[arg-type]
    SearchToken.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def rebuild(case_ids: Sequence[int]) -> int:
    """Recompute the index of these cases from their stored names (decrypted here, never returned); the cases are
    locked until the caller's transaction ends, so that an edit meanwhile waits."""
    cases = list(Case.objects.select_for_update().filter(pk__in=list(case_ids)).only("pk", *NAME_FIELDS,
                                                                                        "birth_date").order_by("pk"))
    return replace(cases) if cases else 0


def drop(case_ids: Sequence[int]) -> int:
    """Delete the index of cases whose identity is emptied (purge, erasure)."""
    deleted, _ = SearchToken.objects.filter(case_id__in=list(case_ids)).delete()
    return deleted


def stale_case_ids(after: int | None, limit: int) -> list[int]:
    """The next cases (by id, after ``after``) indexed under another key than the current one."""
    found = SearchToken.objects.exclude(key_id=keyring().current.key_id)
    if after is not None:
        found = found.filter(case_id__gt=after)
    return list(found.order_by("case_id").values_list("case_id", flat=True).distinct()[:limit])


def count_stale() -> int:
    """Cases indexed under another key than the current one (a rotation recomputes them)."""
    return (SearchToken.objects.exclude(key_id=keyring().current.key_id).values("case_id").distinct().count())


def count_by_key() -> dict[str, int]:
    """Indexed cases per key id."""
    return dict(SearchToken.objects.values_list("key_id").annotate(cases=Count("case_id", distinct=True))
                .order_by("key_id"))


def matching_case_ids(query: blind.Query) -> QuerySet[SearchToken, Any]:
    """The ids of the cases that hold every token of the query, hashed under each configured key (so that cases not
    yet re-indexed by a rotation are found too); a subquery, never decrypting anything."""
    tokens = query.tokens
    digests = sorted({hasher.digest(token) for hasher in keyring().indexes for token in tokens})
    return (SearchToken.objects.filter(token__in=digests).values("case_id")
            .annotate(found=Count("token", distinct=True)).filter(found=len(tokens)).values("case_id"))


# ---------------------------------------------------------------- imports: the index of a whole frame


def _parts_of_words(words: pl.Series) -> pl.DataFrame:
    """Each distinct word (a name split on white space) with its indexed parts: ``blind.normalise`` on columns for the
    words in plain ASCII (lower case, apostrophes dropped, the same digraphs folded in the same order, split on what
    is not a letter), and word by word in Python for the others (accents, Cyrillic, Greek)."""
    distinct = words.unique()
    ascii_ = distinct.filter(distinct.str.contains(r"^[\x00-\x7f]*$"))
    folded = ascii_.str.to_lowercase().str.replace_all(r"['`]", "")
    for pair, single in blind.FOLDS:
        folded = folded.str.replace_all(pair, single, literal=True)
    fast = pl.DataFrame({"word": ascii_, "part": folded.str.extract_all("[a-z]+")})
    others = distinct.filter(~distinct.str.contains(r"^[\x00-\x7f]*$")).to_list()
    slow = pl.DataFrame({"word": others, "part": [blind.normalise(word).split() for word in others]},
                        schema={"word": pl.String, "part": pl.List(pl.String)})
    return (pl.concat([fast.select("word", pl.col("part").cast(pl.List(pl.String))), slow]).explode("part")
            .filter(pl.col("part").str.len_chars() >= blind.MIN_PART))


def frame_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """The index rows (case_id, token, key_id) of a frame of plain (not yet encrypted) cases with their
    ``case_id``, exactly as ``replace`` writes them: the names split into words on columns, each distinct word
    normalised once (``_parts_of_words``), each distinct part and birth year hashed once, the rows built by joins."""
    hasher = keyring().index
    words = (frame.select("case_id", *NAME_FIELDS).unpivot(index="case_id", on=list(NAME_FIELDS), value_name="name")
             .select("case_id", pl.col("name").fill_null("").str.split(" ").alias("word")).explode("word")
             .filter(pl.col("word").fill_null("") != ""))
    parts = _parts_of_words(words["word"])
    distinct = parts["part"].unique().to_list()
    hashes = pl.DataFrame({"part": distinct, "token": [hasher.digest(blind.NAME_PREFIX + part) for part in distinct]},
                          schema={"part": pl.String, "token": pl.Int64})
    name_rows = words.join(parts, on="word").join(hashes, on="part").select("case_id", "token")
    years = frame.select("case_id", pl.col("birth_date").dt.year().cast(pl.Int64).alias("year")).drop_nulls("year")
    year_values = years["year"].unique().to_list()
    year_hashes = pl.DataFrame({"year": year_values,
                                "token": [hasher.digest(f"{blind.YEAR_PREFIX}{year}") for year in year_values]},
                               schema={"year": pl.Int64, "token": pl.Int64})
    year_rows = years.join(year_hashes, on="year").select("case_id", "token")
    typed = (pl.col("case_id").cast(pl.Int64), pl.col("token").cast(pl.Int64))
    rows = pl.concat([name_rows.select(*typed), year_rows.select(*typed)])
    return rows.unique(maintain_order=True).with_columns(pl.lit(hasher.key_id).alias("key_id"))
