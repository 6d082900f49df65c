"""Finding and hiding personal data in calls: word rules, the question rule, and their use in one call."""

from empathy_audit.privacy.call_findings import (
    AUDIO_PAD_S,
    REDACTED,
    CallFindings,
    PersonalDataSpan,
    find_in_call,
    hidden_runs,
    redact_text,
    redact_tokens,
    redacted_segment_text,
)
from empathy_audit.privacy.finding import Finding
from empathy_audit.privacy.people import names_in
from empathy_audit.privacy.rules import find_personal_data, luhn_ok

__all__ = [
    "AUDIO_PAD_S",
    "REDACTED",
    "CallFindings",
    "Finding",
    "PersonalDataSpan",
    "find_in_call",
    "find_personal_data",
    "hidden_runs",
    "luhn_ok",
    "names_in",
    "redact_text",
    "redact_tokens",
    "redacted_segment_text",
]
