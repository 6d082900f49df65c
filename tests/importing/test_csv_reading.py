"""Messy CSV exports: delimiters, encodings, header names, dates, bad rows with line numbers."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from empathy_audit.importing.csv_reading import CsvProblem, DateParser, normalise_header, read_csv
from empathy_audit.importing.metadata import load_metadata


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_delimiters_and_encodings(tmp_path: Path, delimiter: str, encoding: str) -> None:
    text = delimiter.join(["file", "agent", "team"]) + "\r\n" + delimiter.join(["a.wav", "Zoë", "Sud-Est"]) + "\r\n"
    path = tmp_path / "m.csv"
    path.write_bytes(text.encode(encoding))
    table = read_csv(path)
    assert table.delimiter == delimiter
    assert table.rows == [(2, {"file": "a.wav", "agent": "Zoë", "team": "Sud-Est"})]


def test_quoted_cells_with_delimiters_inside(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text('file,agent\n"call, one.wav","Smith, Jo"\n')
    assert read_csv(path).rows[0][1] == {"file": "call, one.wav", "agent": "Smith, Jo"}


def test_header_names_are_normalised() -> None:
    assert normalise_header(" Call ID ") == "call_id"
    assert normalise_header("CSAT (1-5)") == "csat_1_5"


@pytest.mark.parametrize(
    ("values", "raw", "expected"),
    [
        (["2026-07-14 09:30"], "2026-07-14 09:30", "2026-07-14T09:30:00"),
        (["2026-07-14T09:30:05Z"], "2026-07-14T09:30:05Z", "2026-07-14T09:30:05+00:00"),
        (["14/07/2026 09:30", "03/07/2026"], "03/07/2026", "2026-07-03"),  # day first (14 > 12)
        (["07/14/2026", "07/03/2026"], "07/03/2026", "2026-07-03"),  # month first (14 > 12)
        (["14.07.2026"], "14.07.2026", "2026-07-14"),  # a date alone stays a date: no made-up 00:00
        (["14 Jul 2026"], "14 Jul 2026", "2026-07-14"),
        (["Jul 14, 2026 2:05 PM"], "Jul 14, 2026 2:05 PM", "2026-07-14T14:05:00"),
    ],
)
def test_common_date_formats(values: list[str], raw: str, expected: str) -> None:
    assert DateParser(values).parse(raw) == expected


def test_unreadable_date_says_what_to_use() -> None:
    with pytest.raises(ValueError, match="2026-07-14"):
        DateParser([]).parse("next tuesday")


def test_metadata_without_file_or_id_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("agent,team\nAna,Red\n")
    with pytest.raises(CsvProblem, match="needs a column"):
        load_metadata(path)


def test_metadata_bad_rows_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"file,agent,start\n\na.wav,Ana,2026-01-01\n,Bo,2026-01-02\na.wav,Cy,x\n")
    meta = load_metadata(path)
    found = [(p.line, p.message) for p in meta.problems]
    assert [line for line, _ in found] == [4, 5, 5]
    assert "no file name or call id" in found[0][1]
    assert found[1][1].startswith("call start: 'x' is not a date")
    assert "already described on line 3" in found[2][1]


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(b"")
    with pytest.raises(CsvProblem, match="empty"):
        read_csv(path)
