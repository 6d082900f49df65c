"""Review packs: merged by identity (idempotent, order-independent), checked whole, refused whole."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from review_helpers import score, state

from empathy_audit.importing.importer import ImportOptions, import_paths
from empathy_audit.packs.export import export_review_pack
from empathy_audit.packs.format import PackProblem, read_pack
from empathy_audit.packs.importer import import_pack, import_packs
from empathy_audit.store import open_workspace
from empathy_audit.store.library import LibraryFilter, library_rows
from empathy_audit.store.rubrics import save_rubric

AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "audio"


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and "workspace.db" not in p.name)


def test_same_pack_twice_changes_nothing_and_history_travels(make_ws, tmp_path: Path) -> None:
    ana, lead = make_ws("ana"), make_ws("lead")
    score(ana, 1, "Ana", [1, 1, 1])
    score(ana, 1, "Ana", [3, 2, 3])  # revised: the newer version counts, the older is history
    pack = export_review_pack(ana, tmp_path / "ana.eapack", made_by="Ana", reviewer="Ana")
    assert pack.reviews == 2 and pack.audio_files == 0 and pack.transcripts == 0
    first = import_pack(lead, pack.path, trust_new=True)
    assert (first.reviews_added, first.reviews_known) == (2, 0)
    snapshot = state(lead)
    again = import_pack(lead, pack.path, trust_new=True)
    assert (again.reviews_added, again.reviews_known) == (0, 2) and state(lead) == snapshot
    row = next(r for r in library_rows(lead.db, LibraryFilter()) if r["id"] == 1)
    assert row["reviewer"] == "Ana" and row["score"] == pytest.approx(8 / 3)


def test_newer_version_wins_whichever_pack_arrives_first(make_ws, tmp_path: Path) -> None:
    ana = make_ws("ana")
    score(ana, 1, "Ana", [1, 1, 1])
    old = export_review_pack(ana, tmp_path / "old.eapack", made_by="Ana", reviewer="Ana")
    score(ana, 1, "Ana", [3, 3, 3])
    new = export_review_pack(ana, tmp_path / "new.eapack", made_by="Ana", reviewer="Ana")
    forwards, backwards = make_ws("forwards"), make_ws("backwards")
    import_packs(forwards, [old.path, new.path], trust_new=True)
    import_packs(backwards, [new.path, old.path], trust_new=True)
    assert state(forwards) == state(backwards)
    assert state(forwards)["audit"][0][1] == pytest.approx(3.0)  # the newest version scores the call
    assert len(state(forwards)["reviews"]) == 2  # the older one stays as history


def test_reviews_of_calls_not_here_wait_for_their_audio(make_ws, tmp_path: Path) -> None:
    ana = make_ws("ana")
    score(ana, 1, "Ana", [2, 2, 2])
    pack = export_review_pack(ana, tmp_path / "ana.eapack", made_by="Ana", reviewer="Ana")
    lead = make_ws("lead", empty=True)
    result = import_pack(lead, pack.path, trust_new=True)
    assert result.calls_waiting == ["call_personal_data.wav"] and result.reviews_added == 1
    waiting = lead.db.execute("SELECT call_id, call_sha256 FROM reviews").fetchone()
    assert waiting[0] is None
    meta = lead.db.execute("SELECT original_name, agent, team FROM pack_calls").fetchone()
    assert meta == ("call_personal_data.wav", "Ana", "Blue")
    # Passed on (a lead sending the team's reviews further up), the waiting call keeps its metadata.
    onward = read_pack(export_review_pack(lead, tmp_path / "onward.eapack", made_by="Lena").path).json("calls.json")
    assert [(c["original_name"], c["agent"], c["team"]) for c in onward] == [("call_personal_data.wav", "Ana", "Blue")]
    # The recording arrives later, by an ordinary import: the review attaches to it.
    import_paths(lead, [AUDIO / "call_personal_data.wav"], ImportOptions())
    (row,) = library_rows(lead.db, LibraryFilter())
    assert row["reviewer"] == "Ana" and row["score"] == pytest.approx(2.0)


def _rewrite(src: Path, dst: Path, change) -> Path:
    """Copy a pack, letting `change(name, data)` alter members (the manifest stays as it was)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)
    return dst


