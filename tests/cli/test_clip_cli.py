"""`clip` and `personal-data` from the command line, as a trainer scripts them."""

from __future__ import annotations

from pathlib import Path

from helpers import covered, run_cli, says_card_number, voiced_extent

AUDIO = Path(__file__).resolve().parent.parent / "fixtures" / "audio"


def test_create_list_update_export_delete(personal_data_root: Path, tmp_path: Path) -> None:
    ws = personal_data_root
    made = run_cli(
        "clip", "create", "1", "--start", "11.5", "--end", "19.2", "--title", "Card read aloud",
        "--tag", "Privacy Risk", "--criterion", "investigation", "--note", "Stop them earlier.", "--json",
        data_dir=ws, check_json=True,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    clip = made.json
    assert clip["tags"] == ["privacy-risk"] and clip["criterion_label"] == "Investigation"
    assert says_card_number(clip["transcript_excerpt"]) and 6 < clip["duration_s"] < 8

    listed = run_cli("clip", "list", "--search", "privacy", "--json", data_dir=ws, check_json=True)
    assert [c["id"] for c in listed.json] == [clip["id"]]
    text = run_cli("clip", "list", data_dir=ws)
    assert "Card read aloud" in text.stdout and "[privacy-risk]" in text.stdout

    updated = run_cli(
        "clip", "update", str(clip["id"]), "--title", "Card, read aloud", "--json", data_dir=ws, check_json=True
    )
    assert updated.json["title"] == "Card, read aloud" and updated.json["tags"] == ["privacy-risk"]

    out = tmp_path / "handout"
    exported = run_cli(
        "clip", "export", str(clip["id"]), "--out", str(out), "--format", "ogg", "--json", data_dir=ws, check_json=True
    )
    assert exported.returncode == 0, exported.stderr
    (item,) = exported.json["exported"]
    assert exported.json["redacted"] is True and len(item["bleeped"]) == 1
    assert Path(item["path"]).suffix == ".ogg" and Path(item["path"]).stat().st_size > 1000
    assert "[redacted]" in (out / "index.md").read_text()

    plain = run_cli("clip", "export", str(clip["id"]), "--out", str(tmp_path / "plain"), "--no-redact", data_dir=ws)
    assert plain.returncode == 0 and "may contain card numbers" in plain.stderr

    deleted = run_cli("clip", "delete", str(clip["id"]), "77", data_dir=ws)
    assert deleted.returncode == 1 and "no clip 77" in deleted.stderr and "Deleted 1 clip" in deleted.stdout


def test_errors_are_specific(personal_data_root: Path, tmp_path: Path) -> None:
    ws = personal_data_root
    bad = run_cli("clip", "create", "1", "--start", "3", "--end", "1", "--title", "x", data_dir=ws)
    assert bad.returncode == 1 and "ends (1.00 s) before it starts (3.00 s)" in bad.stderr
    missing = run_cli("clip", "export", "5", "--out", str(tmp_path / "o"), data_dir=ws)
    assert missing.returncode == 1 and "clip 5: there is no clip 5" in missing.stderr
    usage = run_cli("clip", "export", "1", "--out", str(tmp_path / "o"), "--format", "flac", data_dir=ws)
    assert usage.returncode == 2 and "invalid choice" in usage.stderr


def test_personal_data_listing(personal_data_root: Path) -> None:
    found = run_cli("personal-data", "1", "--json", data_dir=personal_data_root, check_json=True)
    assert found.returncode == 0
    assert all(set(s) == {"kind", "speaker", "start", "end", "text", "why"} and s["why"] for s in found.json)
    # The customer's card number (said at 12.0–18.7 s) is in a finding, whatever words the engine wrote.
    card = voiced_extent(AUDIO / "call_personal_data.wav", 1, 12.0, 19.5)
    spans = [(s["start"], s["end"]) for s in found.json if s["speaker"] == "customer"]
    assert covered(spans, *card) >= 0.8
    text = run_cli("personal-data", "1", data_dir=personal_data_root)
    assert "why:" in text.stdout
    none = run_cli("personal-data", "2", data_dir=personal_data_root)
    assert none.returncode == 0 and "No personal data found." in none.stdout
