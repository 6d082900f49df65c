"""Layering rules: the core never imports Qt, and heavy engines load only in the worker."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "empathy_audit"
HEAVY = ("PySide6", "faster_whisper", "ctranslate2", "torch", "whisper", "matplotlib")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_qt() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "ui" not in path.relative_to(PACKAGE).parts and "PySide6" in _imports(path)
    ]
    assert offenders == []


def test_cli_startup_loads_no_engine_or_qt() -> None:
    code = (
        "import sys, empathy_audit.cli, empathy_audit.transcription.runner, empathy_audit.importing.importer;"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_window_module_loads_no_charts_or_audio_libraries() -> None:
    """matplotlib and FFmpeg's libraries (PyAV) load when a chart is drawn or audio is read, not before the window."""
    code = "import sys, empathy_audit.ui.main_window; print([m for m in ('matplotlib', 'av') if m in sys.modules])"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_the_app_runs_no_ffmpeg_program() -> None:
    """One FFmpeg: the app decodes and encodes with FFmpeg's libraries in process (PyAV); the ffmpeg program
    (imageio-ffmpeg, a dev extra) is for test fixtures and benchmarks only."""
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "ffmpeg.py"
        and (({"imageio_ffmpeg", "subprocess"} & _imports(path) and "ffmpeg" in path.read_text())
             or "empathy_audit.audio.ffmpeg" in path.read_text())
    ]  # fmt: skip
    assert offenders == []


def test_modules_stay_small() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text().splitlines())) > 400
    }
    assert long == {}


SQL_CALLS = {"execute", "executemany", "executescript", "query"}


def test_sql_runs_only_in_the_store() -> None:
    """Every SQL statement lives behind the store's functions; the layers above call those."""
    offenders = sorted(
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] != "store"
        for node in ast.walk(ast.parse(path.read_text(), str(path)))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS
    )
    assert offenders == []


def test_the_app_and_the_command_line_hold_no_database_handle() -> None:
    """Widgets and commands reach the workspace through its services only: no `db` attribute or argument,
    no SQLite import."""
    offenders = []
    for path in [*(PACKAGE / "ui").rglob("*.py"), *(PACKAGE / "cli").rglob("*.py")]:
        tree = ast.parse(path.read_text(), str(path))
        where = path.relative_to(PACKAGE)
        offenders += [
            f"{where}:{n.lineno} .{n.attr}"
            for n in ast.walk(tree)
            if isinstance(n, ast.Attribute) and n.attr in ("db", "_db", "conn")
        ]
        offenders += [
            f"{where}:{n.lineno} {n.arg}=" for n in ast.walk(tree) if isinstance(n, ast.arg) and n.arg in ("db", "conn")
        ]
        offenders += [f"{where} imports {m}" for m in _imports(path) & {"sqlite3", "sqlite_utils"}]
    assert offenders == []


def _runtime_imports(path: Path) -> set[str]:
    """Modules of this package a module imports when it loads (module level; `if TYPE_CHECKING:` left out)."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(), str(path)).body:
        nodes = [node]
        if isinstance(node, ast.If):
            if "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            nodes = node.body
        for n in nodes:
            if isinstance(n, ast.ImportFrom) and n.module and n.level == 0 and n.module.startswith("empathy_audit"):
                names.update(f"{n.module}.{a.name}" for a in n.names)
                names.add(n.module)
            elif isinstance(n, ast.Import):
                names.update(a.name for a in n.names if a.name.startswith("empathy_audit"))
    return names


def _import_graph() -> dict[str, set[str]]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return {name: (_runtime_imports(path) & modules.keys()) - {name} for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in list(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles_between_modules_or_core_packages() -> None:
    graph = _import_graph()
    assert _cycles(graph) == []

    def area(module: str) -> str:  # empathy_audit.store.calls -> empathy_audit.store
        return ".".join(module.split(".")[:2])

    areas: dict[str, set[str]] = {}
    for module, imports in graph.items():
        areas.setdefault(area(module), set()).update(area(m) for m in imports if area(m) != area(module))
    assert _cycles(areas) == []


def test_the_store_imports_nothing_above_it() -> None:
    above = ("transcription", "analytics", "reviewing", "clips", "calibration", "packs", "ui", "cli", "privacy")
    offenders = {
        module: sorted(m for m in imports if m.split(".")[1] in above)
        for module, imports in _import_graph().items()
        if module.startswith("empathy_audit.store")
    }
    assert {m: i for m, i in offenders.items() if i} == {}


def test_only_the_app_and_the_command_line_use_the_application_layer() -> None:
    users = {
        module
        for module, imports in _import_graph().items()
        if any(m.startswith("empathy_audit.services") for m in imports)
        and not module.startswith("empathy_audit.services")
    }
    assert {m for m in users if not m.startswith(("empathy_audit.ui", "empathy_audit.cli"))} == set()
