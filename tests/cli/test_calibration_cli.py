"""`calibration` and `pack` from the command line: a lead and a reviewer trading packs."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import run_cli


def test_calibration_round_trip(personal_data_template: Path, tmp_path: Path) -> None:
    lead, ana = tmp_path / "lead", tmp_path / "ana"
    shutil.copytree(personal_data_template, lead)
    made = run_cli(
        "calibration", "create", "--name", "Week 1", "--lead", "Lena", "--call", "1", "--call", "2",
        "--instructions", "Blind, please.", "--json", data_dir=lead, check_json=True,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    gold = run_cli(
        "review", "1", "--reviewer", "Lena", "--calibration", "Week 1",
        "--score", "acknowledgment=2", "--score", "investigation=1", "--score", "care=3", data_dir=lead,
    )  # fmt: skip
    assert gold.returncode == 0, gold.stderr
    pack = tmp_path / "week1.eapack"
    out = run_cli("pack", "export", "--calibration-set", "Week 1", "--out", str(pack), data_dir=lead)
    assert out.returncode == 0 and "calibration pack, 1 review, 2 calls" in out.stdout

    got = run_cli("pack", "import", str(pack), "--trust", "--json", data_dir=ana, check_json=True)
    assert got.returncode == 0 and got.json["imported"][0]["calibration_set"] == "Week 1"
    blind = run_cli("calibration", "report", "Week 1", data_dir=ana)
    assert blind.returncode == 1 and "scored blind" in blind.stderr
    run_cli(
        "review", "1", "--reviewer", "Ana", "--calibration", "Week 1",
        "--score", "acknowledgment=3", "--score", "investigation=1", "--score", "care=3", data_dir=ana,
    )  # fmt: skip
    seen = run_cli("calibration", "report", "Week 1", "--as", "Ana", "--json", data_dir=ana, check_json=True)
    assert seen.json["reviewers"] == ["Lena", "Ana"] and seen.json["hidden_calls"] == 1
    # The audit's own review list does not show calibration reviews.
    assert run_cli("reviews", "list", "--json", data_dir=ana, check_json=True).json == []

    back = tmp_path / "ana.eapack"
    assert run_cli("pack", "export", "--reviewer", "Ana", "--out", str(back), data_dir=ana).returncode == 0
    merged = run_cli("pack", "import", str(back), str(back), "--trust", data_dir=lead)
    assert "1 review added" in merged.stdout and "1 already here" in merged.stdout
    report = run_cli("calibration", "report", "Week 1", "--json", data_dir=lead, check_json=True)
    overall = report.json["agreement"][-1]
    assert overall["key"] == "overall" and overall["n_pairs"] == 3 and abs(overall["exact"] - 2 / 3) < 1e-9
    assert report.json["bias"][0]["reviewer"] == "Ana" and report.json["pairs"][0]["n"] == 3
    listing = run_cli("calibration", "list", data_dir=lead)
    assert "Week 1" in listing.stdout and "Ana: 1 of 2 submitted" in listing.stdout

    broken = tmp_path / "broken.eapack"
    broken.write_bytes(back.read_bytes()[:300])
    refused = run_cli("pack", "import", str(broken), data_dir=lead)
    assert refused.returncode == 1 and "broken.eapack: not a pack, or cut short" in refused.stderr


def test_keys_are_trusted_only_when_asked_and_can_be_forgotten(make_ws, tmp_path: Path) -> None:
    ana = make_ws("ana")
    lead = make_ws("lead", empty=True)
    assert run_cli(
        "review", "1", "--reviewer", "Ana", "--score", "acknowledgment=2", "--score", "investigation=1",
        "--score", "care=3", data_dir=ana.root,
    ).returncode == 0  # fmt: skip
    pack = tmp_path / "ana.eapack"
    assert run_cli("pack", "export", "--reviewer", "Ana", "--out", str(pack), data_dir=ana.root).returncode == 0
    mine = run_cli("identity", "--json", data_dir=ana.root, check_json=True).json["fingerprint"]

    refused = run_cli("pack", "import", str(pack), data_dir=lead.root)
    assert refused.returncode == 1 and f"Ana: key {mine}" in refused.stderr and "--trust" in refused.stderr
    assert run_cli("keys", "list", "--json", data_dir=lead.root, check_json=True).json == []
    trusted = run_cli("pack", "import", str(pack), "--trust", data_dir=lead.root)
    assert trusted.returncode == 0 and f"trusted from now on: Ana ({mine})" in trusted.stdout
    keys = run_cli("keys", "list", "--json", data_dir=lead.root, check_json=True).json
    assert [(k["name"], k["fingerprint"]) for k in keys] == [("Ana", mine)]
    assert run_cli("keys", "forget", "Ana", data_dir=lead.root).returncode == 0
    assert run_cli("keys", "forget", "Ana", data_dir=lead.root).returncode == 1
