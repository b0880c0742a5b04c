"""Typed domain records shared by every stage."""
