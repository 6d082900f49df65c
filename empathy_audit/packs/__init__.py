"""Packs: plain zip files carrying reviews, calls and calibration sets between workspaces."""
