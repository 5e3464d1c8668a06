"""Workshops: the workshop folder and file, the room's answers, timers, pairs, the report (no UI)."""
