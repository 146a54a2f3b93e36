"""Read CSV and XLSX files into raw rows (column name -> text), with the file's own row numbers."""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from palermo.cases.importing.records import ROW_KEY, RawRow


class UnreadableFile(ValueError):
    pass


# Excel's own limit on the text of one cell (Microsoft, "Excel specifications and limits").
MAX_CELL_CHARACTERS = 32_767


@dataclass(frozen=True)
class Limits:
    """What a file may hold before it is refused, unread: a crafted file must not exhaust memory or time.

    ``max_uncompressed_bytes`` bounds an XLSX file's parts as its zip directory declares them (a part that holds
    more than it declares fails its CRC check while read), so a 300 KB file expanding to 300 MB is refused before
    any cell is parsed; ``max_rows`` is checked on the sheet's declared size and again while reading.
    """

    max_bytes: int = 50 * 1024 * 1024
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_rows: int = 200_000
    max_columns: int = 500


def check_size(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise UnreadableFile(f"the file holds {size:,} bytes, more than the {limits.max_bytes:,} allowed")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
            if expanded > limits.max_uncompressed_bytes:
                raise UnreadableFile(f"the workbook expands to {expanded:,} bytes, more than the "
                                     f"{limits.max_uncompressed_bytes:,} allowed")
            sheets = [m for m in archive.infolist() if m.filename.startswith("xl/worksheets/") and
                      m.filename.endswith(".xml")]
            rows = max((_count_rows(archive, member) for member in sheets), default=0)
    except (zipfile.BadZipFile, OSError, zlib.error) as error:
        raise UnreadableFile(f"not a readable XLSX workbook: {error}") from error
    if rows > limits.max_rows + 1:
        raise UnreadableFile(f"the file has {rows - 1:,} rows, more than the {limits.max_rows:,} allowed")


ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _count_rows(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """The rows of a sheet, counted on its XML as it streams (a sheet's declared size may be missing or wrong)."""
    count, tail = 0, b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            window = tail + chunk
            count += len(ROW_TAG.findall(window))
            tail = window[-16:]
            count -= len(ROW_TAG.findall(tail))  # a tag in the tail is counted again with the next chunk
    return count + len(ROW_TAG.findall(tail))


def _check_row(number: int, cells: list[str], limits: Limits) -> None:
    if len(cells) > limits.max_columns:
        raise UnreadableFile(f"row {number} has {len(cells):,} columns, more than the {limits.max_columns:,} allowed")
    for column, cell in enumerate(cells, start=1):
        if len(cell) > MAX_CELL_CHARACTERS:
            raise UnreadableFile(f"row {number}, column {column}: the cell holds {len(cell):,} characters, more "
                                 f"than the {MAX_CELL_CHARACTERS:,} a spreadsheet cell can hold")


def _bounded(table: Iterable[list[str]], limits: Limits) -> Iterator[list[str]]:
    for number, cells in enumerate(table, start=1):
        if number > limits.max_rows + 1:  # the header row and max_rows rows of data
            raise UnreadableFile(f"the file has more than {limits.max_rows:,} rows")
        _check_row(number, cells, limits)
        yield cells


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_from_table(table: Iterator[list[str]], first_row_number: int = 1) -> tuple[list[str], Iterator[RawRow]]:
    headers: list[str] | None = None
    number = first_row_number - 1
    for cells in table:
        number += 1
        if sum(1 for cell in cells if cell) >= 2:
            headers = [cell.strip() for cell in cells]
            break
    if headers is None:
        raise UnreadableFile("no header row found: the file is empty")
    names = [name or (f"__column_{index + 1}" if index else "__first_column") for index, name in enumerate(headers)]
    header_row = number

    def rows() -> Iterator[RawRow]:
        row_number = header_row
        for cells in table:
            row_number += 1
            raw = {name: (cells[index] if index < len(cells) else "") for index, name in enumerate(names)}
            raw[ROW_KEY] = str(row_number)
            yield raw

    return names, rows()


def read_table(path: str | Path, limits: Limits = Limits()) -> tuple[list[str], Iterator[RawRow]]:
    """Column names and a lazy iterator of raw rows. Headerless columns are named ``__first_column`` etc.

    A file beyond ``limits`` raises ``UnreadableFile``: at once for its size, while reading for its rows."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt", ".tsv"):
        raise UnreadableFile(f"unsupported file type {suffix or '(none)'}: give a .csv or .xlsx file")
    check_size(path, limits)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, limits)
    return _read_csv(path, limits)


def _read_csv(path: Path, limits: Limits) -> tuple[list[str], Iterator[RawRow]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"the file is not UTF-8 text (byte {error.start})") from error
    sample = text[:20000]
    delimiter = max((";", ",", "\t"), key=lambda d: sample.split("\n", 1)[0].count(d))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return _rows_from_table(_bounded(([cell.strip() for cell in row] for row in reader), limits))


def _read_xlsx(path: Path, limits: Limits) -> tuple[list[str], Iterator[RawRow]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken file
        raise UnreadableFile(f"not a readable XLSX workbook: {error}") from error
    sheet = workbook.worksheets[0]
    declared_rows = sheet.max_row or 0  # the sheet's own <dimension>: cheap, and checked again while reading
    if declared_rows > limits.max_rows + 1:
        workbook.close()
        raise UnreadableFile(f"the file has {declared_rows - 1:,} rows, more than the {limits.max_rows:,} allowed")

    def table() -> Iterator[list[str]]:
        try:
            for row in sheet.iter_rows(values_only=True):
                yield [_cell_text(value) for value in row]
        finally:
            workbook.close()  # once read (or abandoned): read-only workbooks keep their file open until closed

    return _rows_from_table(_bounded(table(), limits))


def estimate_rows(path: str | Path) -> int:
    """A cheap upper bound of the data rows, for progress bars (lines of a CSV, rows of a sheet)."""
    path = Path(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            import openpyxl

            workbook = openpyxl.load_workbook(path, read_only=True)
            try:
                return max(0, (workbook.worksheets[0].max_row or 1) - 1)
            finally:
                workbook.close()  # read-only workbooks keep their file open until closed
        with path.open("rb") as handle:
            return max(0, sum(1 for _ in handle) - 1)
    except Exception:  # an unreadable file is reported by the import itself
        return 0


def frame_of_rows(names: list[str], rows: Iterable[RawRow]) -> pl.DataFrame:
    """Raw rows as one table of text: the named columns ("" when empty) and ROW_KEY (the file's row number)."""
    data: dict[str, list[Any]] = {name: [] for name in names}
    numbers: list[int] = []
    for raw in rows:
        numbers.append(int(raw[ROW_KEY]))
        for name in names:
            data[name].append(raw.get(name) or "")
    columns = [pl.Series(name, values, dtype=pl.String) for name, values in data.items()]
    return pl.DataFrame([*columns, pl.Series(ROW_KEY, numbers, dtype=pl.Int64)])


def read_frame(path: str | Path, limits: Limits = Limits()) -> tuple[list[str], pl.DataFrame]:
    """Column names and the table of a file (see frame_of_rows). A CSV file is parsed by polars (the same
    records, row numbers and cells as the csv module gives), other files through read_table."""
    path = Path(path)
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        check_size(path, limits)
        fast = _read_csv_frame(path)
        if fast is not None:
            names, table = fast
            _check_row(1, names, limits)
            if table.height > limits.max_rows:
                raise UnreadableFile(f"the file has {table.height:,} rows, more than the {limits.max_rows:,} allowed")
            longest = table.select(pl.exclude(ROW_KEY).str.len_chars().max()).max_horizontal().item()
            if longest is not None and longest > MAX_CELL_CHARACTERS:
                raise UnreadableFile(f"a cell holds {longest:,} characters, more than the {MAX_CELL_CHARACTERS:,} a "
                                     "spreadsheet cell can hold")
            return names, table
    names, rows = read_table(path, limits)
    return names, frame_of_rows(names, rows)


def _read_csv_frame(path: Path) -> tuple[list[str], pl.DataFrame] | None:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"the file is not UTF-8 text (byte {error.start})") from error
    if "\r" in text.replace("\r\n", ""):  # lone carriage returns: leave those files to the csv module
        return None
    delimiter = max((";", ",", "\t"), key=lambda d: text[:20000].split("\n", 1)[0].count(d))
    try:
        table = pl.read_csv(text.encode(), has_header=False, infer_schema=False, separator=delimiter,
                            truncate_ragged_lines=True, quote_char='"')
    except (pl.exceptions.PolarsError, ValueError):
        return None
    table = table.select(pl.all().fill_null("").str.strip_chars())
    if table.is_empty() or sum(1 for cell in table.row(0) if cell) < 2:
        return None  # the header is not on the first line: the csv module's path finds it
    header_index = 0
    headers = list(table.row(header_index))
    names = [name or (f"__column_{index + 1}" if index else "__first_column") for index, name in enumerate(headers)]
    if len(set(names)) < len(names):
        return None
    body = table.slice(header_index + 1)
    body.columns = names
    numbers = pl.Series(ROW_KEY, range(header_index + 2, header_index + 2 + body.height), dtype=pl.Int64)
    return names, body.with_columns(numbers)
