"""Word rules on text the way Whisper writes speech (no time, no speakers)."""

from __future__ import annotations

import pytest

from empathy_audit.privacy import find_personal_data, luhn_ok, redact_text


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
        ("it's oh seven seven double oh nine hundred", [("number", "oh seven seven double oh nine hundred")]),
        ("ending in four four one two.", [("number", "four four one two.")]),
        # Digits with stray punctuation and homophones beside them.
        ("It's in 4 .4 .1 too", [("number", "4 .4 .1 too")]),
        ("it's for 4 1 2 ate", [("number", "for 4 1 2 ate")]),
        ("the account is 4-4-1-2-9", [("number", "4-4-1-2-9")]),
        ("triple seven double four two", [("number", "triple seven double four two")]),
        ("the code is four hundred and twelve six", [("number", "four hundred and twelve six")]),
        # Not personal data: counts, years, money, ordinals, amounts with units.
        ("I called three times about two weeks ago", []),
        ("since 2019 I have paid $45.99 on the 15th", []),
        ("I have 12,000 points on my card", []),
        ("it went up by 1500 pounds a year", []),
        ("I waited for 2 weeks and spoke to 3 people", []),
        ("that was back in nineteen ninety eight", []),
        # Dates with a year.
        ("It is the 4th of July 1982.", [("date", "the 4th of July 1982.")]),
        ("born on July fourth nineteen eighty two", [("date", "July fourth nineteen eighty two")]),
        ("I was born in March 1990", [("date", "March 1990")]),
        ("it's 04/07/1982", [("date", "04/07/1982")]),
        ("I called on the 4th of July", []),
        # E-mail addresses and fragments.
        ("my email is maria.lopez@example.com thanks", [("email", "maria.lopez@example.com")]),
        ("the email is Maria and NAMPLE dot com.", [("email", "Maria and NAMPLE dot com.")]),
        ("you can email me at marirat email.com", [("email", "at marirat email.com")]),
        ("…my email is Maria and nampl.com.", [("email", "Maria and nampl.com.")]),
        ("it's jo smith at gmail", [("email", "jo smith at gmail")]),
        ("miss that email .com", [("email", "miss that email .com")]),  # no lead: back to the sentence start
        ("it's sam at work dot co dot uk", [("email", "sam at work dot co dot uk")]),
        # Names.
        ("Yes, my name is Maria Lopez, and I", [("name", "Maria Lopez,")]),
        ("this is Mrs Okafor speaking", [("name", "Mrs Okafor")]),
        ("Maria Lopez speaking, hi", [("name", "Maria Lopez")]),
        ("it's under Kalki Patel", [("name", "Kalki Patel")]),
        ("this is ridiculous", []),
        ("my name is and I am", []),
        ("that's K-A-L-K-I", [("spelled", "K-A-L-K-I")]),
        # Addresses and postcodes.
        ("I live at 12 Station Road, Leeds", [("address", "12 Station Road, Leeds")]),
        ("my postcode is LS1 4AB.", [("address", "LS1 4AB.")]),
        ("it's LS6 4AB", [("postcode", "LS6 4AB")]),
        ("22 occasion, who leads L .S. 6", [("postcode", "L .S. 6")]),
        ("it's 22 Acacia Avenue", [("address", "22 Acacia Avenue")]),
        ("K1A 0B1 is the code", [("postcode", "K1A 0B1")]),
        ("D02 X285", [("postcode", "D02 X285")]),
        ("it is 6 and I have a 4G phone", []),
    ],
)
def test_token_rules(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


def test_every_finding_says_why() -> None:
    tokens = ["card", "4539", "1488", "0343", "6467", "and", "my", "name", "is", "Maria"]
    assert all(f.why for f in find_personal_data(tokens))


def test_luhn() -> None:
    assert luhn_ok("4539148803436467") and luhn_ok("79927398713") and not luhn_ok("79927398710")


def test_redact_text_keeps_punctuation_and_known_names() -> None:
    assert redact_text("Yes, my name is Maria Lopez, thanks.") == "Yes, my name is [redacted], thanks."
    assert redact_text("Thank you Maria.", known_names={"maria"}) == "Thank you [redacted]."
    assert redact_text("card 4539 1488 0343 6467.") == "card [redacted]."
