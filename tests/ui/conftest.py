"""Fixtures for widget tests: a transcribed workspace made once and copied per test, and windows
built exactly as the app builds them (real store, real player, real job runner)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import transcribed_workspace
from PySide6.QtCore import QSettings

from empathy_audit.services import open_services
from empathy_audit.store import open_workspace
from empathy_audit.ui import settings as keys
from empathy_audit.ui.job_runner import JobRunner
from empathy_audit.ui.main_window import MainWindow
from empathy_audit.ui.settings import Settings

AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "audio"


@pytest.fixture(scope="session")
def transcribed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two transcribed calls (a stereo conversation and a mono call) with agents and dates."""
    return transcribed_workspace(
        tmp_path_factory.mktemp("template") / "ws",
        "file,agent,team,customer_id,call_start\n"
        "call_stereo_8k_mulaw.wav,Ana,Blue,C1,2026-08-03 10:00\n"
        "mono_16k.wav,Ben,Red,C2,2026-08-04 11:00\n",
        [AUDIO / "call_stereo_8k_mulaw.wav", AUDIO / "mono_16k.wav"],
    )


@pytest.fixture
def transcribed_root(transcribed_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(transcribed_template, target)
    return target


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    store = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    store.set(keys.REVIEWER, "Ana")
    store.set(keys.AUTO_TRANSCRIBE, False)
    return store


@pytest.fixture
def make_window(qtbot, settings: Settings):
    """Build a MainWindow on a workspace folder; closes it (and its workspace) after the test."""
    opened: list[tuple[MainWindow, object]] = []

    def make(root: Path) -> MainWindow:
        services = open_services(root)
        window = MainWindow(services, settings, JobRunner(max_threads=2), ask_reviewer=lambda: "Ana")
        window.show_dialogs = False
        # The test reads the workspace through a connection of its own, as a second process would.
        store = open_workspace(root)
        window.test_db = store.db
        qtbot.addWidget(window)
        window.show()
        opened.append((window, services, store))
        return window

    yield make
    for window, services, store in opened:
        window.close()
        services.close()
        store.close()
