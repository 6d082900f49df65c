"""Outcomes import: CSAT and churn exports matched to calls, validated whole before anything is written.

`plan_outcomes` reads and checks a file and lists every problem with its line number;
`apply_outcomes` writes the good rows in one transaction. Re-importing the same file
changes nothing: each call has one outcome row, merged field by field.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from empathy_audit.importing.attach import name_keys
from empathy_audit.importing.csv_reading import (
    CsvTable,
    DateParser,
    RowProblem,
    assign_columns,
    normalise_header,
    read_csv,
)
from empathy_audit.outcomes.fields import clean_comment, parse_handle_time, parse_value, tier_rank, tier_ranks
from empathy_audit.store.outcomes import OutcomeWrite, call_keys, save_outcomes

FIELDS = (
    "call_id", "file", "customer_id", "csat", "churn", "churn_date", "customer_value", "tier", "handle_time", "comment",
)  # fmt: skip
OUTCOME_FIELDS = ("csat", "churn", "churn_date", "customer_value", "tier", "handle_time", "comment")
GUESSES: dict[str, list[str]] = {
    "call_id": ["call_id", "external_id", "external_call_id", "interaction_id", "call_reference", "call_ref", "call"],
    "file": ["file", "file_name", "filename", "recording", "recording_file"],
    "customer_id": ["customer_id", "customer", "account_id", "account", "customer_number"],
    "csat": ["csat", "csat_score", "satisfaction", "customer_satisfaction", "survey_score", "score"],
    "churn": ["churned", "churn", "cancelled", "canceled", "left", "lost"],
    "churn_date": ["churn_date", "churned_on", "cancelled_on", "cancellation_date", "cancel_date"],
    "customer_value": [
        "customer_value", "value", "account_value", "lifetime_value", "ltv", "clv", "arr", "mrr", "revenue",
        "annual_revenue", "contract_value", "spend", "annual_spend",
    ],
    "tier": ["tier", "customer_tier", "value_tier", "account_tier", "segment", "customer_segment", "vip"],
    "handle_time": [
        "handle_time", "aht", "handle_time_s", "handling_time", "handle_seconds", "handle_secs", "talk_time",
    ],
    "comment": [
        "comment", "comments", "customer_comment", "survey_comment", "verbatim", "feedback", "free_text",
        "open_feedback", "csat_comment", "remarks",
    ],
}  # fmt: skip
SCALES = {"1-5": (1.0, 5.0), "1-10": (1.0, 10.0), "0-10": (0.0, 10.0), "0-100": (0.0, 100.0), "percent": (0.0, 100.0)}
TRUE_WORDS = {"yes", "y", "true", "t", "1", "churned", "cancelled", "canceled", "lost", "left"}
FALSE_WORDS = {"no", "n", "false", "f", "0", "retained", "active", "stayed", "kept"}


class OutcomesProblem(ValueError):
    """The whole file cannot be used (no way to match rows to calls, no outcome columns)."""


@dataclass
class OutcomeRow:
    line: int
    call_ids: list[int]
    match: str  # how it matched: call id, file name or customer id
    csat: float | None = None  # normalised 0..1
    csat_raw: str | None = None
    churned: bool | None = None
    churn_date: str | None = None
    value: float | None = None
    tier: str | None = None
    tier_rank: int | None = None
    handle_s: float | None = None
    comment: str | None = None

    def values(self) -> tuple:
        return (
            self.csat, self.churned, self.churn_date, self.value, self.tier, self.tier_rank, self.handle_s,
            self.comment,
        )  # fmt: skip


@dataclass
class OutcomePlan:
    source: Path
    mapping: dict[str, str | None]  # field -> column header (normalised)
    scale: str | None
    rows: list[OutcomeRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    total_rows: int = 0
    header: list[str] = field(default_factory=list)
    preview: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # columns guessed but not used, and why

    @property
    def calls_matched(self) -> int:
        return len({c for row in self.rows for c in row.call_ids})

    def as_json(self) -> dict[str, Any]:
        return {
            "source": str(self.source),
            "mapping": self.mapping,
            "csat_scale": self.scale,
            "rows": self.total_rows,
            "good_rows": len(self.rows),
            "calls_matched": self.calls_matched,
            "problems": [p.as_json() for p in self.problems],
            "notes": self.notes,
        }


def guess_mapping(header: list[str]) -> dict[str, str | None]:
    """Columns guessed from header names such as 'Call ID', 'CSAT (1-5)', 'Churned?'."""
    return assign_columns(header, GUESSES)


def parse_number(text: str) -> float:
    """'4', '4.5', '4,5' (decimal comma), '87%', ' 1 234,5 ' -> float; ValueError otherwise."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if re.fullmatch(r"-?\d+,\d+", cleaned):
        cleaned = cleaned.replace(",", ".")
    return float(cleaned)


def detect_scale(values: list[str]) -> str | None:
    """The CSAT scale a column uses, from its values."""
    numbers = []
    for value in values:
        if not value.strip():
            continue
        if value.strip().endswith("%"):
            return "percent"
        try:
            numbers.append(parse_number(value))
        except ValueError:
            continue
    if not numbers:
        return None
    low, high = min(numbers), max(numbers)
    if high <= 5 and low >= 1:
        return "1-5"
    if high <= 10:
        return "0-10" if low < 1 else "1-10"
    return "0-100"


