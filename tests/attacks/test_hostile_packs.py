"""Hostile packs: each is refused with a message naming what is wrong, and the workspace is unchanged."""

from __future__ import annotations

import hashlib
import json
import stat
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from review_helpers import score, state

from empathy_audit.packs.authorship import review_content, rubric_shape
from empathy_audit.packs.export import export_calibration_pack, export_review_pack
from empathy_audit.packs.format import PackProblem
from empathy_audit.packs.importer import import_pack
from empathy_audit.scoring.rubric import RubricError, parse_rubric
from empathy_audit.signing import SigningKey
from empathy_audit.store.calibration import create_set
from empathy_audit.store.keys import workspace_key

Members = dict[str, bytes]


def _members(pack: Path) -> Members:
    with zipfile.ZipFile(pack) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


# An attacker has a key of their own, never the author's.
ATTACKER = SigningKey.generate()


def forge(good: Path, out: Path, change: Callable[[Members], None], key: SigningKey | None = ATTACKER) -> Path:
    """A pack re-made with `change` applied and a manifest that matches it, signed again by `key` (as an
    attacker would; None keeps the maker's old signature)."""
    members = _members(good)
    manifest = json.loads(members.pop("manifest.json"))
    change(members)
    manifest["files"] = {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in members.items()}
    if key is not None:
        manifest["signer"]["key"] = key.public
        manifest["signature"] = key.sign({k: v for k, v in manifest.items() if k != "signature"})
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for name, data in members.items():
            zf.writestr(name, data)
    return out


def resign_reviews(members: Members, key: SigningKey) -> None:
    """Sign every review again with `key`: what a reviewer who forges their own pack can do."""
    shapes = {(r["name"], r["version"]): rubric_shape(r) for r in json.loads(members["rubrics.json"])}
    reviews = json.loads(members["reviews.json"])
    for r in reviews:
        r["signer_key"] = key.public
        r["signature"] = key.sign(review_content(r, shapes[(r["rubric"]["name"], r["rubric"]["version"])]))
    members["reviews.json"] = json.dumps(reviews).encode()


def edit_reviews(change: Callable[[list[dict]], None]) -> Callable[[Members], None]:
    def apply(members: Members) -> None:
        reviews = json.loads(members["reviews.json"])
        change(reviews)
        members["reviews.json"] = json.dumps(reviews).encode()

    return apply


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and "workspace.db" not in p.name)


@pytest.fixture
def good(make_ws, tmp_path: Path) -> Path:
    eve = make_ws("eve")
    score(eve, 1, "eve", [2, 2, 2])
    return export_review_pack(eve, tmp_path / "eve.eapack", made_by="eve", include_audio=True).path


def _set(reviews: list[dict], **values) -> None:
    reviews[0].update(values)


CASES: dict[str, tuple[Callable[[Members], None], str]] = {
    "version from the future": (
        edit_reviews(lambda r: _set(r, version_key="2099-01-01T00:00:00.000000Z")),
        "version from the future",
    ),
    "made in the future": (edit_reviews(lambda r: _set(r, created_at="2099-01-01T00:00:00")), "in the future"),
    "garbage time": (edit_reviews(lambda r: _set(r, created_at="garbage")), "not a date and time"),
    "score true": (edit_reviews(lambda r: r[0]["scores"].update(acknowledgment=True)), "not whole numbers"),
    "null uid": (edit_reviews(lambda r: _set(r, uid=None)), "has no uid"),
    "evidence at 1e999": (
        lambda m: m.update({"reviews.json": m["reviews.json"].replace(b'"evidence": []', b'"evidence": [1e999]')}),
        "too large a number",
    ),
    "NaN": (
        lambda m: m.update({"calls.json": m["calls.json"].replace(b'"duration_s": ', b'"duration_s": NaN, "x": ')}),
        "not a number JSON allows",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_forged_reviews_are_refused(case: str, good: Path, make_ws, tmp_path: Path) -> None:
    change, message = CASES[case]
    lead = make_ws("lead", empty=True)
    before, files = state(lead), _files(lead.root)
    with pytest.raises(PackProblem, match=message):
        import_pack(lead, forge(good, tmp_path / "forged.eapack", change))
    assert state(lead) == before and _files(lead.root) == files


def test_audio_must_be_the_recording_it_claims_to_be(good: Path, make_ws, tmp_path: Path) -> None:
    lead = make_ws("lead", empty=True)
    before, files = state(lead), _files(lead.root)
    (audio,) = [n for n in _members(good) if n.startswith("audio/")]
    executable = b"\x7fELF" + b"\x00" * 4000

    def swap(members: Members) -> None:  # other bytes under the real recording's hash
        members[audio] = executable

    with pytest.raises(PackProblem, match=r"is not the recording calls\.json says it is"):
        import_pack(lead, forge(good, tmp_path / "swapped.eapack", swap))
    fake_sha = hashlib.sha256(executable).hexdigest()

    def consistent(members: Members) -> None:  # consistent hashes, but not audio at all
        del members[audio]
        members[f"audio/{fake_sha}.wav"] = executable
        calls = json.loads(members["calls.json"])
        calls[0].update(sha256=fake_sha, audio=f"audio/{fake_sha}.wav")
        members["calls.json"] = json.dumps(calls).encode()
        members["reviews.json"] = members["reviews.json"].replace(audio[6:70].encode(), fake_sha.encode())

    with pytest.raises(PackProblem, match="not signed by its author"):  # a stranger cannot re-sign eve's reviews
        import_pack(lead, forge(good, tmp_path / "notaudio.eapack", consistent), trust_new=True)
    eve_key = workspace_key(tmp_path / "eve")  # eve herself can, and is still refused: it is not a recording
    forged = forge(good, tmp_path / "eve-forged.eapack", lambda m: (consistent(m), resign_reviews(m, eve_key)), eve_key)
    with pytest.raises(PackProblem, match="is not a recording"):
        import_pack(lead, forged, trust_new=True)
    assert state(lead) == before and _files(lead.root) == files


def _raw_pack(out: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]], manifest_files: dict) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        manifest = {"format": "empathy-audit-pack", "format_version": 2, "kind": "review", "files": manifest_files}
        zf.writestr("manifest.json", json.dumps(manifest))
        for info, data in members:
            zf.writestr(info, data)
    return out


