"""Signed authorship: a pack cannot claim someone else's reviews or set, nor be changed after it was signed.

Workspaces are compared whole (row counts and content of every table, every file) before and after each
refused pack, and random mutations of a valid pack never change a workspace.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import stat
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from review_helpers import score

from empathy_audit.packs.authorship import UntrustedKeys
from empathy_audit.packs.export import export_calibration_pack, export_review_pack
from empathy_audit.packs.format import PackProblem
from empathy_audit.packs.importer import import_pack
from empathy_audit.signing import SigningKey, fingerprint
from empathy_audit.store.calibration import create_set
from empathy_audit.store.keys import KEY_FILE, trusted_keys, workspace_key

ATTACKER = SigningKey.generate()


def snapshot(ws) -> dict:
    """Everything a pack could change: each table's rows (as a content hash) and count, and every file."""
    tables = [r[0] for r in ws.db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    data = {}
    for table in tables:
        rows = sorted(repr(tuple(r)) for r in ws.db.execute(f'SELECT * FROM "{table}"').fetchall())
        data[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    files = sorted(
        (str(p.relative_to(ws.root)), p.stat().st_size)
        for p in ws.root.rglob("*")
        if p.is_file() and not p.name.startswith("workspace.db")
    )
    return {"tables": data, "files": files}


def _members(pack: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(pack) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def rewrite(pack: Path, out: Path, members: dict[str, bytes], key: SigningKey | None) -> Path:
    """The pack with `members`, its manifest listing them again and, with `key`, signed again by that key."""
    manifest = json.loads(members.pop("manifest.json"))
    manifest["files"] = {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in members.items()}
    if key is not None:
        manifest["signer"]["key"] = key.public
        manifest["signature"] = key.sign({k: v for k, v in manifest.items() if k != "signature"})
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for name, data in members.items():
            zf.writestr(name, data)
    return out


@pytest.fixture
def alice_pack(make_ws, tmp_path: Path) -> Path:
    alice = make_ws("alice")
    score(alice, 1, "alice", [3, 3, 3])
    return export_review_pack(alice, tmp_path / "alice.eapack", reviewer="alice", include_transcripts=True).path


def test_a_pack_from_a_new_key_waits_until_the_user_trusts_it(alice_pack: Path, make_ws, tmp_path: Path) -> None:
    lead = make_ws("lead")
    before = snapshot(lead)
    with pytest.raises(UntrustedKeys) as refused:
        import_pack(lead, alice_pack)
    alice_fingerprint = workspace_key(tmp_path / "alice").fingerprint
    assert [c.name for c in refused.value.new_keys] == ["alice"] and alice_fingerprint in str(refused.value)
    assert snapshot(lead) == before
    done = import_pack(lead, alice_pack, trust_new=True)
    assert done.reviews_added == 1 and done.trusted == [f"alice ({alice_fingerprint})"]
    assert [(k.name, k.fingerprint) for k in trusted_keys(lead.db)] == [("alice", alice_fingerprint)]
    # A lead forwarding her review: alice's own signature travels with it.
    later = export_review_pack(lead, tmp_path / "onward.eapack", made_by="Lena")
    other = make_ws("other")
    with pytest.raises(UntrustedKeys) as onward:
        import_pack(other, later.path)
    assert sorted(c.name for c in onward.value.new_keys) == ["Lena", "alice"]
    assert import_pack(other, later.path, trust_new=True).reviews_added == 1


def test_a_pack_claiming_a_trusted_reviewers_work_is_refused(alice_pack: Path, make_ws, tmp_path: Path) -> None:
    lead = make_ws("lead")
    import_pack(lead, alice_pack, trust_new=True)
    eve = make_ws("eve")
    score(eve, 2, "alice", [0, 0, 0])  # eve scores as "alice", on her own laptop
    forged = export_review_pack(eve, tmp_path / "eve.eapack", reviewer="alice").path
    before = snapshot(lead)
    with pytest.raises(PackProblem, match="claims to be by alice, but is signed with key"):
        import_pack(lead, forged, trust_new=True)  # not even when the user would trust anything
    assert snapshot(lead) == before


def test_a_pack_cannot_claim_the_leads_own_gold(make_ws, tmp_path: Path) -> None:
    lead = make_ws("lead")
    cset = create_set(lead.db, "Week 1", [1], "Lena")
    score(lead, 1, "Lena", [3, 3, 3], cset)
    eve = make_ws("eve")
    score(eve, 1, "Lena", [0, 0, 0])
    forged = export_review_pack(eve, tmp_path / "eve.eapack", reviewer="Lena").path
    before = snapshot(lead)
    with pytest.raises(PackProblem, match="claims to be by Lena, who reviews or leads in this workspace"):
        import_pack(lead, forged, trust_new=True)
    assert snapshot(lead) == before


def test_a_changed_pack_is_refused_whoever_signs_it_again(alice_pack: Path, make_ws, tmp_path: Path) -> None:
    lead = make_ws("lead")
    before = snapshot(lead)
    members = _members(alice_pack)
    members["reviews.json"] = members["reviews.json"].replace(b'"acknowledgment": 3', b'"acknowledgment": 0')
    unsigned = rewrite(alice_pack, tmp_path / "rehashed.eapack", dict(members), key=None)
    with pytest.raises(PackProblem, match="signature does not match its contents"):
        import_pack(lead, unsigned, trust_new=True)
    resigned = rewrite(alice_pack, tmp_path / "resigned.eapack", dict(members), key=ATTACKER)
    with pytest.raises(PackProblem, match=r"review 1 \(by alice\) is not signed by its author"):
        import_pack(lead, resigned, trust_new=True)
    assert snapshot(lead) == before


def test_a_pack_from_before_signing_is_refused(alice_pack: Path, make_ws, tmp_path: Path) -> None:
    members = _members(alice_pack)
    manifest = json.loads(members["manifest.json"])
    manifest["format_version"] = 1
    members["manifest.json"] = json.dumps(manifest).encode()
    lead = make_ws("lead")
    with pytest.raises(PackProblem, match="before packs were signed"):
        import_pack(lead, rewrite(alice_pack, tmp_path / "old.eapack", members, key=None))


def test_a_set_changes_only_with_its_leads_key(make_ws, tmp_path: Path) -> None:
    lead = make_ws("lead")
    cset = create_set(lead.db, "Week 1", [1], "Lena")
    pack = export_calibration_pack(lead, cset, tmp_path / "week1.eapack", include_audio=False).path
    ana = make_ws("ana")
    assert import_pack(ana, pack, trust_new=True).calibration_set == "Week 1"
    # Eve makes a set with the same id and lead name, signed by her own key.
    eve = make_ws("eve")
    hers = create_set(eve.db, "Week 1", [1, 2], "Lena")
    eve.db.execute("UPDATE calibration_sets SET uid = ? WHERE id = ?", [cset.uid, hers.id])
    eve.db.conn.commit()
    forged = export_calibration_pack(eve, cset.uid, tmp_path / "eve.eapack", include_audio=False).path
    before = snapshot(ana)
    with pytest.raises(PackProblem, match="claims to be by Lena, but is signed with key"):
        import_pack(ana, forged, trust_new=True)
    assert snapshot(ana) == before


def test_the_private_key_is_readable_only_by_its_user(make_ws, tmp_path: Path) -> None:
    ws = make_ws("ws", empty=True)
    key = workspace_key(ws.root)
    mode = stat.S_IMODE((ws.root / KEY_FILE).stat().st_mode)
    assert mode == 0o600 and workspace_key(ws.root).public == key.public
    assert fingerprint(key.public) == key.fingerprint and len(key.fingerprint) == 19
    assert ws.owns(ws.root / KEY_FILE)  # exports never write over it


MUTATIONS = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**9), st.integers(1, 255)),
    st.tuples(
        st.just("json"),
        st.sampled_from(["reviews.json", "calls.json", "rubrics.json"]),
        st.integers(0, 10**9),
        st.one_of(st.none(), st.integers(-5, 10**6), st.text(max_size=8), st.booleans()),
    ),
    st.tuples(st.just("drop"), st.integers(0, 10**9)),
)


