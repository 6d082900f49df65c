"""Metadata for calls already in the workspace: a CSV attached after the recordings were imported, or one
call's details typed in. Rows are matched to calls, shown with every problem by line, then applied."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from empathy_audit.domain import Call
from empathy_audit.importing.csv_reading import DateParser, RowProblem
from empathy_audit.importing.metadata import CallMetadata, MetadataRow, load_metadata

EDITABLE = ("agent", "team", "customer_id", "external_id", "call_start")
MAX_FIELD = 200  # names and ids longer than this are a wrong column, not a name


class MetadataProblem(ValueError):
    """A value that cannot be a call's agent, team, customer, id or start; the message says why."""


def name_keys(name: str) -> list[str]:
    """Keys a recording's file name is known by: whole, without its extension, before its first dot
    ('billing_high_empathy.stereo.flac' is also 'billing_high_empathy')."""
    folded = Path(name.replace("\\", "/")).name.casefold()
    keys = [folded, Path(folded).stem, folded.split(".")[0]]
    return list(dict.fromkeys(k for k in keys if k))


def clean_fields(values: dict[str, Any]) -> dict[str, str | None]:
    """Checked, trimmed values for EDITABLE fields; '' clears a field; a start is parsed to ISO 8601."""
    out: dict[str, str | None] = {}
    for key, value in values.items():
        if key not in EDITABLE:
            raise MetadataProblem(f"'{key}' is not a call detail that can be set ({', '.join(EDITABLE)})")
        if value is None:
            continue
        text = " ".join(str(value).split())
        if len(text) > MAX_FIELD:
            raise MetadataProblem(f"{key}: {len(text)} characters is longer than any real one (at most {MAX_FIELD})")
        if key == "call_start" and text:
            try:
                text = DateParser([text]).parse(text)
            except ValueError as exc:
                raise MetadataProblem(f"call start: {exc}") from None
        out[key] = text or None
    return out


@dataclass
class AttachMatch:
    line: int
    call: Call
    values: dict[str, str]  # what the row sets (only what it has)

    @property
    def changes(self) -> dict[str, str]:
        """What would change on the call (values it already has are left out)."""
        return {k: v for k, v in self.values.items() if getattr(self.call, k) != v}


@dataclass
class AttachPlan:
    source: Path
    matches: list[AttachMatch] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def calls_changed(self) -> int:
        return sum(1 for m in self.matches if m.changes)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.source),
            "matches": [
                {"line": m.line, "call_id": m.call.id, "original_name": m.call.original_name, "changes": m.changes}
                for m in self.matches
            ],
            "problems": [p.as_json() for p in self.problems],
            "calls_changed": self.calls_changed,
        }


def _nearest(key: str, names: list[str]) -> str:
    close = difflib.get_close_matches(key, names, n=3, cutoff=0.6)
    return f"; nearest: {', '.join(close)}" if close else ""


def plan_attach(path: Path, calls: list[Call]) -> AttachPlan:
    """Match a metadata CSV's rows to calls: by the call id column against each call's external id, then
    by file name (whole, without extension, before the first dot). Nothing is written."""
    meta: CallMetadata = load_metadata(path)
    plan = AttachPlan(path, problems=list(meta.problems))
    by_key: dict[str, list[Call]] = {}
    by_external: dict[str, list[Call]] = {}
    for call in calls:
        for key in name_keys(call.original_name):
            by_key.setdefault(key, []).append(call)
        if call.external_id:
            by_external.setdefault(call.external_id.casefold(), []).append(call)
    names = sorted({c.original_name for c in calls})
    rows: list[tuple[str, MetadataRow, bool]] = [(k, r, False) for k, r in meta.by_name.items()]
    rows += [(k, r, True) for k, r in meta.by_external_id.items()]
    for key, row, is_id in sorted(rows, key=lambda item: item[1].line):
        found = (by_external.get(key) or by_key.get(key, [])) if is_id else _by_file(key, by_key)
        unique = list({c.id: c for c in found}.values())
        what = f"call id '{key}'" if is_id else f"file '{key}'"
        if not unique:
            plan.problems.append(RowProblem(row.line, f"{what} matches no call here{_nearest(key, names)}"))
        elif len(unique) > 1:
            listed = ", ".join(c.original_name for c in unique[:3])
            plan.problems.append(
                RowProblem(row.line, f"{what} matches {len(unique)} calls ({listed}); use the full name")
            )
        else:
            values = {k: v for k, v in row.values.items() if k in EDITABLE}
            plan.matches.append(AttachMatch(row.line, unique[0], values))
    return plan


def _by_file(key: str, by_key: dict[str, list[Call]]) -> list[Call]:
    for candidate in name_keys(key):
        if candidate in by_key:
            return by_key[candidate]
    return []