@pytest.mark.parametrize(
    ("member", "message"),
    [
        ("../evil.json", "which no pack holds"),
        ("/etc/passwd", "which no pack holds"),
        ("audio/", "which no pack holds"),
    ],
)
def test_member_names_outside_the_pack_are_refused(member: str, message: str, make_ws, tmp_path: Path) -> None:
    lead = make_ws("lead", empty=True)
    with pytest.raises(PackProblem, match=message):
        import_pack(lead, _raw_pack(tmp_path / "slip.eapack", [(member, b"[]")], {member: {}}))


def test_links_and_duplicates_are_refused(make_ws, tmp_path: Path) -> None:
    lead = make_ws("lead", empty=True)
    link = zipfile.ZipInfo("calls.json")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with pytest.raises(PackProblem, match="is a link"):
        import_pack(lead, _raw_pack(tmp_path / "link.eapack", [(link, b"/etc/passwd")], {}))
    with pytest.warns(UserWarning), pytest.raises(PackProblem, match="twice"):
        import_pack(lead, _raw_pack(tmp_path / "dup.eapack", [("calls.json", b"[]"), ("calls.json", b"[]")], {}))


def test_a_zip_bomb_is_refused_before_it_is_inflated(make_ws, tmp_path: Path) -> None:
    lead = make_ws("lead", empty=True)
    bomb = tmp_path / "bomb.eapack"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps({"format": "empathy-audit-pack", "format_version": 2,
                                                 "kind": "review", "files": {}}))  # fmt: skip
        with zf.open("reviews.json", "w") as member:
            for _ in range(60):
                member.write(b"\x00" * (1 << 20))  # 60 MiB of zeros, about 60 KiB compressed
    assert bomb.stat().st_size < 1 << 20
    tracemalloc.start()
    with pytest.raises(PackProblem, match="zip bomb"):
        import_pack(lead, bomb)
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 << 20


def test_a_calibration_pack_cannot_take_over_someone_elses_set(make_ws, tmp_path: Path) -> None:
    lead = make_ws("lead")
    cset = create_set(lead.db, "Week 1", [1], "Dana", instructions="Blind")
    eve = make_ws("eve")
    mine = create_set(eve.db, "Week 1", [1, 2], "Eve")
    eve.db.execute("UPDATE calibration_sets SET uid = ? WHERE id = ?", [cset.uid, mine.id])
    pack = export_calibration_pack(eve, cset.uid, tmp_path / "takeover.eapack", include_audio=False).path
    before = state(lead)
    with pytest.raises(PackProblem, match="only the set's own lead can change it"):
        import_pack(lead, pack, trust_new=True)  # trusting Eve as Eve never lets her change Dana's set
    assert state(lead) == before


@pytest.mark.parametrize("weight", ["inf", "nan", "1e999", "-1", "0"])
def test_a_rubric_weight_must_be_a_finite_positive_number(weight: str) -> None:
    text = f"""
name = "X"
max_score = 1
[[criteria]]
key = "a"
label = "A"
question = "?"
weight = {weight}
levels = ["no", "yes"]
"""
    with pytest.raises(RubricError, match="weight"):
        parse_rubric(text)


def test_a_rubric_in_a_pack_is_stored_but_never_made_active(make_ws, tmp_path: Path) -> None:
    from empathy_audit.store.rubrics import active_rubric, save_rubric

    eve = make_ws("eve")
    text = """
name = "Empathy audit"
max_score = 1
[[criteria]]
key = "nice"
label = "Nice"
question = "?"
levels = ["no", "yes"]
"""
    theirs = save_rubric(eve.db, text, "eve.toml")
    cset = create_set(eve.db, "Eve's set", [1], "Eve", rubric=theirs)
    pack = export_calibration_pack(eve, cset.uid, tmp_path / "eve-set.eapack", include_audio=False).path
    lead = make_ws("lead")
    ours = active_rubric(lead.db)
    result = import_pack(lead, pack, trust_new=True)
    assert any("added" in note for note in result.rubrics)
    assert active_rubric(lead.db).id == ours.id and [c.key for c in active_rubric(lead.db).criteria] == [
        "acknowledgment",
        "investigation",
        "care",
    ]
