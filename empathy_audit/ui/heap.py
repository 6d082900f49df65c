"""Short garbage-collector pauses and short waits for the GIL in the window's process.

Python's full collection walks every container object the process holds, with the GIL held: with the
modules that import, transcription and the dashboard load (PyAV, multiprocessing, matplotlib) that walk took
50–200 ms, measured as the longest stall of the window while work ran (benchmarks/event_loop.py). Shortly
after the window opens, those modules are imported in the background and everything alive then is moved out
of the collector's reach (gc.freeze: modules, classes and functions that live as long as the process), so a
collection walks only what work made since: a few milliseconds. A dashboard build's figures (~19,000 objects
in cycles) are collected as soon as the next build replaces them, rather than three builds' worth in one
pause of over 100 ms.

Background threads of the window's process (a dashboard drawn with Agg, a comparison's resampling) hold the
GIL while they compute; the GUI thread, which takes the GIL again for every Python slot it runs, waits up to
the interpreter's switch interval each time. A 1 ms interval instead of 5 ms keeps those waits from adding
up to a visible stall (benchmarks/event_loop.py); the background work barely slows.
"""

from __future__ import annotations

import gc
import importlib
import sys

# What the first import, transcription and dashboard would otherwise load while the user waits on them.
GIL_SWITCH_S = 0.001  # sys.setswitchinterval: how long the GUI thread may wait for a computing thread

WARM_MODULES = (
    "av",
    "multiprocessing.connection",
    "multiprocessing.popen_spawn_posix",
    "multiprocessing.resource_tracker",
    "empathy_audit.audio.av_io",
    "empathy_audit.audio.decode",
    "empathy_audit.audio.probe",
    "empathy_audit.importing.importer",
    "empathy_audit.transcription.runner",
    "empathy_audit.transcription.worker_process",
    "empathy_audit.analytics.charts",
    "empathy_audit.analytics.outcome_charts",
    "matplotlib.backends.backend_agg",
)


def warm_up(modules: tuple[str, ...] = WARM_MODULES) -> list[str]:
    """Import `modules` (in a background thread); the names that failed to import (a stripped-down bundle
    lacks some, which is not an error: the work that needs them reports it)."""
    missing = []
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


def settle() -> int:
    """Young garbage collected, then everything alive frozen out of later collections; how many objects.
    Only young generations are collected (cheap): the little older garbage there may be stays frozen.
    The GUI thread's waits for the GIL are shortened too."""
    sys.setswitchinterval(GIL_SWITCH_S)
    gc.collect(1)
    gc.freeze()
    return gc.get_freeze_count()


def collect() -> int:
    """A full collection now (after dropping a known lump of cyclic garbage); the objects freed."""
    return gc.collect()
