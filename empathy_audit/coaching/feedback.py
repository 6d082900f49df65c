"""Feedback for one agent: an HTML page (and a PDF) with the agent's reviewed calls of a quarter, scores per
criterion against the team median, the evidence quotes each with its audio moment (personal data hidden in
words and bleeped in sound, as clips are), the reviewers' comments, the trend over quarters and what went
well. Nothing about any other agent: the team appears only as a median per criterion.
"""

from __future__ import annotations

import html
import statistics
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from empathy_audit.analytics.facts import load_facts
from empathy_audit.store import Workspace
from empathy_audit.store.calls import get_call
from empathy_audit.store.reviews import Review
from empathy_audit.store.transcripts import current_transcript
from empathy_audit.transcription.formats import format_duration
from empathy_audit.wording import CRITERION_LABELS as LABELS
from empathy_audit.wording import plural

MIN_PEERS = 5  # the team median is shown only over at least this many other agents: fewer would give theirs away


class FeedbackProblem(ValueError):
    """No feedback can be written (no reviewed calls for the agent that quarter, an unusable folder)."""


@dataclass
class Moment:
    criterion: str
    start_s: float
    end_s: float
    quote: str  # redacted
    note: str
    audio: str | None  # file name under audio/, or None when the audio could not be cut


@dataclass
class CallFeedback:
    review: Review
    call_name: str
    started: str
    score: float | None
    scores: dict[str, int | None]
    comments: dict[str, str]
    overall_note: str
    moments: list[Moment] = field(default_factory=list)
    status: str = ""  # acknowledged / disputed ...


@dataclass
class Feedback:
    agent: str
    quarter: str
    team: str | None
    scale: float
    calls: list[CallFeedback]
    mine: dict[str, float]  # criterion -> the agent's mean this quarter
    team_median: dict[str, float]  # criterion -> median of the team's agents' means (the agent included)
    trend: list[tuple[str, float, int]]  # (quarter, mean score, calls) up to this quarter
    went_well: list[str]
    html_path: Path | None = None
    pdf_path: Path | None = None
    redacted: bool = True


def _label(key: str) -> str:
    return LABELS.get(key, key)


def _comparisons(ws: Workspace, agent: str, quarter: str) -> tuple[str | None, dict, dict, list, float]:
    facts = load_facts(ws.db)
    facts = facts.take(~facts.flagged)
    mine_mask = facts.agent == agent
    teams = [t for t in facts.team[mine_mask & (facts.quarter == quarter)] if t]
    team = statistics.mode(teams) if teams else None
    in_quarter = facts.quarter == quarter
    mine = {k: float(np.nanmean(v[mine_mask & in_quarter])) for k, v in facts.criteria.items()
            if np.any(~np.isnan(v[mine_mask & in_quarter]))}  # fmt: skip
    medians: dict[str, float] = {}
    if team:
        # The agent's colleagues only, and only when there are enough of them that no one's mean can be
        # worked back from the median and the agent's own.
        peers = in_quarter & (facts.team == team) & ~mine_mask
        for key, values in facts.criteria.items():
            means = [float(np.nanmean(values[peers & (facts.agent == a)])) for a in set(facts.agent[peers]) if a
                     and np.any(~np.isnan(values[peers & (facts.agent == a)]))]  # fmt: skip
            if len(means) >= MIN_PEERS:
                medians[key] = float(statistics.median(means))
    trend = []
    for q in sorted({q for q in facts.quarter[mine_mask] if q and q <= quarter}):
        chosen = mine_mask & (facts.quarter == q)
        trend.append((q, float(facts.score[chosen].mean()), int(chosen.sum())))
    return team, mine, medians, trend, facts.scale


