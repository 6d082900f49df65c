"""Personal-data rules and cues per language: Spanish calls read by Spanish rules (on recorded engine
output of benchmarks/privacy_corpus.py's Spanish calls, Whisper base), and a language with no rules
saying so while still hiding what needs no words."""

from __future__ import annotations

import json
from pathlib import Path

from scoring import Score, score_output

from empathy_audit.domain import Segment, Word
from empathy_audit.privacy import find_in_call
from empathy_audit.privacy.lexicon import lexicon_for, privacy_note, rule_languages
from empathy_audit.reviewing.cues import cue_note, cue_rules_for, find_cues
from empathy_audit.store.transcripts import segment_from_json

SPANISH = sorted((Path(__file__).resolve().parent / "engine_outputs" / "es").glob("*.json"))


def _total(language: str | None = None) -> Score:
    total = Score()
    for path in SPANISH:
        total.add(score_output(path, language))
    return total


def test_spanish_personal_data_is_bleeped_by_the_spanish_rules() -> None:
    assert SPANISH and all(json.loads(p.read_text())["language"] == "es" for p in SPANISH)
    spanish = _total()
    assert spanish.phrases >= 5 and spanish.misses == [], spanish.misses
    assert spanish.over_bleeping <= 0.10, spanish.over
    # The English words read the same transcripts worse: the language is what made the difference.
    assert _total("en").bleeped < spanish.bleeped


def _segment(speaker: str, start: float, text: str) -> Segment:
    words, t = [], start
    for token in text.split():
        words.append(Word(t, t + 0.3, " " + token, 0.9))
        t += 0.35
    return Segment(speaker, start, t, text, words=words)


def test_spanish_number_words_and_questions() -> None:
    segments = [
        _segment("agent", 0.0, "¿Me puede indicar su código postal, por favor?"),
        _segment("customer", 3.0, "Sí, veintiocho cero cero cuatro."),
        _segment("agent", 6.0, "Gracias. Tenemos una oferta de treinta euros."),
    ]
    found = find_in_call(segments, "es")
    assert [s.kind for s in found.spans] == ["postcode"]
    assert found.spans[0].start_s <= 3.0 and found.spans[0].end_s >= 4.0
    assert all(end <= 6.0 for _start, end in found.audio_spans())  # the offer is not personal data
    assert find_in_call(segments, "en").spans == []  # English reads none of it


def test_a_language_without_rules_says_so_and_still_hides_digits() -> None:
    assert lexicon_for("fr") is None and "fr" not in rule_languages()
    assert lexicon_for("en-US") is lexicon_for("en") and lexicon_for("ES") is lexicon_for("es")
    segments = [
        _segment("agent", 0.0, "Quel est votre numéro de carte ?"),
        _segment("customer", 3.0, "C'est le 4556 7890 1234 5678."),
    ]
    found = find_in_call(segments, "fr")
    assert any(start >= 2.5 for start, _end in found.audio_spans())
    note = privacy_note("fr")
    assert "No personal-data rules for French" in note and "Spanish" in note and "English rules" in note
    english = [
        _segment("agent", 0.0, "Can I take your card number?"),
        _segment("customer", 3.0, "It's four four one two."),
    ]
    assert find_in_call(english, "xx").spans == find_in_call(english, "en").spans  # unknown: English words
    assert privacy_note("en") == "" and privacy_note(None) == ""
    assert "names said outside an answer are not" in privacy_note("es")


def test_cues_follow_the_call_language() -> None:
    data = json.loads(next(p for p in SPANISH if "tarjeta" in p.name).read_text())
    segments = [segment_from_json(s) for s in data["segments"]]
    keys = {hit.key for hit in find_cues(segments, language="es")}
    assert {"acknowledgment", "follow_up"} <= keys, keys  # "Lo siento mucho", "le llamo el viernes"
    assert find_cues(segments, language="en") == [] or "acknowledgment" not in {
        h.key for h in find_cues(segments, language="en")
    }
    assert cue_rules_for("fr") is None and find_cues(segments, language="fr") == []
    assert "No cue rules for French calls" in cue_note("fr", 0) and "Spanish" in cue_note("fr", 0)
    assert cue_note("es", 0) == "No cue phrases found in this call." and cue_note("es", 2) == ""
    assert cue_rules_for(None) == cue_rules_for("en")  # calls from before languages were stored
