"""Which side of a call is the agent, from what each side says (rules in resources/sides.toml).

A side is a channel of a two-channel call, or a voice of a mono call. Each side scores the agent phrases it
says minus the customer phrases, by weight; the side that scores clearly higher is the agent. Where the
words do not tell, nothing is decided and the workspace's default stays.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from empathy_audit.domain import Segment
from empathy_audit.paths import resource_path

RULES = resource_path("sides.toml")


@dataclass(frozen=True)
class SideRules:
    agent: tuple[tuple[str, int], ...]
    customer: tuple[tuple[str, int], ...]
    margin: int = 3


@dataclass
class SideVote:
    agent: Hashable | None  # the side that is the agent, or None: the words do not tell
    scores: dict[Hashable, int] = field(default_factory=dict)
    evidence: dict[Hashable, list[str]] = field(default_factory=dict)  # the phrases heard, per side


def _phrases(table: dict) -> tuple[tuple[str, int], ...]:
    return tuple((str(p).lower(), int(weight)) for weight, phrases in table.items() for p in phrases)


@lru_cache(maxsize=1)
def load_rules() -> SideRules:
    data = tomllib.loads(RULES.read_text(encoding="utf-8"))
    return SideRules(_phrases(data.get("agent", {})), _phrases(data.get("customer", {})), int(data.get("margin", 3)))


def _norm(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("’", "'")).strip() + " "


def _hits(text: str, phrases: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    return [(p, w) for p, w in phrases if f" {p} " in text]


def vote(sides: dict[Hashable, list[Segment]], rules: SideRules | None = None) -> SideVote:
    """Which of (exactly two) sides is the agent, from the phrases each says."""
    rules = rules or load_rules()
    result = SideVote(None)
    for side, segments in sides.items():
        text = _norm(" ".join(s.text for s in segments))
        agent, customer = _hits(text, rules.agent), _hits(text, rules.customer)
        result.scores[side] = sum(w for _p, w in agent) - sum(w for _p, w in customer)
        result.evidence[side] = [p for p, _w in agent] + [f"(customer) {p}" for p, _w in customer]
    if len(result.scores) == 2:
        (a, score_a), (_b, score_b) = sorted(result.scores.items(), key=lambda item: -item[1])
        if score_a - score_b >= rules.margin and score_a > 0:
            result.agent = a
    return result


def by_channel(segments: list[Segment]) -> dict[Hashable, list[Segment]]:
    out: dict[Hashable, list[Segment]] = {0: [], 1: []}
    for seg in segments:
        if seg.channel in out:
            out[seg.channel].append(seg)
    return out


def by_speaker(segments: list[Segment]) -> dict[Hashable, list[Segment]]:
    out: dict[Hashable, list[Segment]] = {"agent": [], "customer": []}
    for seg in segments:
        if seg.speaker in out:
            out[seg.speaker].append(seg)
    return out


def swapped(segments: list[Segment]) -> list[Segment]:
    """The same conversation with agent and customer the other way round."""
    flip = {"agent": "customer", "customer": "agent"}
    out = []
    for seg in segments:
        seg = Segment(**{**seg.__dict__, "speaker": flip.get(seg.speaker, seg.speaker)})
        out.append(seg)
    return out


@dataclass
class SideDecision:
    segments: list[Segment]
    agent_channel: str  # left | right (for two-channel calls; kept as it was for mono ones)
    source: str  # detected | default | set
    note: str


def decide_sides(layout: str, agent_channel: str, source: str, segments: list[Segment]) -> SideDecision:
    """Which side is the agent in a freshly transcribed call, and the conversation labelled so.

    A channel a person set stays. Otherwise what each side says decides; when it does not tell, a two-channel
    call keeps the workspace's default channel and a mono call the voice that spoke first."""
    if source == "set" and layout in ("dual", "dual_bleed"):
        return SideDecision(segments, agent_channel, "set", "the agent's side was set by a person")
    # A mono call's voices are found afresh each time, so a swap made by hand on an earlier transcript
    # cannot carry over: what each voice says decides again.
    if layout in ("dual", "dual_bleed"):
        result = vote(by_channel(segments))
        if result.agent is None:
            return SideDecision(
                segments, agent_channel, "default", f"the words do not tell: agent on the {agent_channel}"
            )
        detected = "left" if result.agent == 0 else "right"
        labelled = segments if detected == agent_channel else swapped(segments)
        return SideDecision(labelled, detected, "detected", f"the agent speaks on the {detected} ({_said(result)})")
    if not any(s.speaker in ("agent", "customer") for s in segments):
        return SideDecision(segments, agent_channel, "default", "one voice: nobody to tell apart")
    result = vote(by_speaker(segments))
    if result.agent is None:
        return SideDecision(segments, agent_channel, "default", "the words do not tell: the first voice is the agent")
    labelled = segments if result.agent == "agent" else swapped(segments)
    return SideDecision(labelled, agent_channel, "detected", f"the agent is the voice that says {_said(result)}")


def _said(result: SideVote) -> str:
    assert result.agent is not None
    phrases = [p for p in result.evidence.get(result.agent, []) if not p.startswith("(customer)")]
    return ", ".join(f"“{p}”" for p in phrases[:2]) or "more agent phrases"
