"""Coaching clips: spans snapped to words, personal data found and bleeped, exported with a handout."""
