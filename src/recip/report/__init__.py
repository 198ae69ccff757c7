"""Printers: text tables, results files (and, later, the HTML report)."""
