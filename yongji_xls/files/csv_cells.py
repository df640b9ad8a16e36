"""CSV cells that stay text: the one neutralisation of formula triggers (DESIGN.md §7), used by
the analysts' CSV tables and by the web page's upload log."""

from __future__ import annotations

CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a CSV cell as a formula (OWASP)


def neutralise_cell(value: object) -> object:
    """A text starting with a formula trigger gets a leading apostrophe, so Excel/WPS show it as text."""
    return "'" + value if isinstance(value, str) and value.startswith(CSV_TRIGGERS) else value
