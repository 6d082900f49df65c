"""Importing real recordings into a real workspace: copies, links, duplicates, bad files, odd names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bad_audio import make_bad_files

from empathy_audit.importing.importer import ImportOptions, import_paths
from empathy_audit.importing.metadata import load_metadata
from empathy_audit.jobs import CancelToken
from empathy_audit.store.calls import list_calls


def test_import_folder_copies_audio_by_hash(workspace, audio_dir: Path) -> None:
    report = import_paths(workspace, [audio_dir], ImportOptions(agent="Sam", team="Blue"))
    assert len(report.imported) == len(list(audio_dir.iterdir())) and not report.failed and not report.duplicates
    calls = list_calls(workspace.db)
    assert {c.original_name for c in calls} == {p.name for p in audio_dir.iterdir()}
    for call in calls:
        stored = workspace.audio_path(call.stored_path)
        assert stored.is_file() and stored.parent.parent == workspace.media_dir
        assert stored.name.startswith(call.sha256)
        assert stored.read_bytes() == (audio_dir / call.original_name).read_bytes()
        assert (call.agent, call.team, call.status, call.linked) == ("Sam", "Blue", "new", False)
    stereo = next(c for c in calls if c.channels == 2)
    assert stereo.codec == "pcm_mulaw" and stereo.sample_rate == 8000
    assert not list(workspace.media_dir.glob(".import-*"))


def test_link_keeps_audio_in_place(workspace, audio_dir: Path) -> None:
    report = import_paths(workspace, [audio_dir / "mono.flac"], ImportOptions(link=True))
    call = list_calls(workspace.db)[0]
    assert report.imported and call.linked
    assert workspace.audio_path(call.stored_path) == (audio_dir / "mono.flac").resolve()
    assert not any(workspace.media_dir.rglob("*.flac"))


def test_duplicates_are_reported_and_skipped(workspace, audio_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "renamed copy.wav"
    shutil.copy(audio_dir / "mono_16k.wav", copy)
    first = import_paths(workspace, [audio_dir / "mono_16k.wav"])
    second = import_paths(workspace, [audio_dir / "mono_16k.wav", copy])
    assert len(first.imported) == 1
    assert not second.imported
    assert [d.existing_call_id for d in second.duplicates] == [first.imported[0].call_id] * 2
    assert len(list_calls(workspace.db)) == 1
    assert len(list(workspace.media_dir.rglob("*.wav"))) == 1


def test_bad_files_fail_one_by_one_and_leave_nothing(workspace, audio_dir: Path, tmp_path: Path) -> None:
    bad = make_bad_files(tmp_path / "bad")
    good = tmp_path / "bad" / "good call.wav"
    shutil.copy(audio_dir / "mono_16k.wav", good)
    report = import_paths(workspace, [tmp_path / "bad", tmp_path / "missing.wav"])
    assert [i.original_name for i in report.imported] == ["good call.wav"]
    reasons = {Path(f.path).name: f.error for f in report.failed}
    for path, expected in bad.values():
        assert expected in reasons[path.name], (path.name, reasons.get(path.name))
    assert "does not exist" in reasons["missing.wav"]
    assert len(list_calls(workspace.db)) == 1
    media = [p for p in workspace.media_dir.rglob("*") if p.is_file()]
    assert len(media) == 1, media  # only the good call's copy; no half-written files


@pytest.mark.parametrize(
    "name", ["with spaces.wav", 'quote\'s "double".wav', "ünïcødé 通话.wav", "-leading-dash.wav", "a;b&c.wav"]
)
def test_awkward_file_names(workspace, audio_dir: Path, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    shutil.copy(audio_dir / "mono_8k_alaw.wav", path)
    report = import_paths(workspace, [path])
    assert [i.original_name for i in report.imported] == [name], report.failed


def test_folder_scan_skips_non_audio_and_hidden(workspace, audio_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(audio_dir / "mono.mp3", folder / "sub" / "a.mp3")
    shutil.copy(audio_dir / "mono.flac", folder / ".hidden.flac")
    (folder / "metadata.csv").write_text("file,agent\n")
    report = import_paths(workspace, [folder])
    assert [i.original_name for i in report.imported] == ["a.mp3"] and not report.failed


def test_cancel_stops_the_batch_and_cleans_up(workspace, audio_dir: Path) -> None:
    token = CancelToken()

    def cancel_after_first(fraction: float, message: str) -> None:
        token.cancel()

    report = import_paths(workspace, [audio_dir], report=cancel_after_first, cancel=token)
    assert report.cancelled and len(report.imported) == 1
    assert not list(workspace.media_dir.glob(".import-*"))
    assert len([p for p in workspace.media_dir.rglob("*") if p.is_file()]) == 1


def test_metadata_csv_fills_call_fields(workspace, audio_dir: Path, tmp_path: Path) -> None:
    csv_path = tmp_path / "export.csv"
    csv_path.write_text(
        "\ufeffRecording File;Agent Name;Team;Customer ID;Call Start;Queue\n"
        "mono.mp3;Ana;Red;C-17;14/07/2026 09:30;Billing\n"
        "mono.flac;Ben;Red;C-18;not a date;Tech\n"
        "ghost.wav;Cy;Red;C-19;15/07/2026 10:00;Tech\n",
        encoding="utf-8",
    )
    meta = load_metadata(csv_path)
    report = import_paths(
        workspace, [audio_dir / "mono.mp3", audio_dir / "mono.flac"], ImportOptions(team="Default", metadata=meta)
    )
    calls = {c.original_name: c for c in list_calls(workspace.db)}
    assert calls["mono.mp3"].agent == "Ana" and calls["mono.mp3"].team == "Red"
    assert calls["mono.mp3"].customer_id == "C-17" and calls["mono.mp3"].queue == "Billing"
    assert calls["mono.mp3"].call_start == "2026-07-14T09:30:00"
    assert calls["mono.flac"].agent == "Ben" and calls["mono.flac"].call_start is None
    assert [(p.line, "not a date" in p.message) for p in report.metadata_problems] == [(3, True)]
    assert [p.line for p in report.metadata_unused] == [4]


def test_metadata_matches_external_id_to_file_stem(workspace, audio_dir: Path, tmp_path: Path) -> None:
    recording = tmp_path / "CALL-000123.wav"
    shutil.copy(audio_dir / "mono_16k.wav", recording)
    csv_path = tmp_path / "ids.tsv"
    csv_path.write_text("Call ID\tAgent\tDate\nCALL-000123\tDee\t2026-08-01T08:15:00Z\n")
    import_paths(workspace, [recording], ImportOptions(metadata=load_metadata(csv_path)))
    call = list_calls(workspace.db)[0]
    assert (call.external_id, call.agent, call.call_start) == ("CALL-000123", "Dee", "2026-08-01T08:15:00+00:00")
