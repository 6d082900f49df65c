"""Reading messy CSV exports: encodings, delimiters, header names, dates.

Shared by call metadata import and (later) outcomes import.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

DELIMITERS = ",;\t|"


class CsvProblem(ValueError):
    """The whole file cannot be read; the message says why."""


@dataclass
class RowProblem:
    """One bad row of a CSV file, with its line number."""

    line: int
    message: str

    def as_json(self) -> dict[str, object]:
        return {"line": self.line, "error": self.message}


@dataclass
class CsvTable:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, normalised header -> cell)
    delimiter: str
    encoding: str


def decode_text(raw: bytes, name: str) -> tuple[str, str]:
    """Decode exported text: UTF-8 (BOM or not), UTF-16 with BOM (Excel 'Unicode text'), else Windows-1252."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise CsvProblem(f"{name}: not UTF-8 or Windows-1252 text; save it as CSV (UTF-8) and try again") from exc


def normalise_header(name: str) -> str:
    """'Call ID' -> 'call_id', 'CSAT (1-5)' -> 'csat_1_5'."""
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def sniff_delimiter(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()][:20]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        # Fall back to the delimiter that splits the header into the most columns.
        return max(DELIMITERS, key=lambda d: lines[0].count(d))


def read_csv(path: Path) -> CsvTable:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CsvProblem(f"{path}: cannot be read ({exc.strerror})") from exc
    text, encoding = decode_text(raw, str(path))
    if not text.strip():
        raise CsvProblem(f"{path}: the file is empty")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [normalise_header(cell) for cell in record]
                _check_header(path, record, header)
                continue
            cells = {header[i]: cell.strip() for i, cell in enumerate(record) if i < len(header) and header[i]}
            rows.append((line, cells))
    except csv.Error as exc:
        reason = str(exc)
        if "field larger than field limit" in reason:
            reason = f"a cell is longer than {csv.field_size_limit():,} characters, which no export has"
        raise CsvProblem(f"{path}, line {reader.line_num}: {reason}; is this the right file?") from None
    if header is None:
        raise CsvProblem(f"{path}: no header row found")
    return CsvTable(header=header, rows=rows, delimiter=delimiter, encoding=encoding)


def _check_header(path: Path, record: list[str], header: list[str]) -> None:
    """Two columns with the same name: which one holds the values is a guess, so the file is refused."""
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if not name:
            continue
        if name in seen:
            raise CsvProblem(
                f"{path}: the header names “{record[i].strip()}” twice (columns {seen[name] + 1} and {i + 1}); "
                "rename or remove one so it is clear which to use"
            )
        seen[name] = i


def assign_columns(header: Iterable[str], fields: dict[str, list[str]]) -> dict[str, str | None]:
    """A column for each field, none used twice: exact names first ('call_start' is the start, never the
    call id because it begins with 'call'), then names that begin with a candidate."""
    names = list(header)
    chosen: dict[str, str | None] = {}
    for field_name, candidates in fields.items():
        chosen[field_name] = next((c for c in candidates if c in names and c not in chosen.values()), None)
    for field_name, candidates in fields.items():
        if chosen[field_name] is None:
            taken = set(chosen.values())
            chosen[field_name] = next(
                (n for c in candidates for n in names if n.startswith(c + "_") and n not in taken), None
            )
    return chosen


_DATE_FORMATS_ISO = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
]
_TIME_SUFFIXES = [" %H:%M:%S", " %H:%M", "", " %I:%M:%S %p", " %I:%M %p"]
_NAMED_MONTH = ["%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%d-%b-%Y", "%d-%b-%y"]


def _numeric_order(values: Iterable[str]) -> str:
    """Decide day-first or month-first for a whole column of dd/mm vs mm/dd dates."""
    for value in values:
        match = re.match(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-]\d{2,4}", value)
        if not match:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            return "day"
        if second > 12 >= first:
            return "month"
    return "day"


class DateParser:
    """Parses a column's dates; the day/month order is decided once from the whole column."""

    def __init__(self, column_values: Iterable[str]) -> None:
        self.order = _numeric_order(column_values)

    def parse(self, value: str) -> str:
        """Return ISO 8601: a date and time to the second, or just the date when no time was given (so a
        date-only export never shows a made-up "00:00"). ValueError with a readable reason otherwise."""
        text = value.strip().replace("T", " ").rstrip("Z")
        text = re.sub(r"(\d:\d\d)\.\d+$", r"\1", text)  # drop fractional seconds
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            return moment.isoformat(timespec="seconds") if ":" in value else moment.date().isoformat()
        except ValueError:
            pass
        formats = list(_DATE_FORMATS_ISO)
        lead = "%d/%m/%Y" if self.order == "day" else "%m/%d/%Y"
        for sep in "/.-":
            for year in ("%Y", "%y"):
                base = lead.replace("/", sep).replace("%Y", year)
                formats += [base + suffix for suffix in _TIME_SUFFIXES]
        formats += [f + suffix for f in _NAMED_MONTH for suffix in _TIME_SUFFIXES]
        cleaned = text.replace(",", "")
        for fmt in formats:
            try:
                moment = datetime.strptime(cleaned, fmt)
            except ValueError:
                continue
            return moment.isoformat(timespec="seconds") if "%H" in fmt or "%I" in fmt else moment.date().isoformat()
        raise ValueError(f"'{value}' is not a date this app can read (use e.g. 2026-07-14 09:30)")
