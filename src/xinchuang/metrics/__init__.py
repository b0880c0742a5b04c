"""Localization rates, snapshots and forecasts: pure functions."""
