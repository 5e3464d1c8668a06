"""Reusable widgets: prompt inputs, the save status line."""
