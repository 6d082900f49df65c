"""Calls as conversations: channel plans, merging both sides in time order, and talk metrics."""

from __future__ import annotations

from empathy_audit.domain import ConversationMetrics, Segment

__all__ = ["ConversationMetrics", "compute_metrics"]  # the metrics type lives in domain (the store keeps it)

MIXED_CHANNEL = -1  # how a mono (or downmixed) call's single "channel" is keyed in checkpoints
MONOLOGUE_GAP_S = 1.5  # a customer pause shorter than this, with no agent speech, continues a monologue
MIN_OVERTALK_S = 0.2  # shorter overlaps are timing noise, not people talking over each other


def channel_plan(channels: int, agent_channel: str, layout: str = "dual") -> list[tuple[int, str]]:
    """(channel index, speaker) pairs to transcribe. One side per channel: one pass per side; a mono call,
    or one copied to both channels (dual_mono), is transcribed once."""
    if channels == 2 and layout in ("dual", "dual_bleed"):
        agent = 0 if agent_channel == "left" else 1
        return [(agent, "agent"), (1 - agent, "customer")]
    return [(MIXED_CHANNEL, "mixed")]


def merge_conversation(segments: list[Segment]) -> list[Segment]:
    """Both sides in one time-ordered list (ties: earlier end first, then agent before customer)."""
    order = {"agent": 0, "customer": 1, "mixed": 2}
    return sorted(segments, key=lambda s: (round(s.start, 3), round(s.end, 3), order.get(s.speaker, 3)))


def speech_start(seg: Segment) -> float:
    """When speech starts: the first word's time when there are words (segment times drift under VAD)."""
    return seg.words[0].start if seg.words else seg.start


Interval = tuple[float, float]


def _union(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _total(intervals: list[Interval]) -> float:
    return sum(end - start for start, end in intervals)


def _intersections(a: list[Interval], b: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if end > start:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _talk(segments: list[Segment], speaker: str) -> list[Interval]:
    return _union([(s.start, s.end) for s in segments if s.speaker == speaker])


def _monologues(customer: list[Interval], agent: list[Interval]) -> float:
    longest = 0.0
    current: Interval | None = None
    for start, end in customer:
        if current is not None:
            gap = (current[1], start)
            agent_in_gap = any(a_end > gap[0] and a_start < gap[1] for a_start, a_end in agent)
            if start - current[1] <= MONOLOGUE_GAP_S and not agent_in_gap:
                current = (current[0], end)
                continue
            longest = max(longest, current[1] - current[0])
        current = (start, end)
    if current is not None:
        longest = max(longest, current[1] - current[0])
    return longest


def compute_metrics(segments: list[Segment], duration_s: float) -> ConversationMetrics:
    """Talk, silence and overtalk for one call, from its segments' times."""
    agent, customer, mixed = (_talk(segments, who) for who in ("agent", "customer", "mixed"))
    agent_s, customer_s = _total(agent), _total(customer)
    anyone = _union([*agent, *customer, *mixed])
    gaps: list[float] = []
    cursor = 0.0
    for start, end in anyone:
        if start > cursor:
            gaps.append(start - cursor)
        cursor = max(cursor, end)
    if duration_s > cursor:
        gaps.append(duration_s - cursor)
    overlaps = [iv for iv in _intersections(agent, customer) if iv[1] - iv[0] >= MIN_OVERTALK_S]
    return ConversationMetrics(
        agent_talk_s=round(agent_s, 3),
        customer_talk_s=round(customer_s, 3),
        mixed_talk_s=round(_total(mixed), 3),
        agent_talk_ratio=round(agent_s / (agent_s + customer_s), 4) if agent_s + customer_s > 0 else None,
        longest_customer_monologue_s=round(_monologues(customer, agent), 3),
        silence_total_s=round(sum(gaps), 3),
        longest_silence_s=round(max(gaps, default=0.0), 3),
        overtalk_count=len(overlaps),
        overtalk_s=round(_total(overlaps), 3),
    )