def build_feedback(ws: Workspace, agent: str, quarter: str, out_dir: Path, redact: bool = True) -> Feedback:
    """Gather the agent's quarter and cut each evidence moment's audio into out_dir/audio."""
    from empathy_audit.clips.export import ExportOptions, clip_audio, slug, write_clip_audio
    from empathy_audit.clips.spans import excerpt, render_excerpt
    from empathy_audit.coaching.sessions import agent_review_list
    from empathy_audit.privacy.call_findings import find_in_call, redact_text
    from empathy_audit.store.clips import Clip

    reviewed = agent_review_list(ws.db, agent, quarter)  # what a coaching session walks through, too
    if not reviewed:
        raise FeedbackProblem(f"no reviewed calls for agent “{agent}” in {quarter}; nothing to give feedback on")
    team, mine, medians, trend, scale = _comparisons(ws, agent, quarter)
    audio_dir = f"audio-{slug(agent)}-{quarter}"  # one folder per page: another agent's page never shares it
    (out_dir / audio_dir).mkdir(parents=True, exist_ok=True)
    calls = []
    for entry in reviewed:
        review = entry.review
        call = get_call(ws.db, review.call_id)
        assert call is not None
        found = current_transcript(ws.db, call.id)
        segments = found[1] if found else []
        findings = find_in_call(segments, call.language) if redact else None
        item = CallFeedback(
            review, entry.call_name, entry.started, entry.score, dict(review.scores), dict(review.comments),
            review.overall_note or "",
        )  # fmt: skip
        for n, ev in enumerate(review.evidence, start=1):
            quote = render_excerpt(excerpt(segments, ev.start_s, ev.end_s, findings)) if segments else ""
            name: str | None = f"r{review.id}-{n:02d}.mp3"
            moment = Clip(0, call.id, ev.start_s, ev.end_s, f"{call.original_name} {ev.criterion_key}")
            try:
                audio, _bleeped = clip_audio(ws, moment, ExportOptions(redact=redact), findings)
                write_clip_audio(audio, out_dir / audio_dir / name, "mp3")
            except Exception:
                name = None
            note = redact_text(ev.note, language=call.language) if redact and ev.note else ev.note or ""
            item.moments.append(Moment(ev.criterion_key, ev.start_s, ev.end_s, quote, note,
                                       f"{audio_dir}/{name}" if name else None))  # fmt: skip
        if redact:  # reviewers' words can hold a customer's name or number too
            item.comments = {k: redact_text(v, language=call.language) for k, v in item.comments.items()}
            item.overall_note = redact_text(item.overall_note, language=call.language) if item.overall_note else ""
        state = [f"{_label(d.criterion_key)} disputed ({d.state.replace('_', ' ')})" for d in entry.disputes]
        if entry.acknowledged:
            _agent, said, when = entry.acknowledged
            state.insert(0, f"acknowledged {when[:10]}" + (f": “{said}”" if said else ""))
        item.status = "; ".join(state) or "not acknowledged yet"
        calls.append(item)
    well = [f"{_label(k)}: {v:.2f} against the team's median {medians[k]:.2f}" for k, v in sorted(mine.items())
            if k in medians and v >= medians[k]]  # fmt: skip
    top = [m for c in calls for m in c.moments if c.scores.get(m.criterion) == int(scale)]
    well += [f"{_label(m.criterion)} scored {int(scale)} on {c.call_name} at {format_duration(m.start_s)}"
             for c in calls for m in c.moments if m in top][:5]  # fmt: skip
    return Feedback(agent, quarter, team, scale, calls, mine, medians, trend, well, redacted=redact)


