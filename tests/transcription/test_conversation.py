"""Channel plans, merging, and conversation metrics checked against numbers worked out by hand."""

from __future__ import annotations

import pytest

from empathy_audit.domain import Segment
from empathy_audit.transcription.conversation import channel_plan, compute_metrics, merge_conversation


def seg(speaker: str, start: float, end: float, text: str = "x") -> Segment:
    return Segment(speaker=speaker, start=start, end=end, text=text)


def test_channel_plan() -> None:
    assert channel_plan(2, "left") == [(0, "agent"), (1, "customer")]
    assert channel_plan(2, "right") == [(1, "agent"), (0, "customer")]
    assert channel_plan(1, "left") == [(-1, "mixed")]
    assert channel_plan(4, "left") == [(-1, "mixed")]


def test_merge_orders_by_time_then_agent_first() -> None:
    merged = merge_conversation([seg("customer", 5, 6), seg("agent", 0, 2), seg("customer", 2, 3), seg("agent", 2, 3)])
    assert [(s.speaker, s.start) for s in merged] == [("agent", 0), ("agent", 2), ("customer", 2), ("customer", 5)]


def test_metrics_by_hand() -> None:
    # Call of 30 s.
    # agent:    0-4, 10-12, 20.5-22           -> 4 + 2 + 1.5 = 7.5 s
    # customer: 3-8, 8.5-9.5, 12.1-18, 21-21.1 -> 5 + 1 + 5.9 + 0.1 = 12.0 s
    # overtalk: 3-4 (1.0 s), 21-21.1 (0.1 s, below 0.2 s: timing noise) -> 1 overlap, 1.0 s
    # monologues: 3-9.5 (gap 8-8.5 is 0.5 s, no agent) = 6.5 s; 12.1-18 = 5.9 s -> longest 6.5 s
    # anyone talking: 0-8, 8.5-9.5, 10-12, 12.1-18, 20.5-22
    #   -> silences 8-8.5 (0.5), 9.5-10 (0.5), 12-12.1 (0.1), 18-20.5 (2.5), 22-30 (8.0) = 11.6 s
    segments = [
        seg("agent", 0, 4),
        seg("agent", 10, 12),
        seg("agent", 20.5, 22),
        seg("customer", 3, 8),
        seg("customer", 8.5, 9.5),
        seg("customer", 12.1, 18),
        seg("customer", 21, 21.1),
    ]
    m = compute_metrics(segments, 30.0)
    assert m.agent_talk_s == pytest.approx(7.5)
    assert m.customer_talk_s == pytest.approx(12.0)
    assert m.agent_talk_ratio == pytest.approx(7.5 / 19.5, abs=1e-4)
    assert m.longest_customer_monologue_s == pytest.approx(6.5)
    assert m.silence_total_s == pytest.approx(11.6)
    assert m.longest_silence_s == pytest.approx(8.0)
    assert (m.overtalk_count, m.overtalk_s) == (1, pytest.approx(1.0))


def test_agent_speech_in_a_pause_ends_the_monologue() -> None:
    segments = [seg("customer", 0, 4), seg("agent", 4.2, 4.8), seg("customer", 5, 7)]
    assert compute_metrics(segments, 8).longest_customer_monologue_s == pytest.approx(4.0)


def test_metrics_of_a_silent_call() -> None:
    m = compute_metrics([], 12.0)
    assert (m.agent_talk_ratio, m.silence_total_s, m.longest_silence_s, m.overtalk_count) == (None, 12.0, 12.0, 0)