def scale_from_header(column: str) -> str | None:
    """'csat_1_10' -> '1-10', 'csat_percent' -> 'percent': the header says the scale when values cannot."""
    for pattern, scale in (
        (r"(^|_)1_10($|_)", "1-10"),
        (r"(^|_)0_10($|_)", "0-10"),
        (r"(^|_)1_5($|_)", "1-5"),
        (r"(^|_)0_100($|_)", "0-100"),
        (r"(^|_)(percent|pct)($|_)", "percent"),
    ):
        if re.search(pattern, column):
            return scale
    return None


def normalise_csat(value: float, scale: str) -> float:
    low, high = SCALES[scale]
    return round((value - low) / (high - low), 6)


def parse_churn(text: str, dates: DateParser | None) -> tuple[bool | None, str | None]:
    """(churned, churn date). A date means churned on that date; empty means unknown."""
    word = text.strip().lower().rstrip("?")
    if not word:
        return None, None
    if word in TRUE_WORDS:
        return True, None
    if word in FALSE_WORDS:
        return False, None
    parser = dates or DateParser([text])
    try:
        return True, parser.parse(text)[:10]
    except ValueError as exc:
        raise ValueError(f"churn '{text}' is not yes/no, true/false, 1/0 or a date") from exc


def _call_index(db: sqlite_utils.Database) -> tuple[dict[str, list[int]], dict[str, list[int]], dict[str, list[int]]]:
    by_external: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    by_customer: dict[str, list[int]] = {}
    for call_id, external, name, customer in call_keys(db):
        if external:
            by_external.setdefault(external.casefold(), []).append(call_id)
        for key in name_keys(name):  # whole, without its extension, before its first dot
            if call_id not in by_name.setdefault(key, []):
                by_name[key].append(call_id)
        if customer:
            by_customer.setdefault(customer.casefold(), []).append(call_id)
    return by_external, by_name, by_customer


def _by_name(text: str, by_name: dict[str, list[int]]) -> list[int]:
    for key in name_keys(text):
        if key in by_name:
            return by_name[key]
    return []


def plan_outcomes(
    db: sqlite_utils.Database,
    path: Path,
    overrides: dict[str, str] | None = None,
    scale: str | None = None,
    tier_order: list[str] | None = None,
) -> OutcomePlan:
    """Read and validate an outcomes file; nothing is written."""
    table: CsvTable = read_csv(path)
    mapping = guess_mapping(table.header)
    for name, column in (overrides or {}).items():
        if name not in FIELDS:
            raise OutcomesProblem(f"--map {name}=...: unknown field; use one of {', '.join(FIELDS)}")
        key = normalise_header(column)
        if key not in table.header:
            raise OutcomesProblem(f"{path}: no column named '{column}' (columns: {', '.join(table.header)})")
        mapping[name] = key
    if not any(mapping[k] for k in ("call_id", "file", "customer_id")):
        raise OutcomesProblem(
            f"{path}: no column to match rows to calls; map one with --map call_id=COLUMN (or file=, customer_id=). "
            f"Columns: {', '.join(table.header)}"
        )
    if not any(mapping[k] for k in OUTCOME_FIELDS):
        raise OutcomesProblem(
            f"{path}: no CSAT, churn, value, tier, handle time or comment column found; map one with "
            f"--map csat=COLUMN (or churn=, customer_value=, tier=, handle_time=, comment=). "
            f"Columns: {', '.join(table.header)}"
        )
    if scale is not None and scale not in SCALES:
        raise OutcomesProblem(f"unknown CSAT scale '{scale}'; use one of {', '.join(SCALES)}")
    csat_col = mapping["csat"]
    if csat_col and scale is None:
        scale = scale_from_header(csat_col) or detect_scale([cells.get(csat_col, "") for _l, cells in table.rows])
    ranks: dict[str, int] = {}
    notes: list[str] = []
    if mapping["tier"]:
        try:
            ranks = tier_ranks([cells.get(mapping["tier"], "") for _l, cells in table.rows], tier_order)
        except ValueError as exc:
            if "tier" in (overrides or {}) or tier_order:
                raise OutcomesProblem(f"{path}: {exc}") from None
            # A guessed column ("Segment") whose names have no known order must not stop a CSAT import.
            notes.append(f"column '{mapping['tier']}' not used as the customer tier: {exc}")
            mapping["tier"] = None
    if not any(mapping[k] for k in OUTCOME_FIELDS):
        raise OutcomesProblem(f"{path}: no outcome column left to import ({'; '.join(notes)})")
    date_col = mapping["churn_date"] or mapping["churn"]
    dates = DateParser([cells.get(date_col, "") for _l, cells in table.rows]) if date_col else None
    plan = OutcomePlan(
        source=path,
        mapping=mapping,
        scale=scale,
        total_rows=len(table.rows),
        header=table.header,
        preview=[cells for _l, cells in table.rows[:20]],
        notes=notes,
    )
    by_external, by_name, by_customer = _call_index(db)
    seen: dict[int, OutcomeRow] = {}
    for line, cells in table.rows:
        row = _plan_row(line, cells, mapping, scale, dates, by_external, by_name, by_customer, plan.problems)
        if row is None or not _details(row, cells, mapping, ranks, plan.problems):
            continue
        if all(v is None for v in row.values()):
            plan.problems.append(RowProblem(line, "missing value: no CSAT, churn, value, tier, handle time or comment"))
            continue
        conflict = next((seen[c] for c in row.call_ids if c in seen and not _same(seen[c], row)), None)
        if conflict is not None:
            plan.problems.append(RowProblem(line, f"conflicts with line {conflict.line} for the same call"))
            continue
        if any(c in seen for c in row.call_ids):
            continue  # an exact duplicate of an earlier row: harmless
        for call_id in row.call_ids:
            seen[call_id] = row
        plan.rows.append(row)
    return plan


