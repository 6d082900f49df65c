"""The watcher tells the window about commits by other processes (the command line, a second window), not
about the window's own background work, which announces its own changes: a background read that brings
the audit scores up to date commits too, and used to make every section reload as if the CLI had written."""

from __future__ import annotations

from pathlib import Path

from seed import Seeded, seed

from empathy_audit.services import open_services
from empathy_audit.store import open_workspace
from empathy_audit.ui.job_runner import JobRunner
from empathy_audit.ui.workspace_runner import WorkspaceRunner
from empathy_audit.ui.workspace_watcher import WorkspaceWatcher


def _cli_write(root: Path, n: int = 3) -> None:
    """What `empathy-audit` in a terminal would do: a commit on a connection of its own."""
    with open_workspace(root) as ws:
        seed(ws.db, [Seeded("Ana", "Blue", "2026-08-03T10:00:00", (2, 1, 3)) for _ in range(n)])


def test_commits_elsewhere_are_seen_and_the_windows_own_are_not(qtbot, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    open_workspace(root).close()
    services = open_services(root)
    runner = WorkspaceRunner(root, JobRunner(max_threads=2))
    watcher = WorkspaceWatcher(services, poll_ms=60_000, own_work=runner)  # checked by hand below
    seen: list[None] = []
    watcher.changed_elsewhere.connect(lambda: seen.append(None))
    try:
        assert not watcher.check()  # nothing happened yet

        _cli_write(root)  # reviews saved elsewhere: their calls' audit scores wait to be recomputed
        assert watcher.check() and len(seen) == 1

        # The window's own background read recomputes those scores: a commit on the job's connection.
        written: list[int] = []

        def read(s, _job):
            rows = s.calls.library_rows()
            written.append(s.rows_written())
            return rows

        done: list[object] = []
        runner.run("Library", read, done.append, visible=False)
        assert watcher.check() is False  # while it runs: judged once it is over
        qtbot.waitUntil(lambda: bool(done) and not runner.running, timeout=30_000)
        assert written[0] > 0, "the read should have written the audit scores (else this test shows nothing)"
        assert watcher.check() is False and len(seen) == 1  # put down to the window's own work

        # A read that writes nothing while the command line writes: the change is the command line's.
        done.clear()
        _cli_write(root, 1)
        runner.run("Names", lambda s, _job: s.calls.names(), done.append, visible=False)
        assert watcher.check() is False  # still running (or its result not yet taken in)
        qtbot.waitUntil(lambda: bool(done) and not runner.running, timeout=30_000)
        assert watcher.check() and len(seen) == 2
        assert not watcher.check()  # seen once
    finally:
        watcher.stop()
        runner.pool.wait(30_000)
        services.close()


def test_a_long_job_does_not_hide_changes_elsewhere_for_long(qtbot, tmp_path: Path, monkeypatch) -> None:
    import threading

    from empathy_audit.ui import workspace_watcher

    monkeypatch.setattr(workspace_watcher, "MAX_WAIT_S", 0.2)
    root = tmp_path / "ws"
    open_workspace(root).close()
    services = open_services(root)
    runner = WorkspaceRunner(root, JobRunner(max_threads=2))
    watcher = WorkspaceWatcher(services, poll_ms=60_000, own_work=runner)
    release = threading.Event()
    try:
        runner.run("Compare", lambda _s, _job: release.wait(30), visible=False)
        _cli_write(root)
        assert watcher.check() is False  # waits a moment for the window's job ...
        qtbot.wait(300)
        assert watcher.check() is True  # ... but not for as long as it runs
    finally:
        release.set()
        watcher.stop()
        runner.pool.wait(30_000)
        services.close()


def test_jobs_that_end_at_once_are_never_lost(qtbot, tmp_path: Path) -> None:
    """A job can end before `run` returns; its result must still arrive (it used to be dropped now and
    then, leaving the job listed as running for good, and the Library never read again)."""
    root = tmp_path / "ws"
    open_workspace(root).close()
    runner = WorkspaceRunner(root, JobRunner(max_threads=2))
    done: list[int] = []
    for i in range(100):
        runner.run("Quick", lambda _s, _job, i=i: i, done.append, visible=False)
    qtbot.waitUntil(lambda: len(done) == 100 and not runner.running, timeout=60_000)
    assert sorted(done) == list(range(100))
    runner.pool.wait(30_000)
