"""Suite-wide setup: offscreen Qt, an isolated data/cache folder, and no network."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
from pathlib import Path

import pytest

# Set before anything imports Qt or the app, and inherited by spawned worker processes.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["HF_HUB_OFFLINE"] = "1"  # faster-whisper must never reach for the hub in tests
os.environ.setdefault("EMPATHY_AUDIT_CACHE", str(Path(tempfile.gettempdir()) / "empathy-audit-test-cache"))
_SESSION_HOME = tempfile.mkdtemp(prefix="empathy-audit-test-home-")
os.environ["EMPATHY_AUDIT_HOME"] = _SESSION_HOME

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
AUDIO = FIXTURES / "audio"
sys.path.insert(0, str(FIXTURES))
sys.path.insert(0, str(TESTS))

import hang_watch  # noqa: E402 (found through the path just set)

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: object) -> object:
    """Tests may talk to this machine only; anything else is a bug in the test or the app."""
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0] if isinstance(address, tuple) else str(address)
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise OSError(f"network access in tests is not allowed (tried {address!r})")
    return _real_connect(self, address)


socket.socket.connect = _guarded_connect  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    hang_watch.watch.start(config)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    """Every test, with its fixtures and the plugins' setup and teardown, under the native hang watch."""
    hang_watch.watch.test(item)
    try:
        return (yield)
    finally:
        hang_watch.watch.between()


@pytest.fixture
def workspace(tmp_path: Path):
    from empathy_audit.store import open_workspace

    ws = open_workspace(tmp_path / "workspace")
    yield ws
    ws.close()


@pytest.fixture
def audio_dir() -> Path:
    return AUDIO


@pytest.fixture(scope="session")
def personal_data_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with the transcribed personal-data call (id 1) and mono call (id 2); copy before changing."""
    from helpers import transcribed_workspace

    return transcribed_workspace(
        tmp_path_factory.mktemp("personal") / "ws",
        "file,agent,team,customer_id,call_start\n"
        "call_personal_data.wav,Ana,Blue,C9,2026-08-05 09:30\n"
        "mono_16k.wav,Ben,Red,C2,2026-08-04 11:00\n",
        [AUDIO / "call_personal_data.wav", AUDIO / "mono_16k.wav"],
    )


@pytest.fixture
def personal_data_root(personal_data_template: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "personal-ws"
    shutil.copytree(personal_data_template, target)
    return target


@pytest.fixture
def make_ws(personal_data_template: Path, tmp_path: Path):
    """Open named workspaces (copies of the personal-data template, or empty); closed after the test."""
    from empathy_audit.store import open_workspace

    opened = []

    def make(name: str, empty: bool = False):
        root = tmp_path / name
        if not empty:
            shutil.copytree(personal_data_template, root)
        ws = open_workspace(root)
        opened.append(ws)
        return ws

    yield make
    for ws in opened:
        ws.close()


@pytest.fixture
def quiet_machine(request: pytest.FixtureRequest) -> None:
    """Wait for the bundle build the session runs in the background: a test that times the machine
    (the window's event loop) must not share two cores with PyInstaller."""
    from bundle_build import BUNDLE_BUILD

    build = request.config.stash.get(BUNDLE_BUILD, None)
    if build is not None:
        build["proc"].wait(timeout=800)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--skip-bundle", action="store_true", help="skip building the PyInstaller app (tests marked 'bundle')"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--skip-bundle") or os.environ.get("EMPATHY_AUDIT_SKIP_BUNDLE") == "1":
        skip = pytest.mark.skip(reason="--skip-bundle (or EMPATHY_AUDIT_SKIP_BUNDLE=1) was given")
        for item in items:
            if "bundle" in item.keywords:
                item.add_marker(skip)
        return

    # The bundle test runs last: its build starts in the background when collection ends (below). Tests
    # that time the machine ('quiet') run just before it, once that build is over (the quiet_machine fixture).
    def order(item: pytest.Item) -> int:
        return 2 if "bundle" in item.keywords else 1 if "quiet" in item.keywords else 0

    items.sort(key=order)


def pytest_collection_finish(session: pytest.Session) -> None:
    from bundle_build import BUNDLE_BUILD, start_bundle_build

    """Build the app while the other tests run, so the suite's wall time barely grows."""
    wanted = [i for i in session.items if "bundle" in i.keywords and not i.get_closest_marker("skip")]
    if wanted and sys.platform.startswith("linux"):
        out = Path(tempfile.mkdtemp(prefix="empathy-audit-bundle-"))
        session.config.stash[BUNDLE_BUILD] = start_bundle_build(out)


def pytest_sessionfinish(session: pytest.Session) -> None:
    from bundle_build import BUNDLE_BUILD

    build = session.config.stash.get(BUNDLE_BUILD, None)
    if build is not None:
        if build["proc"].poll() is None:
            build["proc"].kill()
            build["proc"].wait()
        build["log"].close()
        shutil.rmtree(build["out"], ignore_errors=True)
