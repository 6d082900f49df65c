"""The readable index of an exported clip folder: index.html (plays in any browser) and index.md."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from empathy_audit.clips.spans import ExcerptLine
from empathy_audit.quarters import quarter_of
from empathy_audit.store.clips import Clip
from empathy_audit.transcription.formats import SPEAKER_LABELS, format_duration
from empathy_audit.wording import plural

REDACTED_NOTE = (
    "Personal data found in the transcript (numbers, names, e-mail addresses, postcodes, dates of birth, and "
    "every answer to a question asking for them) is replaced by a tone in the audio and by [redacted] in the "
    "text. It is found from what the speech recogniser wrote, so listen to each clip before sharing it."
)
UNREDACTED_WARNING = "Not redacted: these clips may contain personal data. Do not share them."


@dataclass
class HandoutEntry:
    clip: Clip
    audio_name: str
    lines: list[ExcerptLine]
    bleeps: int


def _source(clip: Clip, redacted: bool) -> str:
    """Where the moment comes from. A redacted handout names no agent and no file (names can hold
    customers' phone numbers); the team and quarter are enough to place it."""
    quarter = quarter_of(clip.call_start) if clip.call_start else None
    parts = [f"Team {clip.team}" if clip.team else None, quarter]
    if not redacted:
        parts = [clip.call_name, clip.agent, *parts]
    return " · ".join(p for p in parts if p) or ("A call with no team or date recorded" if redacted else "")


def _html(entries: Sequence[HandoutEntry], redacted: bool, title: str) -> str:
    esc = html.escape
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.45;color:#222}h2{margin-top:2rem;border-top:1px solid #ddd;padding-top:1rem}"
        ".meta{color:#555;font-size:.9rem}.tag{background:#eef;border-radius:4px;padding:0 .35rem;margin-right:.3rem}"
        ".line{margin:.2rem 0}.agent b{color:#0072b2}.customer b{color:#b35900}.note{background:#f7f7f2;"
        "padding:.5rem .75rem;border-left:3px solid #c9c29b}audio{width:100%}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="meta">{plural(len(entries), "clip")}, exported {date.today().isoformat()}. '
        + (REDACTED_NOTE if redacted else f"<strong>{UNREDACTED_WARNING}</strong>")
        + "</p>",
    ]
    for n, e in enumerate(entries, 1):
        clip = e.clip
        out.append(f"<h2>{n}. {esc(clip.title)}</h2>")
        meta = [f"{format_duration(clip.duration_s)}", esc(_source(clip, redacted))]
        if clip.criterion_label or clip.criterion_key:
            meta.insert(0, f"Illustrates: <b>{esc(clip.criterion_label or clip.criterion_key or '')}</b>")
        out.append(f'<p class="meta">{" · ".join(meta)}</p>')
        if clip.tags:
            out.append("<p>" + "".join(f'<span class="tag">{esc(t)}</span>' for t in clip.tags) + "</p>")
        out.append(f'<audio controls preload="none" src="{esc(e.audio_name)}"></audio>')
        out.append(f'<p class="meta">File: <a href="{esc(e.audio_name)}">{esc(e.audio_name)}</a></p>')
        for line in e.lines:
            label = SPEAKER_LABELS.get(line.speaker, line.speaker)
            out.append(f'<p class="line {esc(line.speaker)}"><b>{esc(label)}:</b> {esc(line.text)}</p>')
        if not e.lines:
            out.append('<p class="meta">(no words in this moment)</p>')
        if clip.note:
            out.append(f'<div class="note">{esc(clip.note).replace(chr(10), "<br>")}</div>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<&])")


def md(text: str) -> str:
    """Text shown as itself in Markdown: one line, HTML and Markdown syntax escaped."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _markdown(entries: Sequence[HandoutEntry], redacted: bool, title: str) -> str:
    out = [f"# {title}", ""]
    out.append(
        f"{plural(len(entries), 'clip')}, exported {date.today().isoformat()}. "
        + (REDACTED_NOTE if redacted else f"**{UNREDACTED_WARNING}**")
    )
    for n, e in enumerate(entries, 1):
        clip = e.clip
        out += ["", f"## {n}. {md(clip.title)}", ""]
        if clip.criterion_label or clip.criterion_key:
            out.append(f"- Illustrates: **{md(clip.criterion_label or clip.criterion_key or '')}**")
        out.append(f"- Audio: [{md(e.audio_name)}]({e.audio_name}) ({format_duration(clip.duration_s)})")
        out.append(f"- From: {md(_source(clip, redacted))}")
        if clip.tags:
            out.append("- Tags: " + ", ".join(md(t) for t in clip.tags))
        out.append("")
        for line in e.lines:
            out.append(f"> **{md(SPEAKER_LABELS.get(line.speaker, line.speaker))}:** {md(line.text)}  ")
        if clip.note:
            out += ["", *(md(line) + "  " for line in clip.note.splitlines())]
    return "\n".join(out) + "\n"


def write_handout(folder: Path, entries: Sequence[HandoutEntry], redacted: bool) -> tuple[Path, Path]:
    title = "Coaching clips"
    html_path, md_path = folder / "index.html", folder / "index.md"
    html_path.write_text(_html(entries, redacted, title), encoding="utf-8")
    md_path.write_text(_markdown(entries, redacted, title), encoding="utf-8")
    return html_path, md_path
