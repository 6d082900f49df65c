"""Finding personal data: token rules, then a real transcript of a call full of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from empathy_audit.clips.personal_data import find_in_call, find_personal_data, luhn_ok, redact_text
from empathy_audit.store import open_workspace
from empathy_audit.store.transcripts import current_transcript


def kinds(text: str) -> list[tuple[str, str]]:
    tokens = text.split()
    return [(f.kind, " ".join(tokens[f.first : f.last + 1])) for f in find_personal_data(tokens)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Spoken digits, grouped with commas, as Whisper writes them.
        (
            "it is four five three nine, one four eight eight, zero three four three, six four six seven.",
            [("card", "four five three nine, one four eight eight, zero three four three, six four six seven.")],
        ),
        ("the card is 4539 1488 0343 6467 thanks", [("card", "4539 1488 0343 6467")]),
        ("reference 4539 1488 0343 6468 please", [("number", "4539 1488 0343 6468")]),  # fails Luhn: not a card
        ("call me on 07700 900 123", [("phone", "07700 900 123")]),
        ("call me on +44 7700 900123", [("phone", "+44 7700 900123")]),
        ("it's oh seven seven double oh nine hundred", [("number", "oh seven seven double oh nine")]),
        ("ending in four four one two.", [("number", "four four one two.")]),
        # Not personal data: short counts, years, money, ordinals.
        ("I called three times about two weeks ago", []),
        ("since 2019 I have paid $45.99 on the 15th", []),
        ("my email is maria.lopez@example.com thanks", [("email", "maria.lopez@example.com")]),
        ("the email is Maria and NAMPLE dot com.", [("email", "Maria and NAMPLE dot com.")]),
        ("you can email me at marirat email.com", [("email", "at marirat email.com")]),
        ("Yes, my name is Maria Lopez, and I", [("name", "Maria Lopez,")]),
        ("this is Mrs Okafor speaking", [("name", "Okafor")]),
        ("my name is and I am", []),
        ("I live at 12 Station Road, Leeds", [("address", "12 Station Road,")]),
        ("my postcode is LS1 4AB.", [("address", "LS1 4AB.")]),
    ],
)
def test_token_rules(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


def test_luhn() -> None:
    assert luhn_ok("4539148803436467") and luhn_ok("79927398713") and not luhn_ok("79927398710")


def test_redact_text_keeps_punctuation_and_known_names() -> None:
    assert redact_text("Yes, my name is Maria Lopez, thanks.") == "Yes, my name is [redacted], thanks."
    assert redact_text("Thank you Maria.", known_names={"maria"}) == "Thank you [redacted]."
    assert redact_text("card 4539 1488 0343 6467.") == "card [redacted]."


def test_real_call(personal_data_template: Path) -> None:
    """The committed call says a name, a card number, a phone number and an e-mail (tests/fixtures/speech.py)."""
    with open_workspace(personal_data_template) as ws:
        _transcript, segments = current_transcript(ws.db, 1)
    found = find_in_call(segments)
    by_kind = {}
    for span in found.spans:
        by_kind.setdefault(span.kind, []).append(span)
    assert set(by_kind) == {"name", "card", "phone", "email"}
    # Times match when the fixture says them (speech.PERSONAL_DATA_CALL), within Whisper's word timing.
    (card,) = by_kind["card"]
    assert 12.0 <= card.start_s < 13.5 and 17.5 < card.end_s <= 19.5 and card.speaker == "customer"
    (phone,) = by_kind["phone"]
    assert 23.5 <= phone.start_s < 25.5 and 28.0 < phone.end_s <= 30.0
    (email,) = by_kind["email"]
    assert 30.0 <= email.start_s < 32.0 and 32.0 < email.end_s <= 34.0
    # "my name is Maria Lopez" (customer) and the agent's later "Thank you Maria".
    assert {s.speaker for s in by_kind["name"]} == {"customer", "agent"}
    assert found.names == {"maria", "lopez"}
    # The agent's own words around them are untouched.
    assert not any(s.start_s > 34.5 for s in found.spans)
