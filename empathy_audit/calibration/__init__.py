"""Calibration: agreement statistics, calibration sets, and blind scoring."""
