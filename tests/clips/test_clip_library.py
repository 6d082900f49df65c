"""Clips as stored references: create, find, change, delete — on a real transcribed workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

from empathy_audit.clips.library import create_clip, normalise_tags, update_clip
from empathy_audit.importing.importer import ImportOptions, import_paths
from empathy_audit.store import open_workspace
from empathy_audit.store.clips import ClipProblem, all_tags, delete_clips, get_clip, list_clips


def test_create_snaps_stores_the_excerpt_and_reads_back(personal_data_root: Path) -> None:
    with open_workspace(personal_data_root) as ws:
        clip = create_clip(
            ws.db, 1, 33.2, 39.0, "  Owns the follow-up ", tags=["Action Great", "action-great", "care,follow_up"],
            note="Listen for the promise.", criterion_key="care",
        )  # fmt: skip
        assert clip.title == "Owns the follow-up"
        assert clip.tags == ["action-great", "care", "follow-up"]
        # The agent's last turn (35.3–38.8 s): silence before it is trimmed, padding added after it.
        assert 35.0 <= clip.start_s <= 35.3 and 38.8 < clip.end_s <= 39.05
        assert clip.transcript_excerpt.startswith("Agent: I am sorry about the trouble.")
        assert clip.criterion_label == "Action with care"
        assert clip.agent == "Ana" and clip.team == "Blue"
    with open_workspace(personal_data_root) as ws:  # a fresh connection sees it
        assert get_clip(ws.db, clip.id).as_json()["duration_s"] == pytest.approx(clip.end_s - clip.start_s)


def test_search_matches_every_word_across_fields(personal_data_root: Path) -> None:
    with open_workspace(personal_data_root) as ws:
        a = create_clip(ws.db, 1, 12.0, 19.0, "Card read aloud", tags=["privacy"], criterion_key="investigation")
        b = create_clip(ws.db, 1, 35.0, 39.0, "Promise to call", note="warm close", criterion_key="care")
        ids = lambda q: [c.id for c in list_clips(ws.db, q)]  # noqa: E731
        assert ids("") == [b.id, a.id]  # newest first
        assert ids("privacy") == [a.id]  # tag
        assert ids("FRIDAY") == [b.id]  # transcript, any case
        assert ids("warm call") == [b.id]  # note + title, all words must match
        assert ids("investigation") == [a.id]  # criterion key
        assert ids("care") == [b.id]  # criterion label ("Action with care")
        assert ids("nothing-like-this") == []
        assert all_tags(ws.db) == ["privacy"]


def test_update_changes_what_was_given_and_resnaps_the_span(personal_data_root: Path) -> None:
    with open_workspace(personal_data_root) as ws:
        clip = create_clip(ws.db, 1, 35.0, 39.0, "Close", tags=["a"], note="n")
        moved = update_clip(ws.db, clip.id, start_s=0.0, end_s=4.5, tags=["b"])
        assert moved.title == "Close" and moved.note == "n" and moved.tags == ["b"]
        assert moved.transcript_excerpt.startswith("Agent: Thank you for calling.")
        assert moved.end_s < 4.8
        cleared = update_clip(ws.db, clip.id, criterion_key=None, note="")
        assert cleared.criterion_key is None and cleared.note == ""
        assert delete_clips(ws.db, [clip.id]) == 1
        with pytest.raises(ClipProblem, match="no clip"):
            get_clip(ws.db, clip.id)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"call_id": 99}, "no call 99"),
        ({"title": "  "}, "needs a title"),
        ({"criterion_key": "charm"}, "no rubric criterion is called 'charm'"),
        ({"start_s": 50.0, "end_s": 55.0}, "outside the call"),
        ({"start_s": 5.0, "end_s": 2.0}, "before it starts"),
    ],
)
def test_bad_clips_are_refused_and_nothing_is_written(personal_data_root: Path, kwargs: dict, message: str) -> None:
    args = {"call_id": 1, "start_s": 1.0, "end_s": 3.0, "title": "T", **kwargs}
    with open_workspace(personal_data_root) as ws:
        with pytest.raises(ClipProblem, match=message):
            create_clip(ws.db, args.pop("call_id"), args.pop("start_s"), args.pop("end_s"), args.pop("title"), **args)
        assert list_clips(ws.db) == []


def test_a_call_without_a_transcript_cannot_be_clipped(workspace, audio_dir: Path) -> None:
    import_paths(workspace, [audio_dir / "mono_16k.wav"], ImportOptions())
    with pytest.raises(ClipProblem, match="no transcript yet; transcribe it first"):
        create_clip(workspace.db, 1, 0.0, 2.0, "Too early")


def test_tag_normalising() -> None:
    assert normalise_tags(["  Acknowledgment Great ", "x,, y", "X"]) == ["acknowledgment-great", "x", "y"]