def _html(f: Feedback) -> str:
    e = html.escape
    crit = sorted(set(f.mine) | set(f.team_median), key=lambda k: list(LABELS).index(k) if k in LABELS else 99)
    rows = "".join(
        f"<tr><td>{e(_label(k))}</td><td>{f.mine.get(k, float('nan')):.2f}</td>"
        f"<td>{'' if k not in f.team_median else f'{f.team_median[k]:.2f}'}</td></tr>"
        for k in crit
    )
    trend = "".join(f"<tr><td>{e(q)}</td><td>{m:.2f}</td><td>{n}</td></tr>" for q, m, n in f.trend)
    well = "".join(f"<li>{e(w)}</li>" for w in f.went_well) or "<li>Nothing stood out above the team yet.</li>"
    parts = []
    for c in f.calls:
        scores = " · ".join(f"{e(_label(k))} {'N/A' if v is None else v}" for k, v in c.scores.items())
        comments = "".join(f"<li><b>{e(_label(k))}</b>: {e(v)}</li>" for k, v in c.comments.items())
        if c.overall_note:
            comments += f"<li><b>Overall</b>: {e(c.overall_note)}</li>"
        moments = "".join(
            f"<li><b>{e(_label(m.criterion))}</b> at {format_duration(m.start_s)}–{format_duration(m.end_s)}"
            + (f" — {e(m.note)}" if m.note else "")
            + (f"<blockquote>{e(m.quote).replace(chr(10), '<br>')}</blockquote>" if m.quote else "")
            + (f'<audio controls preload="none" src="{e(m.audio)}"></audio>' if m.audio else
               "<p><i>(the recording could not be read)</i></p>")
            + "</li>"
            for m in c.moments
        )  # fmt: skip
        score = "" if c.score is None else f"{c.score:.2f} of {f.scale:g}"
        parts.append(
            f"<section><h3>{e(c.call_name)} <small>{e(c.started)} · review {c.review.id} · {e(c.review.reviewer)}"
            f"</small></h3><p><b>Audit score {score}</b> — {scores}</p><p class=status>{e(c.status)}</p>"
            + (f"<h4>Reviewer's comments</h4><ul>{comments}</ul>" if comments else "")
            + (f"<h4>Evidence</h4><ul>{moments}</ul>" if moments else "")
            + "</section>"
        )
    team = f" (team {e(f.team)})" if f.team else ""
    privacy = (
        "Personal data in quotes and comments is shown as [redacted] and bleeped in the audio."
        if f.redacted
        else "Personal data is NOT hidden on this page."
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Feedback for {e(f.agent)} — {e(f.quarter)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}}
blockquote{{margin:.4rem 0 .4rem 1rem;color:#333;white-space:pre-wrap}}small{{color:#666;font-weight:normal}}
section{{border-top:1px solid #ddd;margin-top:1.2rem}}.status{{color:#555}}</style></head><body>
<h1>Feedback for {e(f.agent)} — {e(f.quarter)}</h1>
<p>{plural(len(f.calls), "reviewed call")}{team}. Made {date.today().isoformat()} by Empathy Audit. {privacy}
The team median is shown where at least {MIN_PEERS} colleagues were reviewed.</p>
<h2>Scores per criterion</h2><table><tr><th>Criterion</th><th>You (mean)</th><th>Team median</th></tr>{rows}</table>
<h2>What went well</h2><ul>{well}</ul>
<h2>Over the quarters</h2><table><tr><th>Quarter</th><th>Mean audit score</th><th>Calls</th></tr>{trend}</table>
<h2>Your reviewed calls</h2>{"".join(parts)}
</body></html>
"""


def _pdf(f: Feedback, path: Path) -> None:
    """The same content as text pages (audio stays in the HTML; the PDF gives each moment's time)."""
    import textwrap

    from matplotlib.backends.backend_pdf import PdfPages

    from empathy_audit.analytics.report_pages import new_page, paper_size

    lines: list[tuple[str, float, str]] = [(f"Feedback for {f.agent} — {f.quarter}", 15, "bold"), ("", 9, "")]
    lines.append((plural(len(f.calls), "reviewed call") + (f" (team {f.team})" if f.team else ""), 10, ""))
    lines.append(("Scores per criterion (you / team median)", 12, "bold"))
    for k in sorted(f.mine):
        median = f" / {f.team_median[k]:.2f}" if k in f.team_median else ""
        lines.append((f"{_label(k)}: {f.mine[k]:.2f}{median}", 10, ""))
    lines.append(("What went well", 12, "bold"))
    lines += [(f"• {w}", 10, "") for w in f.went_well]
    lines.append(("Over the quarters", 12, "bold"))
    lines += [(f"{q}: {m:.2f} ({plural(n, 'call')})", 10, "") for q, m, n in f.trend]
    for c in f.calls:
        lines.append(("", 9, ""))
        lines.append((f"{c.call_name} — {c.started} — audit {c.score or 0:.2f} — {c.status}", 11, "bold"))
        for k, v in c.comments.items():
            lines.append((f"{_label(k)}: {v}", 9, ""))
        if c.overall_note:
            lines.append((f"Overall: {c.overall_note}", 9, ""))
        for m in c.moments:
            lines.append((f"{_label(m.criterion)} at {format_duration(m.start_s)}: {m.quote.replace(chr(10), ' ')}", 9,
                          "italic"))  # fmt: skip
    size = paper_size(None)
    with PdfPages(path) as pdf:
        page, y = new_page(size), 0.95
        for text, font, style in lines:
            if style == "bold":
                y -= 0.008  # a heading stands off the text above it
            wrapped = textwrap.wrap(text, width=int(110 * 10 / font)) or [""]
            for line in wrapped:
                if y < 0.05:
                    pdf.savefig(page)
                    page, y = new_page(size), 0.95
                page.text(0.07, y, line, fontsize=font, weight="bold" if style == "bold" else "normal",
                          style="italic" if style == "italic" else "normal", va="top")  # fmt: skip
                y -= font * 1.45 / 72 / size[1]
        pdf.savefig(page)


def write_feedback(ws: Workspace, agent: str, quarter: str, out_dir: Path, redact: bool = True) -> Feedback:
    """feedback-AGENT-QUARTER.html (with audio/) and .pdf in out_dir."""
    from empathy_audit.clips.export import slug

    out_dir.mkdir(parents=True, exist_ok=True)
    feedback = build_feedback(ws, agent, quarter, out_dir, redact)
    stem = f"feedback-{slug(agent)}-{quarter}"
    feedback.html_path = out_dir / f"{stem}.html"
    feedback.html_path.write_text(_html(feedback), encoding="utf-8")
    feedback.pdf_path = out_dir / f"{stem}.pdf"
    from empathy_audit.analytics.chart_kit import DRAW_LOCK

    with DRAW_LOCK:
        _pdf(feedback, feedback.pdf_path)
    return feedback
