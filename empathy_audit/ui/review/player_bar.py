"""Audio playback (QtMultimedia): play/pause, seek, skip ±5 s, speed, volume."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtMultimedia import QMediaDevices, QMediaPlayer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QToolButton, QVBoxLayout, QWidget

from empathy_audit.transcription.formats import format_duration
from empathy_audit.ui.media import make_player

SPEEDS = [0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
SKIP_MS = 5000


class PlayerBar(QWidget):
    position_changed = Signal(int)  # ms
    playing_changed = Signal(bool)

    def __init__(self, volume: int = 80, rate: float = 1.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.player, self.audio = make_player(self, volume / 100)

        self.play_button = self._button("Play", "Play or pause (Space)", self.toggle)
        back = self._button("−5 s", "Back 5 seconds (Left)", lambda: self.skip(-SKIP_MS))
        forward = self._button("+5 s", "Forward 5 seconds (Right)", lambda: self.skip(SKIP_MS))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slider.setAccessibleName("Position")
        self.slider.sliderMoved.connect(self.seek)
        self.time_label = QLabel("0:00 / 0:00")
        self.speed = QComboBox()
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.speed.setToolTip("Playback speed ([ slower, ] faster)")
        for value in SPEEDS:
            self.speed.addItem(f"{value:g}×", value)
        self.speed.setCurrentIndex(SPEEDS.index(rate) if rate in SPEEDS else 1)
        self.speed.currentIndexChanged.connect(lambda _i: self.player.setPlaybackRate(self.speed.currentData()))
        self.player.setPlaybackRate(self.speed.currentData())
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.volume.setRange(0, 100)
        self.volume.setValue(volume)
        self.volume.setMaximumWidth(90)
        self.volume.setToolTip("Volume")
        self.volume.valueChanged.connect(lambda v: self.audio.setVolume(v / 100))

        # Without a sound output nothing plays: say so rather than a Play button that seems broken.
        self.no_sound = QLabel(
            "No sound output found: connect speakers or a headset to listen (you can still read and score)."
        )
        self.no_sound.setStyleSheet("color: #b00020")
        self.no_sound.setWordWrap(True)
        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._on_devices_audio_outputs_changed)

        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (back, self.play_button, forward):
            layout.addWidget(widget)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.time_label)
        layout.addWidget(self.speed)
        layout.addWidget(QLabel("Vol"))
        layout.addWidget(self.volume)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(layout)
        outer.addWidget(self.no_sound)

        self._connect_player()
        self._on_devices_audio_outputs_changed()

    # No Python slot is left waiting for the GUI thread while QtMultimedia tears playback down (stop, a new
    # source, destruction); ui/media.py explains the lock inversion that makes FFmpeg's threads dangerous.
    def _player_slots(self) -> list[tuple[Any, Any]]:
        return [
            (self.player.positionChanged, self._on_player_position_changed),
            (self.player.durationChanged, self._on_player_duration_changed),
            (self.player.playbackStateChanged, self._on_player_state_changed),
        ]

    def _connect_player(self) -> None:
        for signal, slot in self._player_slots():
            signal.connect(slot)

    def _disconnect_player(self) -> None:
        for signal, slot in self._player_slots():
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)

    def _on_devices_audio_outputs_changed(self) -> None:
        has_output = bool(QMediaDevices.audioOutputs())
        self.no_sound.setVisible(not has_output)
        if has_output:
            self.audio.setDevice(QMediaDevices.defaultAudioOutput())

    def shutdown(self) -> None:
        """Stop playback for good (the window is closing) without risking that deadlock."""
        self._disconnect_player()
        self.player.stop()

    def _button(self, text: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        return button

    def load(self, path: Path | None) -> None:
        self._disconnect_player()
        self.player.stop()
        self.player.setSource(QUrl.fromLocalFile(str(path)) if path else QUrl())
        self._connect_player()

    @property
    def playing(self) -> bool:
        return self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def toggle(self) -> None:
        if self.playing:
            self.player.pause()
        else:
            self.player.play()

    def play_from(self, ms: int) -> None:
        self.seek(ms)
        self.player.play()

    def seek(self, ms: int) -> None:
        duration = self.player.duration()
        ms = max(0, min(ms, duration if duration > 0 else ms))
        self.player.setPosition(ms)

    def change_speed(self, steps: int) -> float:
        """One step slower (-1) or faster (+1) through the speeds offered; returns the speed now."""
        index = max(0, min(self.speed.count() - 1, self.speed.currentIndex() + steps))
        self.speed.setCurrentIndex(index)
        return float(self.speed.currentData())

    def skip(self, delta_ms: int) -> None:
        self.seek(self.player.position() + delta_ms)

    def position(self) -> int:
        return int(self.player.position())

    def _on_player_position_changed(self, ms: int) -> None:
        if not self.slider.isSliderDown():
            self.slider.setValue(ms)
        self.time_label.setText(f"{format_duration(ms / 1000)} / {format_duration(self.player.duration() / 1000)}")
        self.position_changed.emit(ms)

    def _on_player_duration_changed(self, ms: int) -> None:
        self.slider.setRange(0, ms)
        self._on_player_position_changed(self.player.position())

    def _on_player_state_changed(self, _state: QMediaPlayer.PlaybackState) -> None:
        self.play_button.setText("Pause" if self.playing else "Play")
        self.playing_changed.emit(self.playing)
