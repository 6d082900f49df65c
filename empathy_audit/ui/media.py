"""A media player and its sound output, made safe against a lock inversion between Qt and Python.

QtMultimedia's FFmpeg backend connects objects living in its own threads (the audio renderer) to the
player's sound output. When such an object is destroyed (a stop, a new source, the end of a clip), its
thread calls `disconnectNotify` on the output *while holding Qt's signal lock*. On an object made from
Python that virtual is a shiboken wrapper which takes the GIL to look for a Python override. The GUI
thread, holding the GIL, may at that moment connect or disconnect anything and wait for the same lock:
the window hangs for good (seen as a CI run that never ended; `py-spy dump --native` showed the two
threads). shiboken remembers per object that no override exists once it has looked, and then never
takes the GIL for that virtual again. So the look is made here, on the GUI thread, before any FFmpeg
thread exists (tests/ui/test_media.py checks that the lookup is not made again).

Do not set callables as attributes on these objects (`player.something = fn`, monkeypatching): shiboken
then forgets what it found, and the lookup (and the GIL) comes back.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer


def _nothing(*_args: object) -> None:
    pass


def settle_notify_overrides(*objects: QObject) -> None:
    """Let shiboken find, on this thread, that these objects' connect/disconnect notifications are
    plain C++, so that Qt's own threads can later call them without the GIL."""
    for obj in objects:
        obj.objectNameChanged.connect(_nothing)  # connectNotify looked up
        obj.objectNameChanged.disconnect(_nothing)  # disconnectNotify looked up


def make_player(parent: QObject, volume: float = 1.0) -> tuple[QMediaPlayer, QAudioOutput]:
    """A player with its sound output, both safe to tear down while FFmpeg threads run."""
    player = QMediaPlayer(parent)
    audio = QAudioOutput(parent)
    audio.setVolume(volume)
    settle_notify_overrides(player, audio)
    player.setAudioOutput(audio)
    return player, audio
