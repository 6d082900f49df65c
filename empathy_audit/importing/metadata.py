"""Call metadata CSVs: file name or external id -> agent, team, customer, start time, queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from empathy_audit.importing.csv_reading import CsvProblem, DateParser, RowProblem, assign_columns, read_csv

COLUMNS: dict[str, list[str]] = {
    "file": ["file", "file_name", "filename", "recording", "recording_file", "audio_file", "path"],
    "external_id": ["external_id", "external_call_id", "call_id", "interaction_id", "call"],
    "agent": ["agent", "agent_name"],
    "team": ["team", "team_name"],
    "customer_id": ["customer_id", "customer", "account_id", "account"],
    "call_start": ["call_start", "start_time", "started_at", "call_date", "datetime", "timestamp", "date", "start"],
    "queue": ["queue", "topic", "queue_topic", "skill"],
}
VALUE_FIELDS = ("agent", "team", "customer_id", "external_id", "call_start", "queue")


@dataclass
class MetadataRow:
    line: int
    values: dict[str, str]
    used: bool = False


@dataclass
class CallMetadata:
    source: Path
    delimiter: str
    encoding: str
    date_order: str
    by_name: dict[str, MetadataRow] = field(default_factory=dict)
    by_external_id: dict[str, MetadataRow] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)

    def lookup(self, path: Path) -> MetadataRow | None:
        """The row for an audio file: by file name, then name without extension, then external id."""
        name = path.name.casefold()
        row = self.by_name.get(name) or self.by_name.get(path.stem.casefold())
        if row is None:
            row = self.by_external_id.get(path.stem.casefold())
        if row is not None:
            row.used = True
        return row

    def unused_rows(self) -> list[MetadataRow]:
        seen: dict[int, MetadataRow] = {}
        for row in [*self.by_name.values(), *self.by_external_id.values()]:
            seen.setdefault(row.line, row)
        return [row for row in seen.values() if not row.used]


def load_metadata(path: Path) -> CallMetadata:
    """Read a metadata CSV. Whole-file problems raise CsvProblem; bad rows are listed, not fatal."""
    table = read_csv(path)
    columns = assign_columns(table.header, COLUMNS)
    if columns["file"] is None and columns["external_id"] is None:
        raise CsvProblem(
            f"{path}: needs a column naming each call's file (e.g. 'file') or its id (e.g. 'call_id'); "
            f"found columns: {', '.join(h for h in table.header if h) or 'none'}"
        )
    start_col = columns["call_start"]
    dates = DateParser(cells.get(start_col, "") for _, cells in table.rows) if start_col else None
    meta = CallMetadata(
        source=path,
        delimiter=table.delimiter,
        encoding=table.encoding,
        date_order=dates.order if dates else "day",
    )
    for line, cells in table.rows:
        values = {key: cells.get(col or "", "").strip() for key, col in columns.items() if col}
        file_key = values.pop("file", "")
        external_id = values.get("external_id", "")
        if not file_key and not external_id:
            meta.problems.append(RowProblem(line, "no file name or call id in this row"))
            continue
        if dates is not None and values.get("call_start"):
            try:
                values["call_start"] = dates.parse(values["call_start"])
            except ValueError as exc:
                meta.problems.append(RowProblem(line, f"call start: {exc}"))
                values.pop("call_start")
        row = MetadataRow(line=line, values={k: v for k, v in values.items() if v})
        if file_key:
            key = Path(file_key.replace("\\", "/")).name.casefold()
            if key in meta.by_name:
                first = meta.by_name[key].line
                meta.problems.append(RowProblem(line, f"file '{file_key}' is already described on line {first}"))
                continue
            meta.by_name[key] = row
        elif external_id:
            key = external_id.casefold()
            if key in meta.by_external_id:
                first = meta.by_external_id[key].line
                meta.problems.append(RowProblem(line, f"call id '{external_id}' is already described on line {first}"))
                continue
            meta.by_external_id[key] = row
    return meta
