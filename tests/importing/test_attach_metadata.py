"""Details of calls already imported: typed in, or attached from a CSV matched by id or file name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import run_cli

from empathy_audit.importing.attach import MetadataProblem, name_keys
from empathy_audit.services import open_services

AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "audio"


@pytest.fixture
def services(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(AUDIO / "call_stereo_8k_mulaw.wav", folder / "billing_high_empathy.stereo.wav")
    shutil.copy(AUDIO / "mono_16k.wav", folder / "refund_low.wav")
    with open_services(tmp_path / "ws") as ws:
        assert len(ws.calls.import_paths([folder]).imported) == 2
        yield ws


def test_a_file_is_known_by_its_name_without_extensions() -> None:
    assert name_keys("Billing_High_Empathy.stereo.FLAC") == [
        "billing_high_empathy.stereo.flac",
        "billing_high_empathy.stereo",
        "billing_high_empathy",
    ]


def test_a_csv_attaches_by_call_id_or_file_name_and_suggests_near_names(services, tmp_path: Path) -> None:
    csv = tmp_path / "meta.csv"
    csv.write_text(
        "Call ID,Agent,Team,Customer,Date\n"
        "billing_high_empathy,Ana,Blue,C1,14/08/2026 10:30\n"
        "refund_lwo,Ben,Red,C2,2026-08-15\n"
        "refund_low,Ben,Red,C2,2026-08-15\n"
    )
    plan = services.calls.plan_metadata(csv)
    assert [(m.line, m.call.original_name) for m in plan.matches] == [
        (2, "billing_high_empathy.stereo.wav"),
        (4, "refund_low.wav"),
    ]
    (problem,) = plan.problems
    assert problem.line == 3 and "matches no call here; nearest: refund_low.wav" in problem.message
    assert plan.calls_changed == 2
    changed, changes = services.calls.attach_metadata(plan)
    assert changed == 2 and changes.call_ids == {m.call.id for m in plan.matches}
    billing = services.calls.get(plan.matches[0].call.id)
    assert (billing.agent, billing.team, billing.customer_id, billing.call_start) == (
        "Ana",
        "Blue",
        "C1",
        "2026-08-14T10:30:00",
    )
    assert billing.external_id == "billing_high_empathy"  # the export's id for it, from now on
    assert services.calls.plan_metadata(csv).calls_changed == 0  # attaching again changes nothing


def test_details_are_checked_and_set_on_many_calls_at_once(services) -> None:
    ids = [c.id for c in services.calls.all()]
    services.calls.update_details(ids, team="Billing", call_start="2026-07-01 09:00")
    assert {(c.team, c.call_start) for c in services.calls.all()} == {("Billing", "2026-07-01T09:00:00")}
    services.calls.update_details(ids[:1], team="")  # '' clears
    assert services.calls.get(ids[0]).team is None and services.calls.get(ids[1]).team == "Billing"
    with pytest.raises(MetadataProblem, match="is not a date"):
        services.calls.update_details(ids, call_start="next tuesday")
    with pytest.raises(MetadataProblem, match="longer than any real one"):
        services.calls.update_details(ids, agent="x" * 500)
    with pytest.raises(MetadataProblem, match="there is no call #99"):
        services.calls.update_details([99], agent="Ana")


def test_the_command_line_updates_and_attaches(services, tmp_path: Path) -> None:
    ws = services.root
    call_id = services.calls.all()[0].id
    done = run_cli("calls", "update", str(call_id), "--agent", "Cleo", "--start", "2026-08-14", "--json",
                   data_dir=ws, check_json=True)  # fmt: skip
    assert done.returncode == 0 and done.json[0]["agent"] == "Cleo" and done.json[0]["call_start"].startswith("2026-08")
    bad = tmp_path / "bad.csv"
    bad.write_text("file,agent\nrefund_low.wav,Ben\nnowhere.wav,Zed\n")
    refused = run_cli("calls", "attach-metadata", str(bad), data_dir=ws)
    assert refused.returncode == 1 and "line 3: file 'nowhere.wav' matches no call" in refused.stdout
    assert "nothing changed" in refused.stdout
    applied = run_cli("calls", "attach-metadata", str(bad), "--skip-bad-rows", "--json", data_dir=ws, check_json=True)
    assert applied.json["changed"] == 1 and applied.json["problems"][0]["line"] == 3