def test_bad_packs_are_refused_whole_and_change_nothing(make_ws, tmp_path: Path) -> None:
    ana = make_ws("ana")
    score(ana, 1, "Ana", [2, 2, 2])
    score(ana, 2, "Ana", [1, 1, 1])
    good = export_review_pack(
        ana, tmp_path / "good.eapack", made_by="Ana", include_audio=True, include_transcripts=True
    ).path
    raw = good.read_bytes()
    bad: dict[str, tuple[Path, str]] = {}
    (tmp_path / "truncated.eapack").write_bytes(raw[: len(raw) // 2])
    bad["truncated"] = (tmp_path / "truncated.eapack", "cut short")
    (tmp_path / "text.eapack").write_text("hello")
    bad["not a zip"] = (tmp_path / "text.eapack", "not a pack")

    def tamper(name: str, data: bytes) -> bytes:
        if name == "reviews.json":
            return data.replace(b'"acknowledgment": 2', b'"acknowledgment": 3')
        return data

    bad["tampered"] = (_rewrite(good, tmp_path / "tampered.eapack", tamper), "reviews.json does not match its checksum")
    bad["missing file"] = (
        _rewrite(good, tmp_path / "missing.eapack", lambda n, d: None if n == "calls.json" else d),
        "calls.json is missing",
    )
    bad["extra file"] = (
        _rewrite(good, tmp_path / "extra.eapack", lambda n, d: d),
        "",
    )
    with zipfile.ZipFile(bad["extra file"][0], "a") as zf:
        zf.writestr("reviews-2.json", b"[]")
    bad["extra file"] = (bad["extra file"][0], "reviews-2.json”, which no pack holds")
    unlisted = _rewrite(good, tmp_path / "unlisted.eapack", lambda n, d: d)
    with zipfile.ZipFile(unlisted, "a") as zf:
        zf.writestr(f"transcripts/{'0' * 64}.json", b"{}")
    bad["unlisted file"] = (unlisted, "is not in the manifest")

    def newer(name: str, data: bytes) -> bytes:
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["format_version"] = 99
            return json.dumps(manifest).encode()
        return data

    bad["newer format"] = (_rewrite(good, tmp_path / "newer.eapack", newer), "newer than this app reads")

    lead = make_ws("lead", empty=True)
    before, files_before = state(lead), _files(lead.root)
    for label, (path, message) in bad.items():
        with pytest.raises(PackProblem, match=message):
            import_pack(lead, path, trust_new=True)
        assert state(lead) == before and _files(lead.root) == files_before, label
    # Bad and good together: the bad ones are reported, the good one still goes in.
    results = import_packs(lead, [bad["tampered"][0], good], trust_new=True)
    assert isinstance(results[0], PackProblem) and results[1].reviews_added == 2 and results[1].calls_added == 2


def test_a_pack_made_with_other_criteria_is_refused(make_ws, tmp_path: Path) -> None:
    ana = make_ws("ana")
    score(ana, 1, "Ana", [2, 2, 2])
    pack = export_review_pack(ana, tmp_path / "ana.eapack", made_by="Ana")
    lead = make_ws("lead", empty=True)
    save_rubric(
        lead.db,
        'name = "Short"\n\n[[criteria]]\nkey = "warmth"\nlabel = "Warmth"\n'
        'levels = ["none", "some", "good", "great"]\n',
    )
    before = state(lead)
    with pytest.raises(PackProblem, match="criteria acknowledgment, investigation, care, and no rubric here"):
        import_pack(lead, pack.path, trust_new=True)
    assert state(lead) == before


@pytest.fixture(scope="module")
def pack_set(personal_data_template: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Four packs from two reviewers, with revisions spread across them."""
    import shutil

    out = tmp_path_factory.mktemp("packs")
    paths = []
    for reviewer, rounds in (("Ana", [[1, 1, 1], [2, 2, 3]]), ("Ben", [[3, 0, 2], [0, 0, 0]])):
        root = out / reviewer
        shutil.copytree(personal_data_template, root)
        with open_workspace(root) as ws:
            for n, values in enumerate(rounds):
                score(ws, 1, reviewer, values)
                score(ws, 2, reviewer, list(reversed(values)))
                paths.append(export_review_pack(ws, out / f"{reviewer}-{n}.eapack", reviewer=reviewer).path)
    return paths


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.lists(st.integers(0, 3), min_size=1, max_size=7))
def test_merge_is_idempotent_and_order_independent(
    order: list[int], pack_set: list[Path], personal_data_template: Path, tmp_path_factory
) -> None:
    import shutil

    root = tmp_path_factory.mktemp("merge") / "ws"
    reference = tmp_path_factory.mktemp("merge") / "ws"
    for target in (root, reference):
        shutil.copytree(personal_data_template, target)
    chosen = sorted(set(order))
    with open_workspace(root) as ws, open_workspace(reference) as ref:
        import_packs(ws, [pack_set[i] for i in order], trust_new=True)  # any order, repeats allowed
        import_packs(ref, [pack_set[i] for i in chosen], trust_new=True)  # each once, in order
        assert state(ws) == state(ref)


def test_read_pack_lists_its_files(make_ws, tmp_path: Path) -> None:
    ana = make_ws("ana")
    score(ana, 1, "Ana", [2, 2, 2])
    pack = read_pack(export_review_pack(ana, tmp_path / "p", made_by="Ana", include_transcripts=True).path)
    assert pack.kind == "review" and pack.manifest["format_version"] == 2 and pack.signer_name == "Ana"
    assert sorted(pack.files) == [
        "calls.json",
        "reviews.json",
        "rubrics.json",
        f"transcripts/{pack.json('calls.json')[0]['sha256']}.json",
    ]


def test_transcripts_can_leave_the_team_with_personal_data_hidden(make_ws, tmp_path: Path) -> None:
    ana = make_ws("ana")
    score(ana, 1, "Ana", [2, 2, 2])
    plain = export_review_pack(ana, tmp_path / "plain.eapack", made_by="Ana", reviewer="Ana", include_transcripts=True)
    hidden = export_review_pack(
        ana, tmp_path / "hidden.eapack", reviewer="Ana", include_transcripts=True, redact_transcripts=True
    )
    assert not plain.transcripts_redacted and hidden.transcripts_redacted and hidden.transcripts == 1

    def transcript(path: Path) -> dict:
        with zipfile.ZipFile(path) as z:
            (name,) = [n for n in z.namelist() if n.startswith("transcripts/")]
            return json.loads(z.read(name))

    said, kept = transcript(plain.path), transcript(hidden.path)
    assert kept["personal_data_redacted"] is True and said["personal_data_redacted"] is False
    for before, after in zip(said["segments"], kept["segments"], strict=True):
        if before["speaker"] == "customer":  # every customer turn of this call gives personal data
            assert "[redacted]" in after["text"] and after["text"] != before["text"]
            assert any(w["word"] == "[redacted]" for w in after["words"])
            assert [w["start"] for w in after["words"]] == [w["start"] for w in before["words"]]
    # The redacted pack still imports whole into another workspace.
    lead = make_ws("lead")
    assert import_pack(lead, hidden.path, trust_new=True).reviews_added == 1
