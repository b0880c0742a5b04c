"""Readers: one module per input format, all yielding the same records."""
