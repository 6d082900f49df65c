"""Players are made so that Qt's own threads never need the GIL to notify them (see ui/media.py): shiboken
has looked, on the GUI thread, for Python overrides of their connect/disconnect notifications, and keeps
that no override exists. If a PySide release stops keeping it, this fails rather than a CI run hanging."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

from empathy_audit.ui.media import make_player


def _nothing(*_args: object) -> None:
    pass


def test_players_never_look_for_python_notification_overrides_again(qapp) -> None:
    parent = QObject()
    player, audio = make_player(parent)
    assert player.audioOutput() is audio
    plain_player, plain_audio = QMediaPlayer(parent), QAudioOutput(parent)  # made without make_player
    looked: list[QObject] = []
    # An override added now is only found by objects that still look for one: those still take the GIL.
    QMediaPlayer.disconnectNotify = QAudioOutput.disconnectNotify = lambda self, _signal: looked.append(self)
    try:
        for obj, signal in ((player, "sourceChanged"), (audio, "volumeChanged"),
                            (plain_player, "sourceChanged"), (plain_audio, "volumeChanged")):  # fmt: skip
            getattr(obj, signal).connect(_nothing)
            getattr(obj, signal).disconnect(_nothing)
    finally:
        del QMediaPlayer.disconnectNotify, QAudioOutput.disconnectNotify
    assert {id(obj) for obj in looked} == {id(plain_player), id(plain_audio)}
