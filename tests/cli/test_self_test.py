"""`empathy-audit self-test` (the installed app's `--self-test`) from a source checkout."""

from __future__ import annotations

from helpers import run_cli


def test_self_test_passes_every_step() -> None:
    result = run_cli("--self-test", "--json", check_json=True)
    assert result.returncode == 0, result.stdout + result.stderr
    report = result.json
    assert report["passed"] is True
    steps = {s["step"]: s for s in report["steps"]}
    assert list(steps) == ["workspace", "import", "transcribe", "review", "report", "clip", "window", "close"]
    # The bundled call has five lines, seven sentences: a turn per sentence (the count may differ by CPU).
    turns = int(steps["transcribe"]["detail"].split()[0])
    assert 5 <= turns <= 9 and steps["transcribe"]["detail"].endswith(" turns")
    assert "offscreen platform" in steps["window"]["detail"]


def test_self_test_without_the_window_says_what_it_did() -> None:
    result = run_cli("self-test", "--no-window")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[1] for line in lines[:-1]] == [
        "workspace",
        "import",
        "transcribe",
        "review",
        "report",
        "clip",
        "close",
    ]
    assert all(line.startswith("ok") for line in lines[:-1]) and lines[-1].startswith("Self-test passed in")
