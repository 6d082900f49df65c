"""Scoring rules that need no database: rubrics as data, the one score formula, which reviews count."""