def _mutate(members: dict[str, bytes], mutation: tuple) -> None:
    kind = mutation[0]
    names = sorted(n for n in members if n != "manifest.json")
    if kind == "drop":
        del members[names[mutation[1] % len(names)]]
    elif kind == "flip":
        name = sorted(members)[mutation[1] % len(members)]
        data = bytearray(members[name])
        data[mutation[1] % len(data)] ^= mutation[2]
        members[name] = bytes(data)
    else:
        _, name, where, value = mutation
        doc = json.loads(members[name])
        items = [(d, k) for d in doc if isinstance(d, dict) for k in d]
        if items:
            target, key = items[where % len(items)]
            target[key] = value
        members[name] = json.dumps(doc).encode()


_LEADS: dict[str, object] = {}  # one lead workspace per test run (Hypothesis reuses the fixtures)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutation=MUTATIONS, signer=st.sampled_from(["none", "attacker"]))
def test_random_changes_to_a_pack_never_change_the_workspace(alice_pack, make_ws, tmp_path, mutation, signer) -> None:
    if str(tmp_path) not in _LEADS:
        _LEADS[str(tmp_path)] = lead = make_ws("lead")
        import_pack(lead, alice_pack, trust_new=True)  # the real pack is in already: nothing new may get in
    lead = _LEADS[str(tmp_path)]
    before = snapshot(lead)
    members = _members(alice_pack)
    _mutate(members, mutation)
    key = ATTACKER if signer == "attacker" else None
    if "manifest.json" not in members:
        members["manifest.json"] = _members(alice_pack)["manifest.json"]
    try:
        forged = rewrite(alice_pack, tmp_path / "mutated.eapack", members, key)
    except (ValueError, KeyError):
        return  # the mutation broke the manifest itself: nothing to import
    with contextlib.suppress(PackProblem):
        import_pack(lead, forged)
    assert snapshot(lead) == before
