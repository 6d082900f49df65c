"""Empathy Audit: local-first empathy audits for contact-centre calls."""

__version__ = "0.1.0"