def _same(a: OutcomeRow, b: OutcomeRow) -> bool:
    return a.values() == b.values()


def _details(
    row: OutcomeRow, cells: dict[str, str], mapping: dict[str, str | None], ranks: dict[str, int], problems: list
) -> bool:
    """Value, tier, handle time and comment into the row; False (and a problem listed) when one is unreadable."""

    def cell(name: str) -> str:
        column = mapping.get(name)
        return cells.get(column, "").strip() if column else ""

    try:
        if cell("customer_value"):
            row.value = parse_value(cell("customer_value"))
        if cell("handle_time"):
            row.handle_s = parse_handle_time(cell("handle_time"))
    except ValueError as exc:
        problems.append(RowProblem(row.line, str(exc)))
        return False
    if cell("tier"):
        row.tier, row.tier_rank = " ".join(cell("tier").split()), tier_rank(cell("tier"), ranks)
    if cell("comment"):
        row.comment = clean_comment(cell("comment")) or None
    return True


def _plan_row(
    line: int,
    cells: dict[str, str],
    mapping: dict[str, str | None],
    scale: str | None,
    dates: DateParser | None,
    by_external: dict[str, list[int]],
    by_name: dict[str, list[int]],
    by_customer: dict[str, list[int]],
    problems: list[RowProblem],
) -> OutcomeRow | None:
    def cell(name: str) -> str:
        column = mapping.get(name)
        return cells.get(column, "").strip() if column else ""

    keys = {name: cell(name) for name in ("call_id", "file", "customer_id")}
    if not any(keys.values()):
        problems.append(RowProblem(line, "missing value: no call id, file name or customer id"))
        return None
    call_ids: list[int] = []
    match = ""
    if keys["call_id"]:
        call_ids, match = by_external.get(keys["call_id"].casefold(), []), "call id"
        if not call_ids:  # recordings are very often named by their call id
            call_ids, match = _by_name(keys["call_id"], by_name), "file name"
    if not call_ids and keys["file"]:
        call_ids, match = _by_name(keys["file"], by_name), "file name"
    if not call_ids and keys["customer_id"]:
        call_ids, match = by_customer.get(keys["customer_id"].casefold(), []), "customer id"
    if not call_ids:
        described = ", ".join(f"{k.replace('_', ' ')} '{v}'" for k, v in keys.items() if v)
        asked = (keys["call_id"] or keys["file"]).casefold()
        close = difflib.get_close_matches(asked, sorted(by_name), n=3, cutoff=0.6) if asked else []
        hint = f"; nearest names here: {', '.join(close)}" if close else ""
        problems.append(RowProblem(line, f"unknown call: no call in the workspace has {described}{hint}"))
        return None
    row = OutcomeRow(line=line, call_ids=sorted(set(call_ids)), match=match)
    raw_csat = cell("csat")
    if raw_csat:
        try:
            value = parse_number(raw_csat)
        except ValueError:
            problems.append(RowProblem(line, f"CSAT '{raw_csat}' is not a number"))
            return None
        low, high = SCALES[scale or "1-5"]
        if not low <= value <= high:
            problems.append(RowProblem(line, f"CSAT {raw_csat} is out of range for a {scale} scale"))
            return None
        row.csat, row.csat_raw = normalise_csat(value, scale or "1-5"), raw_csat
    try:
        if cell("churn"):
            row.churned, row.churn_date = parse_churn(cell("churn"), dates)
        if cell("churn_date"):
            row.churned, row.churn_date = True, (dates or DateParser([])).parse(cell("churn_date"))[:10]
    except ValueError as exc:
        problems.append(RowProblem(line, str(exc)))
        return None
    return row


def apply_outcomes(db: sqlite_utils.Database, plan: OutcomePlan) -> int:
    """Write the plan's good rows in one transaction; returns the number of calls updated."""
    writes = [
        OutcomeWrite(
            call_id, row.line, row.csat, row.csat_raw, row.churned, row.churn_date, row.value, row.tier,
            row.tier_rank, row.handle_s, row.comment,
        )
        for row in plan.rows
        for call_id in row.call_ids
    ]  # fmt: skip
    return save_outcomes(db, plan.source.name, plan.scale, writes)
