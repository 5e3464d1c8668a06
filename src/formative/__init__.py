"""Formative: a terminal workbook for designing communities."""

__version__ = "0.1.0"
